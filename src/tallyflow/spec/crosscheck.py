"""The closed loop: specs, streams, schemas, reports and dashboards agree.

Input: the project and its loaded specs; the stream configuration (`collect.streams`), the
schema repository (`schemas.repository`) and the generated dashboards. Output: `Finding`s,
each naming the file, the line and the fix. Each check is a function in `CHECKS`.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import (
    Draft4Validator,
    Draft6Validator,
    Draft7Validator,
    Draft201909Validator,
    Draft202012Validator,
)
from jsonschema import SchemaError as JsonSchemaError

from tallyflow.collect.streams import Streams, load_streams
from tallyflow.errors import SchemaError
from tallyflow.project import Project
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import SpecFile
from tallyflow.spec.models import PLACEHOLDER
from tallyflow.spec.querycheck import TableColumns, table_columns, unknown_names
from tallyflow.store.layout import EVENT_DATABASE, table_for_stream
from tallyflow.visualize.grafana import (
    Datasource,
    dashboard_filename,
    dashboard_json,
    prometheus_name,
)
from tallyflow.yamlfile import KeyPath

_SERIES = re.compile(r"[A-Za-z0-9_$*\-{}\[\]]+(?:\.[A-Za-z0-9_$*\-{},\[\]]+)+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_PROM_NAME = re.compile(r"\(\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*[{)]")
_PROM_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


@dataclass
class Context:
    project: Project
    specs: list[SpecFile]
    streams: Streams
    repository: SchemaRepository


Check = Callable[[Context], list[Finding]]


def schema_uri(title: str) -> str:
    """The URI of a schema title's newest version in a jsonschema-tools repository."""
    return f"/{title.strip('/')}/latest"


def validator_class(schema: dict[str, Any]) -> type[Draft7Validator]:
    """The validator of the draft a schema's `$schema` names (http or https); draft-07, the
    draft of Wikimedia's schemas, when it names none."""
    uri = str(schema.get("$schema", ""))
    for marker, cls in (
        ("draft-04", Draft4Validator),
        ("draft-06", Draft6Validator),
        ("2019-09", Draft201909Validator),
        ("2020-12", Draft202012Validator),
    ):
        if marker in uri:
            return cls  # type: ignore[return-value]
    return Draft7Validator


def check_streams(ctx: Context) -> list[Finding]:
    """Every stream a spec names is configured, with the spec's schema and sampling, and its
    schema loads, is a valid JSON Schema and has the fields the spec relies on."""
    found = []
    for sf in ctx.specs:
        for index, stream in enumerate(sf.spec.streams):
            where = sf.where(("streams", index, "name"))
            config = ctx.streams.lookup(stream.name)
            if config is None:
                found.append(
                    Finding(
                        "stream-missing",
                        where,
                        f"stream {stream.name} is not in {ctx.streams.path}",
                        f"add `{stream.name}: {{schema_title: ..., sample: ...}}` to "
                        f"{ctx.streams.path}, or fix the name",
                    )
                )
                continue
            title = stream.schema_title or config.schema_title
            if stream.schema_title and config.schema_title != stream.schema_title:
                found.append(
                    Finding(
                        "stream-schema",
                        sf.where(("streams", index, "schema_title")),
                        f"stream {stream.name} has schema_title {config.schema_title} in "
                        f"{ctx.streams.path}, the spec says {stream.schema_title}",
                        "make the spec and streams.yaml name the same schema",
                    )
                )
            if stream.sample is not None and (
                config.sample is None
                or config.sample.rate != stream.sample.rate
                or config.sample.unit != stream.sample.unit
            ):
                actual = (
                    f"{config.sample.rate:g} per {config.sample.unit}" if config.sample else "none"
                )
                found.append(
                    Finding(
                        "stream-sampling",
                        sf.where(("streams", index, "sample")),
                        f"spec samples {stream.name} at {stream.sample.rate:g} per "
                        f"{stream.sample.unit}, {ctx.streams.path} at {actual}",
                        "make the spec's `sample` match the stream configuration",
                    )
                )
            if not title:
                found.append(
                    Finding(
                        "stream-schema",
                        where,
                        f"stream {stream.name} names no schema_title",
                        f"set schema_title for {stream.name} in {ctx.streams.path}",
                    )
                )
                continue
            found += _check_schema(ctx, sf, index, title)
    return found


