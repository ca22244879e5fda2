"""The project's report folders as the closed loop sees them: what each report sends to Graphite
and the query it runs, read with the aggregation stage's own config reader (`aggregate.config`)
and filled as a run would fill them for the first interval (`aggregate.schedule`).

Input: the project's `reports/<folder>/config.yaml` files. Output: a `ReportIndex` (Graphite
mappings, queries, and the configs or templates that cannot be read, as findings) and the
report checks of `tallyflow check` over it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tallyflow.aggregate.config import TEMPLATE_EXTENSIONS, Report, read_query_folder
from tallyflow.aggregate.schedule import Interval, fill_template, placeholders, variants
from tallyflow.errors import ConfigError, ReportError
from tallyflow.project import Project
from tallyflow.spec.check_reports import (
    GraphiteMapping,
    QuerySource,
    graphite_column_findings,
    query_findings,
    report_entries,
    unproduced_metrics,
)
from tallyflow.spec.findings import Finding
from tallyflow.spec.lifecycle import aggregation_entries
from tallyflow.spec.load import SpecFile
from tallyflow.spec.querycheck import output_columns

if TYPE_CHECKING:
    from tallyflow.spec.crosscheck import Context


@dataclass
class ReportIndex:
    """What the project's report folders produce and read."""

    mappings: list[GraphiteMapping] = field(default_factory=list)
    queries: list[QuerySource] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def _line_of(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def _split_where(message: str, config: Path) -> tuple[str, str]:
    if message.startswith(str(config)):
        where, _, rest = message.partition(": ")
        return where, rest
    return str(config), message


def _query(folder: Path, report: Report, problems: list[Finding]) -> QuerySource | None:
    """The report's template filled for its first interval and first explode values."""
    if report.template is None:
        return None
    path = folder / ((report.spec.execute or report.key) + TEMPLATE_EXTENSIONS[report.type])
    start = report.spec.starts
    interval = Interval(start, start + dt.timedelta(days=1))
    try:
        sql = fill_template(
            report.template, placeholders(report, interval, variants(report)[0].explode)
        )
    except ReportError as error:
        problems.append(
            Finding("report-template", str(path), error.message, error.hint or "fix the query")
        )
        return None
    return QuerySource(path, report.key, sql, "hive" if report.type == "hive" else "mysql")


def build_report_index(project: Project) -> ReportIndex:
    """Read every `reports/<folder>/config.yaml` with the aggregation stage's reader."""
    index = ReportIndex()
    root = project.path(project.settings.reports)
    configs = sorted(root.glob("*/config.yaml")) if root.is_dir() else []
    for config in configs:
        try:
            folder = read_query_folder(
                config.parent, profile_databases=project.settings.aggregate.databases
            )
        except ConfigError as error:
            where, message = _split_where(error.message, config)
            index.problems.append(
                Finding("report-config", where, message, error.hint or "fix the report config")
            )
            continue
        for message in folder.errors.values():
            where, rest = _split_where(message, config)
            index.problems.append(
                Finding("report-config", where, rest, "fix the report entry (docs/reports.md)")
            )
        lines = config.read_text(encoding="utf-8").splitlines()
        for report in folder.reports:
            query = _query(config.parent, report, index.problems)
            if query is not None:
                index.queries.append(query)
            if report.spec.graphite is None:
                continue
            outputs = output_columns(query.sql, query.dialect) if query else None
            for metric, column in report.spec.graphite.metrics.items():
                line = _line_of(lines, metric) or _line_of(lines, report.key)
                index.mappings.append(
                    GraphiteMapping(
                        where=f"{config}:{line}" if line else str(config),
                        report=report.key,
                        template=report.spec.graphite.path.replace("{_metric}", metric),
                        column=column,
                        explode=tuple(report.explode),
                        outputs=tuple(outputs) if outputs is not None else None,
                        query=str(query.path) if query else "",
                    )
                )
    return index


def check_report_config(ctx: Context) -> list[Finding]:
    """Report configs and templates that the aggregation stage cannot read."""
    return list(ctx.reports.problems)


def check_metrics_produced(ctx: Context) -> list[Finding]:
    return unproduced_metrics(ctx, ctx.reports.mappings)


def check_query_columns(ctx: Context) -> list[Finding]:
    return query_findings(ctx, ctx.reports.queries)


def check_graphite_columns(ctx: Context) -> list[Finding]:
    return graphite_column_findings(ctx.reports.mappings)


def report_locator(project: Project) -> Callable[[SpecFile], list[str]]:
    """Names the report entries producing a spec's metrics, for the clean-up plan: the
    Graphite mappings that produce them, else the data-flow rows' `aggregation`."""
    index = build_report_index(project)

    def entries(sf: SpecFile) -> list[str]:
        return report_entries(index.mappings, sf) or aggregation_entries(project, sf)

    return entries
