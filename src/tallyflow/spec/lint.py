"""Lint rules for metric specs: the seed's rules (Scheduling, Sampling, Deprecation, Data
collection, Grafana tips) written as checks.

Input: loaded `SpecFile`s, today's date and a stream -> schema title lookup (streams.yaml).
Output: `Finding`s naming the file, the line and the fix. Every rule is a function in `RULES`.
"""

from __future__ import annotations

import calendar
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tallyflow.spec.findings import Finding
from tallyflow.spec.load import SpecFile
from tallyflow.spec.models import NORMALIZED_VIEWS, Sample

FAR_FACTOR = 4.0
"""Sampling rates that differ by this factor or more are "far" from each other."""
INVASIVE = re.compile(
    r"^(user_?id|userid|user_?name|performer_?id|actor_?id|edit_?count|user_edit_count|"
    r"(client_)?ip|ip_?address|email)$",
    re.IGNORECASE,
)
"""Field names of invasive measurements (raw user ID, edit count, IP). Buckets are fine."""
NEW_STATUSES = ("planned", "baseline")


@dataclass
class LintContext:
    today: date
    specs: list[SpecFile] = field(default_factory=list)
    """All specs of the project (for related features' sampling)."""
    stream_schema: Callable[[str], str | None] = lambda _stream: None
    """The schema title streams.yaml gives a stream."""


Rule = Callable[[SpecFile, LintContext], list[Finding]]