def _check_schema(ctx: Context, sf: SpecFile, index: int, title: str) -> list[Finding]:
    where = sf.where(("streams", index, "name"))
    try:
        schema = ctx.repository.resolved(schema_uri(title))
    except SchemaError as error:
        return [
            Finding(
                "schema-missing",
                where,
                f"schema {title}: {error.message}",
                f"add the schema to {', '.join(map(str, ctx.repository.base_paths))} "
                "(current.yaml plus a materialized version and the `latest` links)",
            )
        ]
    try:
        validator_class(schema).check_schema(schema)
    except JsonSchemaError as error:
        return [
            Finding(
                "schema-invalid",
                where,
                f"schema {title} is not a valid JSON Schema: {error.message}",
                "fix the schema (`tallyflow schemas test`)",
            )
        ]
    table = table_columns(title, schema)
    stream = sf.spec.streams[index]
    wanted: list[tuple[KeyPath, str]] = [
        (("streams", index, "fields", i), f) for i, f in enumerate(stream.fields)
    ]
    if len(sf.spec.streams) == 1:
        wanted += [
            (("dimensions", i, "field"), d.field)
            for i, d in enumerate(sf.spec.dimensions)
            if d.field
        ]
    return [
        Finding(
            "schema-field",
            sf.where(key),
            f"field {name} is not in schema {title}",
            f"use a field of the schema ({', '.join(sorted(table.columns))}) or add it "
            "to the schema as a new optional field",
        )
        for key, name in wanted
        if not table.has(name.split("."))
    ]


def _dashboard_files(ctx: Context) -> list[Path]:
    folder = ctx.project.path(ctx.project.settings.dashboards)
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _source_of(data: dict[str, Any]) -> Datasource:
    names = {v.get("name") for v in (data.get("templating") or {}).get("list", [])}
    return "prometheus" if "prometheus_ds" in names else "graphite"


def check_dashboards_current(ctx: Context) -> list[Finding]:
    """Every spec has its generated dashboard, equal to what `dashboards build` writes now;
    no generated dashboard is left from a removed spec."""
    folder = ctx.project.path(ctx.project.settings.dashboards)
    found = []
    expected = {dashboard_filename(sf): sf for sf in ctx.specs}
    if not folder.is_dir():
        return [
            Finding(
                "dashboard-missing",
                str(folder),
                "no dashboards have been built",
                f"run `tallyflow dashboards build -p {ctx.project.root}`",
                severity="warning",
            )
        ]
    for name, sf in expected.items():
        path = folder / name
        if not path.is_file():
            found.append(
                Finding(
                    "dashboard-missing",
                    str(path),
                    f"no dashboard for {sf.path.name}",
                    f"run `tallyflow dashboards build -p {ctx.project.root}`",
                )
            )
            continue
        text = path.read_text(encoding="utf-8")
        try:
            source = _source_of(json.loads(text))
        except json.JSONDecodeError as error:
            found.append(
                Finding(
                    "dashboard-stale",
                    f"{path}:{error.lineno}",
                    f"not valid JSON: {error.msg}",
                    "rebuild it with `tallyflow dashboards build`",
                )
            )
            continue
        generated = dashboard_json(sf, source)
        if text != generated:
            line = next(
                (
                    n
                    for n, (a, b) in enumerate(
                        zip(text.splitlines(), generated.splitlines(), strict=False), 1
                    )
                    if a != b
                ),
                min(len(text.splitlines()), len(generated.splitlines())) + 1,
            )
            found.append(
                Finding(
                    "dashboard-stale",
                    f"{path}:{line}",
                    f"dashboard differs from what {sf.path.name} generates",
                    f"run `tallyflow dashboards build -p {ctx.project.root}` (edit the spec, "
                    "not the dashboard)",
                )
            )
    for path in _dashboard_files(ctx):
        if path.name in expected:
            continue
        try:
            uid = json.loads(path.read_text(encoding="utf-8")).get("uid", "")
        except (json.JSONDecodeError, AttributeError):
            continue
        if isinstance(uid, str) and uid.startswith("tallyflow-"):
            found.append(
                Finding(
                    "dashboard-stale",
                    str(path),
                    f"generated dashboard {uid} has no spec any more",
                    "delete it (and remove it from Grafana), or restore its spec",
                )
            )
    return found


