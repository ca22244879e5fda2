"""The metric spec model: one `metrics/<feature>.yaml` file per feature, after the seed's
"Specification" template (dimensions, metrics) and its right-to-left data-flow table.

Input: parsed YAML (see `tallyflow.spec.load`). Output: frozen pydantic models that every other
spec stage (lint, render, lifecycle, dashboards, the closed-loop check) reads. Unknown keys are
errors (`extra="forbid"`); cross-references (a metric's dimensions, a graph's `by`, a
denominator) are checked by the lint rules, so that one run reports all of them with lines.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PLACEHOLDER = re.compile(r"\{(\w+)\}|\$(\w+)")
"""A dimension in a Graphite path: ReportUpdater's `{wiki}` or Grafana's `$wiki`."""

Status = Literal["planned", "baseline", "active", "deprecated", "retired"]
Term = Literal["temporary", "long-term"]
View = Literal["mean", "percent", "total"]
NORMALIZED_VIEWS: frozenset[str] = frozenset({"mean", "percent"})
DEFAULT_VIEWS: tuple[View, ...] = ("mean", "total")


def segment(value: str | int | bool) -> str:
    """A dimension value as a Graphite path segment (`true`, not `True`)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sample(_Model):
    """Sampling of a source: the share kept, and what is sampled as a whole."""

    rate: float = Field(gt=0, le=1)
    unit: Literal["session", "pageview", "device", "event"] = "session"


class StreamSource(_Model):
    """An event stream the feature's metrics are computed from."""

    name: str
    schema_title: str | None = None
    """The stream's schema title; when absent, looked up in streams.yaml."""
    sample: Sample | None = None
    fields: list[str] = Field(default_factory=list)
    """Fields the instrument collects (checked for invasive measurements)."""


class CounterSource(_Model):
    """A StatsD counter the feature increments."""

    name: str
    sample: Sample | None = None


class RelatedSampling(_Model):
    """A related feature's sampling rate to match (the seed: VisualEditor samples 6.25%)."""

    feature: str
    rate: float = Field(gt=0, le=1)


class Dimension(_Model):
    """A row of the seed's Dimensions table."""

    name: str
    """As in Graphite paths: `byEditor`, `byWiki`."""
    key: str | None = None
    """The placeholder and column name (`editor`); default: `name` without `by`, lower-cased."""
    values: list[str | int | bool] | str = Field(default_factory=list)
    """Possible values, or a sentence describing them (e.g. `every wiki database name`)."""
    variable: bool = False
    """Include as a dashboard variable?"""
    field: str | None = None
    """The event field it comes from (e.g. `event.editor`)."""

    @property
    def placeholder(self) -> str:
        if self.key:
            return self.key
        bare = self.name[2:] if self.name.startswith("by") and len(self.name) > 2 else self.name
        return bare[:1].lower() + bare[1:]

    @property
    def value_list(self) -> list[str]:
        """Declared values as Graphite path segments."""
        if isinstance(self.values, str):
            return []
        return [segment(v) for v in self.values]


class Graph(_Model):
    """A wanted graph; each view becomes one dashboard panel."""

    title: str
    by: list[str] = Field(default_factory=list)
    """Dimensions (names) drawn as separate series."""
    where: dict[str, str | int | bool] = Field(default_factory=dict)
    """Fixed dimension values (`{byEnabled: true}`): only these series are drawn."""
    show: list[View] = Field(default_factory=lambda: list(DEFAULT_VIEWS))
    """`mean` (per denominator), `percent` (share across `by`), `total` (sum)."""
    link: str | None = None
    """Link to the graph once it exists."""

    @field_validator("by", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Metric(_Model):
    """A column of the seed's Metrics table."""

    name: str
    description: str
    path: str
    """Graphite path; dimensions appear as `{key}` (or `$key`), e.g. `X.byWiki.{wiki}`."""
    dimensions: list[str] = Field(default_factory=list)
    normalization: str | None = None
    """How the data is normalized, in words (`per session (not per user)`)."""
    denominator: str | None = None
    """Name of the metric it is divided by for `mean` views."""
    unit: str = "short"
    """Grafana unit of the total view."""
    prometheus: str | None = None
    """Prometheus metric name (default: the path's fixed part, dots as underscores)."""
    graphs: list[Graph] = Field(default_factory=list)

    def placeholders(self) -> list[str]:
        return [a or b for a, b in PLACEHOLDER.findall(self.path)]


class DataFlowRow(_Model):
    """A row of the seed's right-to-left data-flow table."""

    research_question: str
    dashboard: str | None = None
    panel: str | None = None
    aggregate_metric: str | None = None
    aggregation: str | None = None
    """The ReportUpdater report computing it: `<query folder>/<report key>`."""
    collected_metric: str | None = None
    collected_by: str | None = None
    initiated_by: str | None = None
    status: str | None = None
    history: str | None = None
    deprecation_plan: str | None = None
    metric: str | None = None
    """The spec metric this row draws (for the per-metric diagram)."""


class DashboardOptions(_Model):
    title: str | None = None
    """Default: the feature name."""
    uid: str | None = None
    """Default: derived from the spec file name (stable)."""
    tags: list[str] = Field(default_factory=list)
    time_from: str = "now-90d"
    folder: str | None = None


class Spec(_Model):
    """One feature's metric spec."""

    feature: str
    owner: str
    """The responsible person."""
    ticket: str
    """Ticket ID (`T273234`) or URL."""
    research_questions: list[str] = Field(default_factory=list)
    status: Status = "active"
    term: Term = "temporary"
    baseline_start: date | None = None
    deploy: date | None = None
    sunset: date | None = None
    cleanup_ticket: str | None = None
    streams: list[StreamSource] = Field(default_factory=list)
    counters: list[CounterSource] = Field(default_factory=list)
    related_sampling: list[RelatedSampling] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    data_flow: list[DataFlowRow] = Field(default_factory=list)
    dashboard: DashboardOptions = DashboardOptions()

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)

    def metric(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)


def ticket_url(ticket: str) -> str:
    """A Phabricator task ID becomes its URL; anything else is kept."""
    if re.fullmatch(r"T\d+", ticket):
        return f"https://phabricator.wikimedia.org/{ticket}"
    return ticket