def add_month(day: date) -> date:
    """The same day one calendar month later (clamped to the month's end)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def baseline_too_short(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    if spec.deploy is None:
        return []
    if spec.baseline_start is None:
        return [
            Finding(
                "baseline-too-short",
                sf.where(("deploy",)),
                f"deploy date {spec.deploy} has no baseline period before it",
                f"set baseline_start to {spec.deploy.replace(day=1)} or earlier: the seed asks "
                "for at least one month of baseline data before deploying",
            )
        ]
    if add_month(spec.baseline_start) > spec.deploy:
        days = (spec.deploy - spec.baseline_start).days
        return [
            Finding(
                "baseline-too-short",
                sf.where(("baseline_start",)),
                f"baseline from {spec.baseline_start} to deploy on {spec.deploy} is {days} days, "
                "less than one month",
                "start the baseline at least one month before the deploy date, or deploy later",
            )
        ]
    return []


def temporary_without_sunset(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    if spec.term != "temporary" or spec.status == "retired":
        return []
    missing = [k for k in ("sunset", "cleanup_ticket") if getattr(spec, k) is None]
    if not missing:
        return []
    return [
        Finding(
            "temporary-without-sunset",
            sf.where(("term",)),
            f"temporary metrics without {' and '.join(missing)}",
            "add `sunset: YYYY-MM-DD` and `cleanup_ticket: T...` (or `term: long-term` for one "
            "of the few long-term indicators)",
        )
    ]


def sunset_passed(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    if spec.sunset is None or spec.sunset >= ctx.today or spec.status == "retired":
        return []
    return [
        Finding(
            "sunset-passed",
            sf.where(("sunset",)),
            f"sunset date {spec.sunset} has passed ({(ctx.today - spec.sunset).days} days ago)",
            "remove the metrics (run `tallyflow spec lifecycle` for the clean-up checklist) "
            "and set `status: retired`, or move the sunset date with a reason",
        )
    ]


def _is_new(sf: SpecFile, today: date) -> bool:
    spec = sf.spec
    return spec.status in NEW_STATUSES or spec.deploy is None or spec.deploy > today


def legacy_schema(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    if not _is_new(sf, ctx.today):
        return []
    found = []
    for index, stream in enumerate(sf.spec.streams):
        title = stream.schema_title or ctx.stream_schema(stream.name) or ""
        if title.startswith("analytics/legacy/") or stream.name.lower().startswith("eventlogging_"):
            found.append(
                Finding(
                    "legacy-schema",
                    sf.where(("streams", index, "name")),
                    f"new spec collects through the legacy EventLogging stream {stream.name}"
                    + (f" (schema {title})" if title else ""),
                    "do not create new EventLogging schemas: write a modern event platform schema "
                    "(e.g. analytics/<feature>/...) and a stream for it",
                )
            )
    return found


def _samples(sf: SpecFile) -> list[tuple[tuple[str | int, ...], str, Sample]]:
    spec = sf.spec
    found: list[tuple[tuple[str | int, ...], str, Sample]] = []
    for index, stream in enumerate(spec.streams):
        if stream.sample is not None:
            found.append((("streams", index, "sample"), stream.name, stream.sample))
    for index, counter in enumerate(spec.counters):
        if counter.sample is not None:
            found.append((("counters", index, "sample"), counter.name, counter.sample))
    return found


def per_event_sampling(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    return [
        Finding(
            "per-event-sampling",
            sf.where((*key, "unit")),
            f"{name} is sampled per event ({sample.rate:g}), so frequent usage is undercounted",
            "sample per session (or per pageview): `unit: session`, e.g. with mw.eventLog.inSample",
        )
        for key, name, sample in _samples(sf)
        if sample.unit == "event" and sample.rate < 1
    ]


def sampling_mismatch(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    references = [(r.feature, r.rate) for r in sf.spec.related_sampling]
    others = [
        sample.rate
        for other in ctx.specs
        if other.path != sf.path
        for _key, _name, sample in _samples(other)
    ]
    if others:
        references.append(("the project's other features (median)", statistics.median(others)))
    found = []
    for key, name, sample in _samples(sf):
        for feature, rate in references:
            ratio = max(rate, sample.rate) / min(rate, sample.rate)
            if ratio >= FAR_FACTOR:
                found.append(
                    Finding(
                        "sampling-mismatch",
                        sf.where((*key, "rate")),
                        f"{name} samples {sample.rate:.2%}, {ratio:.0f}x off {feature} "
                        f"({rate:.2%})",
                        f"match related features' sampling (e.g. rate: {rate:g}) so results "
                        "compare",
                        severity="warning",
                    )
                )
    return found


def undeclared_dimension(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    declared = {d.name: d for d in spec.dimensions}
    by_placeholder = {d.placeholder: d for d in spec.dimensions}
    found = []
    for m_index, metric in enumerate(spec.metrics):
        for d_index, name in enumerate(metric.dimensions):
            if name not in declared:
                found.append(
                    Finding(
                        "undeclared-dimension",
                        sf.where(("metrics", m_index, "dimensions", d_index)),
                        f"metric {metric.name} uses dimension {name}, which is not declared",
                        f"declare `{name}` under `dimensions:` (name, values, variable)",
                    )
                )
        own = {declared[n].placeholder for n in metric.dimensions if n in declared}
        for placeholder in metric.placeholders():
            if placeholder in own:
                continue
            if placeholder in by_placeholder:
                fix = f"add {by_placeholder[placeholder].name} to the metric's `dimensions`"
            else:
                fix = (
                    f"declare a dimension with key `{placeholder}` under `dimensions:` and list "
                    "it in the metric's `dimensions`"
                )
            found.append(
                Finding(
                    "undeclared-dimension",
                    sf.where(("metrics", m_index, "path")),
                    f"path of metric {metric.name} uses {{{placeholder}}}, not a dimension of it",
                    fix,
                )
            )
        for g_index, graph in enumerate(metric.graphs):
            for name, key in [(n, "by") for n in graph.by] + [(n, "where") for n in graph.where]:
                if name not in metric.dimensions:
                    found.append(
                        Finding(
                            "undeclared-dimension",
                            sf.where(("metrics", m_index, "graphs", g_index, key)),
                            f"graph '{graph.title}' {key} names {name}, not a dimension of "
                            f"metric {metric.name}",
                            f"add {name} to the metric's `dimensions` or drop it from `{key}`",
                        )
                    )
    return found


def invasive_field(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    if spec.term != "long-term":
        return []
    fields: list[tuple[tuple[str | int, ...], str]] = [
        (("streams", s_index, "fields", f_index), name)
        for s_index, stream in enumerate(spec.streams)
        for f_index, name in enumerate(stream.fields)
    ]
    fields += [
        (("dimensions", index, "field"), dim.field)
        for index, dim in enumerate(spec.dimensions)
        if dim.field
    ]
    return [
        Finding(
            "invasive-field",
            sf.where(key),
            f"long-term metrics keep the invasive field {name}",
            "drop it from collection, or keep a reduced form (e.g. user_edit_count_bucket); "
            "long-term metrics should hold only the most useful, least invasive indicators",
        )
        for key, name in fields
        if INVASIVE.match(name.rsplit(".", 1)[-1])
    ]


def graph_views(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    found = []
    for m_index, metric in enumerate(sf.spec.metrics):
        for g_index, graph in enumerate(metric.graphs):
            where = sf.where(("metrics", m_index, "graphs", g_index, "show"))
            views = set(graph.show)
            missing = []
            if "total" not in views:
                missing.append("a total view (`total`), to show scale differences")
            if not views & NORMALIZED_VIEWS:
                missing.append("a normalized view (`mean` or `percent`)")
            if missing:
                found.append(
                    Finding(
                        "graph-views",
                        where,
                        f"graph '{graph.title}' of {metric.name} lacks {' and '.join(missing)}",
                        "show both: e.g. `show: [mean, total]` (the seed: means and percentages "
                        "plus totals)",
                    )
                )
            denominator = sf.spec.metric(metric.denominator or "")
            lacking = [n for n in graph.by if denominator and n not in denominator.dimensions]
            if "mean" in views and denominator is not None and lacking:
                found.append(
                    Finding(
                        "graph-views",
                        where,
                        f"graph '{graph.title}' shows a mean by {', '.join(lacking)} but the "
                        f"denominator {denominator.name} has no such dimension",
                        "split the denominator by it too, or show `percent` for that split",
                    )
                )
            if "mean" in views and metric.denominator is None:
                found.append(
                    Finding(
                        "graph-views",
                        where,
                        f"graph '{graph.title}' shows a mean but {metric.name} has no denominator",
                        "set the metric's `denominator:` to the metric it is divided by (e.g. "
                        "sessions), or show `percent` instead",
                    )
                )
            if "percent" in views and not graph.by:
                found.append(
                    Finding(
                        "graph-views",
                        where,
                        f"graph '{graph.title}' shows percentages of nothing (no `by`)",
                        "split it by a dimension (`by: [byEditor]`) or show `mean` instead",
                    )
                )
    return found


def unknown_reference(sf: SpecFile, ctx: LintContext) -> list[Finding]:
    spec = sf.spec
    names = [m.name for m in spec.metrics]
    found = []
    for m_index, metric in enumerate(spec.metrics):
        if metric.denominator is not None and metric.denominator not in names:
            found.append(
                Finding(
                    "unknown-reference",
                    sf.where(("metrics", m_index, "denominator")),
                    f"denominator {metric.denominator} of {metric.name} is not a metric here",
                    f"declare it under `metrics:` or use one of: {', '.join(names)}",
                )
            )
    for r_index, row in enumerate(spec.data_flow):
        if row.metric is not None and row.metric not in names:
            found.append(
                Finding(
                    "unknown-reference",
                    sf.where(("data_flow", r_index, "metric")),
                    f"data-flow row names metric {row.metric}, which is not declared",
                    f"use one of: {', '.join(names) or '(no metrics declared)'}",
                )
            )
    for kind, items in (("metric", names), ("dimension", [d.name for d in spec.dimensions])):
        for index, name in enumerate(items):
            if name in items[:index]:
                plural = "metrics" if kind == "metric" else "dimensions"
                found.append(
                    Finding(
                        "unknown-reference",
                        sf.where((plural, index, "name")),
                        f"{kind} {name} is declared twice",
                        "give each one a unique name",
                    )
                )
    return found


RULES: dict[str, Rule] = {
    "baseline-too-short": baseline_too_short,
    "temporary-without-sunset": temporary_without_sunset,
    "sunset-passed": sunset_passed,
    "legacy-schema": legacy_schema,
    "per-event-sampling": per_event_sampling,
    "sampling-mismatch": sampling_mismatch,
    "undeclared-dimension": undeclared_dimension,
    "invasive-field": invasive_field,
    "graph-views": graph_views,
    "unknown-reference": unknown_reference,
}


def lint(specs: list[SpecFile], ctx: LintContext) -> list[Finding]:
    """Every rule over every spec, in file then rule order."""
    ctx.specs = ctx.specs or specs
    return [finding for sf in specs for rule in RULES.values() for finding in rule(sf, ctx)]