def _segments_match(pattern: str, template: str) -> bool:
    """A Graphite target series (globs, `$var`, `{a,b}`) against a spec path template."""
    left, right = pattern.split("."), template.split(".")
    if len(left) != len(right):
        return False
    for have, want in zip(left, right, strict=True):
        if PLACEHOLDER.fullmatch(want):
            continue
        glob = re.sub(r"\$\w+", "*", have)
        if "{" in glob:
            options = glob[glob.index("{") + 1 : glob.rindex("}")].split(",")
            if not any(fnmatch.fnmatchcase(want, option) for option in options):
                return False
        elif not fnmatch.fnmatchcase(want, glob):
            return False
    return True


def _targets(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(panel title, kind, expression) of every target."""
    for panel in data.get("panels") or []:
        for target in panel.get("targets") or []:
            if isinstance(target.get("target"), str):
                yield panel.get("title", "?"), "target", target["target"]
            elif isinstance(target.get("expr"), str):
                yield panel.get("title", "?"), "expr", target["expr"]


def check_dashboard_targets(ctx: Context) -> list[Finding]:
    """Every dashboard panel's target reads a metric some spec declares."""
    paths = [m.path for sf in ctx.specs for m in sf.spec.metrics]
    names = {prometheus_name(m) for sf in ctx.specs for m in sf.spec.metrics}
    found = []
    for path in _dashboard_files(ctx):
        text = path.read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            continue
        for title, kind, expr in _targets(data if isinstance(data, dict) else {}):
            encoded = json.dumps(expr, ensure_ascii=False)
            line = text[: max(0, text.find(encoded))].count("\n") + 1
            if kind == "target":
                unknown = [
                    s
                    for s in _SERIES.findall(_QUOTED.sub("", expr))
                    if not any(_segments_match(s, p) for p in paths)
                ]
            else:
                bare = _PROM_GROUPING.sub("", _QUOTED.sub('""', expr))
                unknown = [n for n in _PROM_NAME.findall(bare) if n not in names]
            for series in unknown:
                found.append(
                    Finding(
                        "dashboard-target",
                        f"{path}:{line}",
                        f"panel '{title}' reads {series}, which no spec declares",
                        "declare the metric in a spec (metrics[].path) and rebuild, or fix the "
                        "target",
                    )
                )
    return found


@dataclass(frozen=True)
class GraphiteMapping:
    """One metric a report sends to Graphite: its path template with `{_metric}` filled in."""

    where: str
    """`config.yaml:line` of the report."""
    report: str
    template: str


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


CHECKS: dict[str, Check] = {
    "streams": check_streams,
    "dashboards-current": check_dashboards_current,
    "dashboard-targets": check_dashboard_targets,
}


def context(project: Project, specs: list[SpecFile]) -> Context:
    return Context(
        project=project,
        specs=specs,
        streams=load_streams(project.streams_path),
        repository=SchemaRepository(project.schema_paths, project.settings.schemas.file_extension),
    )


def crosscheck(project: Project, specs: list[SpecFile]) -> list[Finding]:
    """Every closed-loop check, in `CHECKS` order."""
    ctx = context(project, specs)
    return [finding for check in CHECKS.values() for finding in check(ctx)]
