"""Grafana dashboards from metric specs, built with grafana-foundation-sdk (the Grafana 11.6
build, schemaVersion 41), following the seed's dashboard tips.

Input: a loaded spec. Output: dashboard JSON text, deterministic (stable uid, panel order and
key order), so that generated files diff cleanly in git. One dashboard per spec file:

- an intro text panel (what, why, ticket link, responsible person, lifecycle, sampling);
- per metric a row, and per wanted graph one time-series panel per view: `mean` (divided by
  the denominator metric), `percent` (share of the total across `by`) and `total`;
- template variables for the dimensions marked `variable: true`; no stacking (filled lines);
- Graphite targets by default (`groupByNodes`, `divideSeries`, `asPercent`), PromQL as an option
  (the Graphite path's fixed part as metric name, dimensions as labels).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from grafana_foundation_sdk.builders import common as common_builders
from grafana_foundation_sdk.builders import prometheus, text, timeseries
from grafana_foundation_sdk.builders.dashboard import (
    CustomVariable,
    Dashboard,
    DashboardLink,
    DatasourceVariable,
    QueryVariable,
    Row,
)
from grafana_foundation_sdk.cog import builder as cogbuilder
from grafana_foundation_sdk.cog import variants as cogvariants
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models.dashboard import DashboardLinkType, DataSourceRef

from tallyflow.spec.load import SpecFile
from tallyflow.spec.models import PLACEHOLDER, Dimension, Graph, Metric, Spec, segment, ticket_url

Datasource = Literal["graphite", "prometheus"]
MAX_UID = 40
PANEL_HEIGHT = 8
INTRO_HEIGHT = 8


class GraphiteQuery(cogvariants.Dataquery):
    """A Graphite target (the SDK has no Graphite query type)."""

    def __init__(self, target: str, ref_id: str, datasource: dict[str, str]) -> None:
        self.target = target
        self.ref_id = ref_id
        self.datasource = datasource

    def to_json(self) -> dict[str, Any]:
        return {"refId": self.ref_id, "target": self.target, "datasource": self.datasource}


class GraphiteTarget(cogbuilder.Builder[GraphiteQuery]):
    def __init__(self, target: str, ref_id: str, datasource: dict[str, str]) -> None:
        self._query = GraphiteQuery(target, ref_id, datasource)

    def build(self) -> GraphiteQuery:
        return self._query


def dashboard_uid(sf: SpecFile) -> str:
    """The spec's `dashboard.uid`, or `tallyflow-<file name>` (hashed when too long)."""
    if sf.spec.dashboard.uid:
        return sf.spec.dashboard.uid
    uid = f"tallyflow-{sf.id}"
    if len(uid) <= MAX_UID:
        return uid
    digest = hashlib.sha1(sf.id.encode()).hexdigest()[:8]
    return f"{uid[: MAX_UID - 9]}-{digest}"


def prometheus_name(metric: Metric) -> str:
    """The path's fixed part, before the first dimension, as a Prometheus metric name."""
    if metric.prometheus:
        return metric.prometheus
    fixed: list[str] = []
    for part in metric.path.split("."):
        if PLACEHOLDER.search(part):
            break
        fixed.append(part)
    while len(fixed) > 1 and fixed[-1].startswith("by"):
        fixed.pop()
    return "".join(c if c.isalnum() else "_" for c in "_".join(fixed)).lower()


@dataclass(frozen=True)
class _Query:
    """One view of a graph as a target expression and its legend."""

    expr: str
    legend: str


