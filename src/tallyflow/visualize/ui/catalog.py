"""The Catalog section: every feature's metric spec as the seed writes it.

Input: the project's specs (`metrics/*.yaml`), streams.yaml and report folders, and today's
date. Output: `Feature` records (the spec's tables as `spec render` makes them, one data-flow
diagram per metric as inline SVG with a text alternative, lifecycle state and clean-up plan,
streams with their sampling) and the pages `/catalog` and `/catalog/{spec id}`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from tallyflow.collect.streams import load_streams
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.spec.diagram import STEPS, diagram, row_for
from tallyflow.spec.lifecycle import Due, plan
from tallyflow.spec.load import SpecFile, load_specs
from tallyflow.spec.models import Sample, ticket_url
from tallyflow.spec.render import Cell, Table, summary, tables
from tallyflow.spec.report_index import report_locator
from tallyflow.visualize.ui.pages import UI

DEFAULT_WITHIN = 30
"""Days ahead in which a sunset date makes a spec due for clean-up."""


@dataclass(frozen=True)
class Diagram:
    metric: str
    svg: Markup
    steps: list[tuple[str, str]]
    """The text alternative: (step, what) in the order data flows (initiated by first)."""
    question: str


@dataclass(frozen=True)
class StreamUse:
    """A stream (or counter) the feature collects from, and its sampling."""

    kind: str
    """`stream` or `counter`."""
    name: str
    schema_title: str | None
    sampling: str
    configured: bool
    """Whether streams.yaml has it (always True for counters)."""


@dataclass(frozen=True)
class Feature:
    """One spec, ready to show."""

    file: SpecFile
    summary: list[tuple[str, Cell]]
    tables: dict[str, Table]
    diagrams: list[Diagram]
    streams: list[StreamUse]
    due: Due | None

    @property
    def id(self) -> str:
        return self.file.id

    @property
    def ticket_link(self) -> str:
        return ticket_url(self.file.spec.ticket)

    @property
    def state(self) -> str:
        """The spec's `status`, or `due for sunset` when the clean-up plan lists it."""
        if self.due is not None and self.file.spec.status != "deprecated":
            return "due for sunset"
        return self.file.spec.status


def sampling_text(sample: Sample | None) -> str:
    if sample is None:
        return "not sampled (every event)"
    return f"{sample.rate:.2%} per {sample.unit}"


def diagrams_of(sf: SpecFile) -> list[Diagram]:
    """One diagram per metric; marker ids made unique so several fit on one page."""
    found = []
    for number, metric in enumerate(sf.spec.metrics):
        row = row_for(sf.spec, metric)
        svg = diagram(sf.spec, metric)
        svg = svg.replace('id="head"', f'id="head-{sf.id}-{number}"').replace(
            "url(#head)", f"url(#head-{sf.id}-{number})"
        )
        steps = [
            (label, str(getattr(row, key)))
            for key, label, _ in reversed(STEPS)
            if getattr(row, key)
        ]
        found.append(Diagram(metric.name, Markup(svg), steps, row.research_question))
    return found


def streams_of(project: Project, sf: SpecFile) -> list[StreamUse]:
    config = load_streams(project.streams_path)
    uses = []
    for stream in sf.spec.streams:
        configured = config.lookup(stream.name)
        sample = stream.sample
        text = sampling_text(sample)
        if sample is None and configured is not None and configured.sample is not None:
            text = f"{configured.sample.rate:.2%} per {configured.sample.unit} (streams.yaml)"
        title = stream.schema_title or (configured.schema_title if configured else None)
        uses.append(StreamUse("stream", stream.name, title, text, configured is not None))
    uses += [
        StreamUse("counter", c.name, None, sampling_text(c.sample), True) for c in sf.spec.counters
    ]
    return uses


def features(project: Project, today: dt.date, within: int = DEFAULT_WITHIN) -> list[Feature]:
    """Every spec of the project with what the catalog shows of it."""
    specs = load_specs(project)
    due = {
        item.spec.path: item
        for item in plan(project, specs, today, within, report_locator(project))
    }
    return [
        Feature(
            file=sf,
            summary=summary(sf.spec),
            tables=tables(sf.spec),
            diagrams=diagrams_of(sf),
            streams=streams_of(project, sf),
            due=due.get(sf.path),
        )
        for sf in specs
    ]


def _within(request: Request) -> int:
    raw = request.query_params.get("within", "")
    return int(raw) if raw.isdigit() and int(raw) <= 3650 else DEFAULT_WITHIN


def routes(ui: UI) -> list[BaseRoute]:
    def gather(request: Request) -> tuple[list[Feature] | None, str | None, int]:
        within = _within(request)
        try:
            return features(ui.project, dt.datetime.now(dt.UTC).date(), within), None, within
        except TallyflowError as error:
            return None, str(error), within

    def index(request: Request) -> Response:
        found, error, within = gather(request)
        return ui.page(
            request,
            "catalog/index.html",
            title="Catalog",
            section="catalog",
            features=found or [],
            error=error,
            within=within,
        )

    def feature(request: Request) -> HTMLResponse:
        found, error, within = gather(request)
        wanted = request.path_params["spec_id"]
        match = next((f for f in found or [] if f.id == wanted), None)
        if match is None:
            return ui.page(
                request,
                "missing.html",
                title="No such feature",
                section="catalog",
                status_code=404,
                message=error or f"No metric spec with the id {wanted!r}.",
                back=("/catalog", "every feature"),
            )
        return ui.page(
            request,
            "catalog/feature.html",
            title=match.file.spec.feature,
            section="catalog",
            feature=match,
            within=within,
        )

    return [
        Route("/catalog", index, name="catalog"),
        Route("/catalog/{spec_id}", feature, name="catalog_feature"),
    ]
