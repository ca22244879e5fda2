"""Closed-loop checks of aggregation: every spec metric path is produced by some report's
Graphite mapping (or a declared StatsD counter), every column a query reads exists in the table
derived from its stream's schema, and every Graphite mapping names columns the query returns.

Input: a `Context` (streams, schemas, specs) and what the report folders send and read —
`GraphiteMapping`s and `QuerySource`s, built by `spec.report_index` with the aggregation stage's
config reader. Output: `Finding`s naming the file, the line and the fix.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tallyflow.errors import SchemaError
from tallyflow.spec.check_streams import schema_uri
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import SpecFile
from tallyflow.spec.models import PLACEHOLDER
from tallyflow.spec.querycheck import TableColumns, table_columns, unknown_names
from tallyflow.store.layout import EVENT_DATABASE, table_for_stream

if TYPE_CHECKING:
    from tallyflow.spec.crosscheck import Context


@dataclass(frozen=True)
class GraphiteMapping:
    """One metric a report sends to Graphite: its path template with `{_metric}` filled in."""

    where: str
    """`config.yaml:line` of the metric in the report's `graphite.metrics`."""
    report: str
    template: str
    column: str = ""
    """The result column holding the value."""
    explode: tuple[str, ...] = ()
    """The report's explode_by placeholders (they may fill the path too)."""
    outputs: tuple[str, ...] | None = None
    """The columns the report's query returns, when known."""
    query: str = ""
    """The query (or script) file."""


def _same_series(spec_path: str, produced: str) -> bool:
    """Both templates name the same series: fixed segments equal, placeholders anywhere."""
    left, right = spec_path.split("."), produced.split(".")
    if len(left) != len(right):
        return False
    return all(
        PLACEHOLDER.fullmatch(a) or PLACEHOLDER.fullmatch(b) or a == b
        for a, b in zip(left, right, strict=True)
    )


STATSD_FORMS = ("{name}", "stats.{name}", "stats_counts.{name}", "stats.counters.{name}.count")
"""Where a StatsD counter lands in Graphite (Etsy statsd, legacy and new namespaces)."""


def unproduced_metrics(ctx: Context, mappings: list[GraphiteMapping]) -> list[Finding]:
    """Spec metrics that no report's Graphite mapping and no declared counter produce."""
    found = []
    for sf in ctx.specs:
        counters = [form.format(name=c.name) for c in sf.spec.counters for form in STATSD_FORMS]
        for index, metric in enumerate(sf.spec.metrics):
            if any(_same_series(metric.path, m.template) for m in mappings):
                continue
            if any(_same_series(metric.path, c) for c in counters):
                continue
            close = [m for m in mappings if m.template.split(".")[:2] == metric.path.split(".")[:2]]
            hint = (
                f"; closest: {close[0].template} ({close[0].where}, report {close[0].report})"
                if close
                else ""
            )
            found.append(
                Finding(
                    "metric-unproduced",
                    sf.where(("metrics", index, "path")),
                    f"no report's Graphite mapping or declared counter produces {metric.path}"
                    + hint,
                    "add the metric to a report's `graphite: {path, metrics}` (path "
                    "`{_metric}.byX.{x}` with the metric name as key), or fix the spec's path",
                )
            )
    return found


@dataclass(frozen=True)
class QuerySource:
    """A report's query, placeholders filled (line numbers kept)."""

    path: Path
    report: str
    sql: str
    dialect: str


def event_tables(ctx: Context) -> dict[str, tuple[str, TableColumns]]:
    """`event.<table>` -> (stream, columns) for every configured stream whose schema loads."""
    tables: dict[str, tuple[str, TableColumns]] = {}
    for stream in ctx.streams.names():
        config = ctx.streams.lookup(stream)
        if config is None or not config.schema_title:
            continue
        try:
            schema = ctx.repository.resolved(schema_uri(config.schema_title))
        except SchemaError:
            continue
        name = f"{EVENT_DATABASE}.{table_for_stream(stream)}"
        tables[name] = (stream, table_columns(name, schema))
    return tables


def query_findings(ctx: Context, queries: list[QuerySource]) -> list[Finding]:
    """Columns and `event` tables that report queries read but that no schema gives."""
    tables = event_tables(ctx)
    columns = {name: table for name, (_stream, table) in tables.items()}
    found = []
    for query in queries:
        for unknown in unknown_names(query.sql, columns, query.dialect):
            where = f"{query.path}:{unknown.line}" if unknown.line else str(query.path)
            if unknown.kind == "syntax":
                found.append(
                    Finding(
                        "query-syntax",
                        where,
                        f"query of report {query.report} does not parse: {unknown.name}",
                        f"fix the {query.dialect} syntax",
                    )
                )
            elif unknown.kind == "table":
                found.append(
                    Finding(
                        "query-table",
                        where,
                        f"query of report {query.report} reads {unknown.name}, the table of no "
                        "configured stream",
                        "fix the table name (the stream name with `.` and `-` as `_`, lower-"
                        f"cased; known: {', '.join(sorted(tables)) or 'none'}) or add the stream",
                    )
                )
            else:
                stream = tables[unknown.table][0]
                top = sorted(tables[unknown.table][1].columns)
                close = difflib.get_close_matches(unknown.name, top, n=1)
                found.append(
                    Finding(
                        "query-column",
                        where,
                        f"query of report {query.report} reads column {unknown.name}, which "
                        f"table {unknown.table} (stream {stream}) does not have",
                        (f"did you mean {close[0]}? " if close else "")
                        + f"columns: {', '.join(top)}; or add the field to the stream's schema",
                    )
                )
    return found


def graphite_column_findings(mappings: list[GraphiteMapping]) -> list[Finding]:
    """Every Graphite mapping's value column and path placeholders are query result columns."""
    found = []
    for mapping in mappings:
        if mapping.outputs is None:
            continue
        outputs = {name.lower() for name in mapping.outputs}
        wanted = [("value column", mapping.column)] + [
            ("path placeholder", a or b)
            for a, b in PLACEHOLDER.findall(mapping.template)
            if (a or b) not in mapping.explode
        ]
        for what, name in wanted:
            if name.lower() not in outputs:
                found.append(
                    Finding(
                        "report-graphite",
                        mapping.where,
                        f"report {mapping.report} sends {what} {name}, which its query "
                        f"({mapping.query}) does not return (it returns: "
                        f"{', '.join(mapping.outputs)})",
                        "name a result column (Hive lower-cases them) in `graphite:`, or alias "
                        "the column in the query",
                    )
                )
    return found


def report_entries(mappings: list[GraphiteMapping], sf: SpecFile) -> list[str]:
    """The report entries whose Graphite mappings produce the spec's metrics."""
    entries = [
        f"{m.where}: reports.{m.report} and its query {m.query}"
        if m.query
        else f"{m.where}: reports.{m.report}"
        for m in mappings
        if any(_same_series(metric.path, m.template) for metric in sf.spec.metrics)
    ]
    return list(dict.fromkeys(entries))