class _Targets:
    """Graph views as Graphite or PromQL expressions."""

    def __init__(self, spec: Spec, source: Datasource) -> None:
        self.spec = spec
        self.source = source

    def _dims(self, metric: Metric) -> dict[str, Dimension]:
        """Placeholder -> dimension, for the dimensions the metric declares."""
        found = (self.spec.dimension(name) for name in metric.dimensions)
        return {d.placeholder: d for d in found if d is not None}

    # -- Graphite

    def _pattern(self, metric: Metric, graph: Graph) -> str:
        dims = self._dims(metric)

        def fill(match: Any) -> str:
            key = match.group(1) or match.group(2)
            dim = dims.get(key)
            if dim is not None and dim.name in graph.where:
                return segment(graph.where[dim.name])
            if dim is not None and dim.variable:
                return f"${key}"
            return "*"

        return PLACEHOLDER.sub(fill, metric.path)

    def _nodes(self, metric: Metric, graph: Graph) -> list[int]:
        dims = self._dims(metric)
        parts = metric.path.split(".")
        nodes = []
        for name in graph.by:
            for index, part in enumerate(parts):
                match = PLACEHOLDER.fullmatch(part)
                key = match and (match.group(1) or match.group(2))
                if key and dims.get(key) is not None and dims[key].name == name:
                    nodes.append(index)
        return nodes

    def _grouped(self, metric: Metric, graph: Graph) -> str:
        pattern = self._pattern(metric, graph)
        nodes = self._nodes(metric, graph)
        if not nodes:
            return f"sumSeries({pattern})"
        return f"groupByNodes({pattern}, 'sum', {', '.join(map(str, nodes))})"

    def _alias(self, expr: str, graph: Graph, label: str) -> str:
        if graph.by:
            return f"aliasByNode({expr}, {', '.join(str(i) for i in range(len(graph.by)))})"
        return f"alias({expr}, '{label}')"

    def graphite(self, metric: Metric, graph: Graph, view: str) -> _Query:
        numerator = self._grouped(metric, graph)
        if view == "total":
            return _Query(self._alias(numerator, graph, metric.name), "")
        if view == "percent":
            whole = f"sumSeries({self._pattern(metric, graph)})"
            return _Query(self._alias(f"asPercent({numerator}, {whole})", graph, metric.name), "")
        denominator = self.spec.metric(metric.denominator or "")
        if denominator is None:
            raise ValueError(f"metric {metric.name} has no denominator for a mean view")
        den_graph = graph.model_copy(
            update={"where": {k: v for k, v in graph.where.items() if k in denominator.dimensions}}
        )
        below = self._grouped(denominator, den_graph)
        label = f"{metric.name} per {denominator.name}"
        if graph.by:
            ratio = f"divideSeriesLists(sortByName({numerator}), sortByName({below}))"
        else:
            ratio = f"divideSeries({numerator}, {below})"
        return _Query(self._alias(ratio, graph, label), "")

    # -- Prometheus

    def _selector(self, metric: Metric, graph: Graph) -> str:
        matchers = []
        for key, dim in self._dims(metric).items():
            if dim.name in graph.where:
                matchers.append(f'{key}="{segment(graph.where[dim.name])}"')
            elif dim.variable:
                matchers.append(f'{key}=~"${key}"')
        return prometheus_name(metric) + ("{" + ", ".join(matchers) + "}" if matchers else "")

    def _sum(self, metric: Metric, graph: Graph) -> str:
        keys = [d.placeholder for name in graph.by if (d := self.spec.dimension(name))]
        by = f" by ({', '.join(keys)})" if keys else ""
        return f"sum{by} ({self._selector(metric, graph)})"

    def promql(self, metric: Metric, graph: Graph, view: str) -> _Query:
        keys = [d.placeholder for name in graph.by if (d := self.spec.dimension(name))]
        legend = " ".join(f"{{{{{k}}}}}" for k in keys) or metric.name
        numerator = self._sum(metric, graph)
        if view == "total":
            return _Query(numerator, legend)
        if view == "percent":
            whole = f"scalar(sum ({self._selector(metric, graph)}))"
            return _Query(f"100 * {numerator} / {whole}", legend)
        denominator = self.spec.metric(metric.denominator or "")
        if denominator is None:
            raise ValueError(f"metric {metric.name} has no denominator for a mean view")
        den_graph = graph.model_copy(
            update={"where": {k: v for k, v in graph.where.items() if k in denominator.dimensions}}
        )
        return _Query(f"{numerator} / {self._sum(denominator, den_graph)}", legend)

    def query(self, metric: Metric, graph: Graph, view: str) -> _Query:
        if self.source == "graphite":
            return self.graphite(metric, graph, view)
        return self.promql(metric, graph, view)

    def variable_query(self, dim: Dimension) -> str:
        """Values of a dimension: from the first metric whose path uses it."""
        for metric in self.spec.metrics:
            if dim.name not in metric.dimensions or dim.placeholder not in metric.placeholders():
                continue
            if self.source == "prometheus":
                return f"label_values({prometheus_name(metric)}, {dim.placeholder})"
            parts = []
            for part in metric.path.split("."):
                match = PLACEHOLDER.fullmatch(part)
                if match and (match.group(1) or match.group(2)) == dim.placeholder:
                    parts.append("*")
                    break
                parts.append(PLACEHOLDER.sub("*", part))
            return ".".join(parts)
        return ""


VIEW_TITLES = {"total": "total", "percent": "share (%)", "mean": "mean"}


def _default_graphs(metric: Metric) -> list[Graph]:
    if metric.graphs:
        return metric.graphs
    show: list[Literal["mean", "percent", "total"]] = (
        ["mean", "total"] if metric.denominator else ["total"]
    )
    return [Graph(title=metric.name, show=show)]


