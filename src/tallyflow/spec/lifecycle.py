"""Lifecycle: which specs are due for deprecation, and their clean-up checklist in the seed's
order — visualization first, then aggregation, then collection.

Input: loaded specs, the project (for file locations), today and a look-ahead window, and a
function naming the report entries that produce a spec's metrics. Output: `Due` items, each
with a checklist of steps naming the exact files (dashboards, report entries, streams.yaml
entries, schema folders).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from tallyflow.collect.streams import load_streams
from tallyflow.project import Project
from tallyflow.spec.load import SpecFile
from tallyflow.spec.models import ticket_url

ReportLocator = Callable[[SpecFile], list[str]]
"""Names the report entries (`file:line: reports.<key>`) producing a spec's metrics."""


@dataclass(frozen=True)
class Step:
    stage: str
    """`visualization`, `aggregation`, `collection` or `bookkeeping`."""
    action: str


@dataclass
class Due:
    spec: SpecFile
    reason: str
    steps: list[Step] = field(default_factory=list)


def reason_due(sf: SpecFile, today: date, within: int) -> str | None:
    """Why a spec is due for clean-up, or None."""
    spec = sf.spec
    if spec.status == "retired":
        return None
    if spec.status == "deprecated":
        return "marked deprecated"
    if spec.sunset is not None and spec.sunset < today:
        return f"sunset {spec.sunset} passed {(today - spec.sunset).days} days ago"
    if spec.sunset is not None and spec.sunset <= today + timedelta(days=within):
        return f"sunset {spec.sunset} is in {(spec.sunset - today).days} days"
    return None


def aggregation_entries(project: Project, sf: SpecFile) -> list[str]:
    """Report entries named by the spec's data-flow rows (`<query folder>/<report key>`)."""
    entries = []
    for row in sf.spec.data_flow:
        if row.aggregation and "/" in row.aggregation:
            folder, key = row.aggregation.rsplit("/", 1)
            config = project.path(project.settings.reports) / folder / "config.yaml"
            entries.append(f"{config}: reports.{key} and its query")
    return entries


def _collection_steps(
    project: Project, sf: SpecFile, specs: list[SpecFile], staying: set[Path]
) -> list[Step]:
    """Streams (unless another live spec uses them), their schemas, emitters, counters."""
    streams = load_streams(project.streams_path)
    spec = sf.spec
    emitter = next((r.collected_by for r in spec.data_flow if r.collected_by), "the feature")
    steps = []
    for stream in spec.streams:
        users = [
            other.path.name
            for other in specs
            if other.path in staying and any(s.name == stream.name for s in other.spec.streams)
        ]
        if users:
            steps.append(
                Step("collection", f"keep stream {stream.name}: still used by {', '.join(users)}")
            )
            continue
        config = next((e for e in streams.entries if e.key == stream.name), None)
        where = f"{streams.path}:{config.line}" if config and config.line else str(streams.path)
        steps.append(Step("collection", f"remove the stream {stream.name} from {where}"))
        title = stream.schema_title or (config.config.schema_title if config else None)
        for base in project.schema_paths if title else []:
            if (base / str(title)).is_dir():
                steps.append(Step("collection", f"retire the schema {title} ({base / str(title)})"))
        steps.append(
            Step("collection", f"remove the code sending {stream.name} events from {emitter}")
        )
    steps += [
        Step("collection", f"remove the StatsD counter {counter.name} from {emitter}")
        for counter in spec.counters
    ]
    return steps


def plan(
    project: Project,
    specs: list[SpecFile],
    today: date,
    within: int = 30,
    reports: ReportLocator | None = None,
) -> list[Due]:
    """The due specs and their checklists."""
    dashboards = project.path(project.settings.dashboards)
    locate = reports or (lambda sf: aggregation_entries(project, sf))
    reasons = {sf.path: reason_due(sf, today, within) for sf in specs}
    staying = {path for path, reason in reasons.items() if reason is None}
    due = []
    for sf in specs:
        reason = reasons[sf.path]
        if reason is None:
            continue
        spec = sf.spec
        uid = spec.dashboard.uid or f"tallyflow-{sf.id}"
        steps = [
            Step(
                "visualization",
                f"delete the dashboard {dashboards / (sf.id + '.json')} and remove it from "
                f"Grafana (uid {uid})",
            )
        ]
        steps += [
            Step("aggregation", f"remove the report entry {entry}")
            for entry in locate(sf) or ["(no report entry found for these metrics)"]
        ]
        steps += [
            Step("aggregation", f"delete the Graphite series {metric.path} (after archiving)")
            for metric in spec.metrics
        ]
        steps += _collection_steps(project, sf, specs, staying)
        close = (
            f" and close {spec.cleanup_ticket} ({ticket_url(spec.cleanup_ticket)})"
            if spec.cleanup_ticket
            else ""
        )
        steps.append(Step("bookkeeping", f"set `status: retired` in {sf.path}{close}"))
        due.append(Due(sf, reason, steps))
    return due


def format_plan(due: list[Due]) -> str:
    if not due:
        return "nothing is due for deprecation\n"
    out = []
    for item in due:
        out.append(f"{item.spec.path}: {item.spec.spec.feature} — {item.reason}")
        for number, step in enumerate(item.steps, 1):
            out.append(f"  {number}. [{step.stage}] {step.action}")
        out.append("")
    return "\n".join(out)
