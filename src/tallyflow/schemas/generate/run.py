"""One `events generate` run: plan every stream, then send its batches to one output.

Input: a project, stream names, the day range, volume and seed, and the output (store, JSON
lines, or intake URL). Output: a `Summary` of what was generated and where it went.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tallyflow.collect.streams import load_streams
from tallyflow.errors import UsageError
from tallyflow.project import Project
from tallyflow.schemas.generate import outputs, traffic
from tallyflow.schemas.generate.store import StoreWriter
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.events import EventStore


@dataclass
class Summary:
    """Per stream: events the clients produced, and events that went out (in sample)."""

    generated: dict[str, int] = field(default_factory=dict)
    sent: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    destination: str = ""
    post: outputs.PostReport | None = None


def _sampling_note(plan: traffic.StreamPlan) -> str | None:
    sample = plan.config.sample
    if sample is None:
        return None
    if sample.unit not in ("session", "pageview"):
        return (
            f"{plan.stream}: sample unit {sample.unit!r} is not implemented by the clients, so "
            "they send nothing (use session or pageview)"
        )
    if sample.rate == 0:
        return f"{plan.stream}: sample rate 0 is invalid for the clients, so they send nothing"
    return None


def generate_events(
    project: Project,
    streams: list[str],
    start: date,
    end: date,
    per_day: int | None,
    seed: int,
    out: Path | None = None,
    url: str | None = None,
    batch_size: int = 20,
    content_type: str = outputs.TEXT_PLAIN,
) -> Summary:
    """Generate every stream's events over the days and write them to one output."""
    if out is not None and url is not None:
        raise UsageError("use either --out FILE or --to URL, not both")
    traffic.days(start, end)  # checks the range before any work
    config = load_streams(project.streams_path)
    repository = SchemaRepository(project.schema_paths, project.settings.schemas.file_extension)
    plans = [traffic.plan_stream(stream, config, repository) for stream in streams]
    summary = Summary()
    for plan in plans:
        note = _sampling_note(plan)
        if note:
            summary.notes.append(note)

    def items() -> Iterator[tuple[traffic.StreamPlan, traffic.Batch]]:
        for plan in plans:
            volume = per_day if per_day is not None else plan.hints.per_day
            volume = traffic.DEFAULT_PER_DAY if volume is None else volume
            # Each day has exactly `volume` events before sampling.
            summary.generated[plan.stream] = volume * len(traffic.days(start, end))
            summary.sent.setdefault(plan.stream, 0)
            for batch in traffic.generate(plan, start, end, volume, seed):
                summary.sent[plan.stream] += len(batch.events)
                yield plan, batch

    if url is not None:
        summary.destination = url
        summary.post = outputs.post_events(items(), url, batch_size, content_type)
    elif out is not None:
        summary.destination = "standard output" if str(out) == "-" else str(out)
        with ExitStack() as stack:
            if str(out) == "-":
                target = sys.stdout.buffer
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                target = stack.enter_context(out.open("wb"))
            outputs.write_jsonl(items(), target)
            target.flush()
    else:
        writer = StoreWriter(
            lambda: EventStore(project.store_root, repository, project.settings.events),
            {plan.stream: plan.schema_uri for plan in plans},
        )
        summary.destination = f"store {project.store_root}"
        writer.write(batch for _, batch in items())
    return summary