def intro(sf: SpecFile) -> str:
    """Markdown of the intro text panel."""
    spec = sf.spec
    banner = []
    if spec.status in ("deprecated", "retired"):
        until = f" on {spec.sunset}" if spec.sunset else ""
        ticket = f" ({spec.cleanup_ticket})" if spec.cleanup_ticket else ""
        banner = [
            f"> **{spec.status.capitalize()}:** these metrics are removed{until}{ticket}.",
            "",
        ]
    lines = [
        *banner,
        f"**What:** {spec.feature}.",
        "",
        "**Why:** " + (" ".join(spec.research_questions) or "(no research question written)"),
        "",
        f"**Ticket:** [{spec.ticket}]({ticket_url(spec.ticket)}) · "
        f"**Responsible person:** {spec.owner} · **Status:** {spec.status}, {spec.term}"
        + (f", sunset {spec.sunset}" if spec.sunset else "")
        + (
            f" ([{spec.cleanup_ticket}]({ticket_url(spec.cleanup_ticket)}))"
            if spec.cleanup_ticket
            else ""
        ),
        "",
    ]
    for metric in spec.metrics:
        norm = f" Normalized {metric.normalization}." if metric.normalization else ""
        lines.append(f"- **{metric.name}**: {metric.description}.{norm}")
    sampled = [
        f"{s.name} samples {s.sample.rate:.2%} per {s.sample.unit}"
        for s in spec.streams
        if s.sample
    ]
    if sampled:
        lines += ["", "Sampling: " + "; ".join(sampled) + " (totals are reweighted)."]
    dates = [f"baseline from {spec.baseline_start}"] if spec.baseline_start else []
    dates += [f"deployed {spec.deploy}"] if spec.deploy else []
    if dates:
        lines += ["", "Timeline: " + ", ".join(dates) + "."]
    lines += [
        "",
        f"_Generated by tallyflow from metrics/{sf.path.name}: edit the spec, not this dashboard._",
    ]
    return "\n".join(lines)


def build_dashboard(sf: SpecFile, source: Datasource = "graphite") -> dict[str, Any]:
    """The dashboard model of one spec, as JSON-ready data."""
    spec = sf.spec
    targets = _Targets(spec, source)
    ds_var = "graphite_ds" if source == "graphite" else "prometheus_ds"
    ds_ref = DataSourceRef(type_val=source, uid=f"${{{ds_var}}}")
    tags = list(dict.fromkeys([*spec.dashboard.tags, "tallyflow"]))
    dash = (
        Dashboard(spec.dashboard.title or spec.feature)
        .uid(dashboard_uid(sf))
        .description(f"Metrics of {spec.feature} (generated from metrics/{sf.path.name})")
        .tags(tags)
        .time(spec.dashboard.time_from, "now")
        .timezone("utc")
        .link(
            DashboardLink(f"Ticket {spec.ticket}")
            .type(DashboardLinkType.LINK)
            .url(ticket_url(spec.ticket))
            .target_blank(True)
        )
        .link(
            DashboardLink("Related dashboards")
            .type(DashboardLinkType.DASHBOARDS)
            .tags(tags[:1])
            .as_dropdown(True)
        )
        .with_variable(DatasourceVariable(ds_var).label(source.capitalize()).type(source))
    )
    for dim in spec.dimensions:
        if not dim.variable:
            continue
        if dim.value_list:
            variable: Any = CustomVariable(dim.placeholder).values(",".join(dim.value_list))
        else:
            variable = (
                QueryVariable(dim.placeholder).datasource(ds_ref).query(targets.variable_query(dim))
            )
        dash = dash.with_variable(
            variable.label(dim.name)
            .multi(True)
            .include_all(True)
            .all_value("*" if source == "graphite" else ".*")
        )
    dash = dash.with_panel(
        text.Panel()
        .title(f"About: {spec.feature}")
        .content(intro(sf))
        .height(INTRO_HEIGHT)
        .span(24)
    )
    for metric in spec.metrics:
        dash = dash.with_row(Row(f"{metric.name}: {metric.description}"))
        for graph in _default_graphs(metric):
            width = max(6, 24 // max(1, len(graph.show)))
            for view in graph.show:
                query = targets.query(metric, graph, view)
                panel = (
                    timeseries.Panel()
                    .title(f"{graph.title} — {VIEW_TITLES[view]}")
                    .description(_describe(metric, view))
                    .datasource(ds_ref)
                    .unit({"percent": "percent", "mean": "short"}.get(view, metric.unit))
                    .stacking(common_builders.StackingConfig().mode(common.StackingMode.NONE))
                    .draw_style(common.GraphDrawStyle.LINE)
                    .fill_opacity(25)
                    .line_width(1)
                    .height(PANEL_HEIGHT)
                    .span(width)
                )
                if source == "graphite":
                    datasource = {"type": "graphite", "uid": f"${{{ds_var}}}"}
                    panel = panel.with_target(GraphiteTarget(query.expr, "A", datasource))
                else:
                    panel = panel.with_target(
                        prometheus.Dataquery()
                        .ref_id("A")
                        .expr(query.expr)
                        .legend_format(query.legend)
                        .datasource(ds_ref)
                    )
                if view == "mean":
                    panel = panel.decimals(2)
                dash = dash.with_panel(panel)
    data: dict[str, Any] = json.loads(json.dumps(dash.build(), cls=JSONEncoder))
    return data


def _describe(metric: Metric, view: str) -> str:
    if view == "mean":
        return f"{metric.description}, divided by {metric.denominator} ({metric.normalization})."
    if view == "percent":
        return f"{metric.description}: each series as a percentage of the total."
    return f"{metric.description}: total (reweighted for sampling)."


def dashboard_json(sf: SpecFile, source: Datasource = "graphite") -> str:
    """The dashboard file's text: two-space indented JSON and a final newline."""
    return json.dumps(build_dashboard(sf, source), indent=2, ensure_ascii=False) + "\n"


def dashboard_filename(sf: SpecFile) -> str:
    return f"{sf.id}.json"
