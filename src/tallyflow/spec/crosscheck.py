"""The closed loop: specs, streams, schemas, reports and dashboards agree.

Input: the project and its loaded specs; the stream configuration (`collect.streams`), the
schema repository (`schemas.repository`), the report folders (`spec.report_index`, read with
`aggregate.config`) and the generated dashboards. Output: `Finding`s, each naming the file, the
line and the fix. The checks live in `check_streams`, `report_index`/`check_reports` and
`check_dashboards`; `CHECKS` runs them in the pipeline's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tallyflow.collect.streams import Streams, load_streams
from tallyflow.project import Project
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.spec.check_dashboards import check_dashboard_targets, check_dashboards_current
from tallyflow.spec.check_streams import check_streams
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import SpecFile
from tallyflow.spec.report_index import (
    ReportIndex,
    build_report_index,
    check_graphite_columns,
    check_metrics_produced,
    check_query_columns,
    check_report_config,
)


@dataclass
class Context:
    project: Project
    specs: list[SpecFile]
    streams: Streams
    repository: SchemaRepository
    reports: ReportIndex


Check = Callable[[Context], list[Finding]]

CHECKS: dict[str, Check] = {
    "streams": check_streams,
    "report-config": check_report_config,
    "query-columns": check_query_columns,
    "graphite-columns": check_graphite_columns,
    "metrics-produced": check_metrics_produced,
    "dashboards-current": check_dashboards_current,
    "dashboard-targets": check_dashboard_targets,
}


def context(project: Project, specs: list[SpecFile]) -> Context:
    return Context(
        project=project,
        specs=specs,
        streams=load_streams(project.streams_path),
        repository=SchemaRepository(project.schema_paths, project.settings.schemas.file_extension),
        reports=build_report_index(project),
    )


def crosscheck(project: Project, specs: list[SpecFile]) -> list[Finding]:
    """Every closed-loop check, in `CHECKS` order."""
    ctx = context(project, specs)
    return [finding for check in CHECKS.values() for finding in check(ctx)]
