"""Rendering specs as the seed's tables: Markdown (a README), MediaWiki wikitext (a wiki page)
or HTML.

Input: loaded specs. Output: one document per spec: a summary (owner, ticket, lifecycle,
research questions, sources), the Dimensions table, the Metrics table (one column per metric,
as the seed's template), and the right-to-left data-flow table. Diagrams come from
`tallyflow.spec.diagram`; `images` maps metric names to the SVG file each document links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Literal

from tallyflow.spec.diagram import diagram
from tallyflow.spec.models import Spec, ticket_url

Format = Literal["markdown", "wikitext", "html"]
Part = tuple[str, str | None]
"""Text and, when it is a link, its URL."""
Cell = list[Part]
"""Lines of a cell."""

DATA_FLOW_HEADERS = [
    "Research questions",
    "Dashboard ▭",
    "Panel ▭ ←",
    "Aggregate metrics ═ ←",
    "Aggregation ◯ ←",
    "Collected metrics ═ ←",
    "Collected by ◯ ←",
    "Initiated by ▭",
    "Status summary",
    "History",
    "Deprecation plan",
]
DATA_FLOW_KEYS = [
    "research_question",
    "dashboard",
    "panel",
    "aggregate_metric",
    "aggregation",
    "collected_metric",
    "collected_by",
    "initiated_by",
    "status",
    "history",
    "deprecation_plan",
]
METRIC_ROWS = [
    ("description", "describe metric"),
    ("path", "Graphite path to metric"),
    ("dimensions", "name available dimensions, defined above"),
    ("normalization", "describe if and how the data should be normalized"),
    ("graphs", "name wanted graphs and link to the ones that are done"),
]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]


def text(value: object) -> Cell:
    return [(str(value), None)] if value not in (None, "") else []


def tables(spec: Spec) -> dict[str, Table]:
    """The seed's three tables for one spec."""
    dimensions = Table(
        ["dimension", "possible values", "include as variable?"],
        [
            [
                text(d.name),
                text(", ".join(d.value_list) if d.value_list else d.values),
                text("yes" if d.variable else "no"),
            ]
            for d in spec.dimensions
        ],
    )
    metric_rows: list[list[Cell]] = []
    for key, explanation in METRIC_ROWS:
        row: list[Cell] = [text(key), text(explanation)]
        for metric in spec.metrics:
            if key == "dimensions":
                row.append(text(", ".join(metric.dimensions)))
            elif key == "graphs":
                row.append([(g.title, g.link) for g in metric.graphs])
            else:
                row.append(text(getattr(metric, key)))
        metric_rows.append(row)
    metrics = Table(
        ["<name of metric>", "", *[m.name for m in spec.metrics]],
        metric_rows,
    )
    flow = Table(
        DATA_FLOW_HEADERS,
        [[text(getattr(row, key)) for key in DATA_FLOW_KEYS] for row in spec.data_flow],
    )
    return {"Dimensions": dimensions, "Metrics": metrics, "Data flow": flow}


def summary(spec: Spec) -> list[tuple[str, Cell]]:
    """Key facts above the tables."""
    lifecycle = f"{spec.status}, {spec.term}"
    dates = [
        f"{label} {value}"
        for label, value in (
            ("baseline from", spec.baseline_start),
            ("deployed", spec.deploy),
            ("sunset", spec.sunset),
        )
        if value
    ]
    sources = [
        f"stream {s.name}"
        + (f" (sampled {s.sample.rate:.2%} per {s.sample.unit})" if s.sample else "")
        for s in spec.streams
    ] + [
        f"counter {c.name}" + (f" (sampled {c.sample.rate:.2%})" if c.sample else "")
        for c in spec.counters
    ]
    items: list[tuple[str, Cell]] = [
        ("Responsible person", text(spec.owner)),
        ("Ticket", [(spec.ticket, ticket_url(spec.ticket))]),
        ("Status", text("; ".join([lifecycle, *dates]))),
    ]
    if spec.cleanup_ticket:
        items.append(("Clean-up ticket", [(spec.cleanup_ticket, ticket_url(spec.cleanup_ticket))]))
    if sources:
        items.append(("Data collection", text("; ".join(sources))))
    return items


# -- formats -------------------------------------------------------------------------------


def _md_escape(value: str) -> str:
    return re.sub(r"([|\\*_<>\[\]`])", r"\\\1", value)


def _md_cell(cell: Cell) -> str:
    return "<br>".join(f"[{_md_escape(t)}]({url})" if url else _md_escape(t) for t, url in cell)


def _wiki_escape(value: str) -> str:
    if re.search(r"\{\{|\}\}|\[\[|\]\]|''|~~~|__|<|>|\[|\]", value):
        return f"<nowiki>{value.replace('</nowiki>', '')}</nowiki>"
    return value.replace("|", "{{!}}")


def _wiki_cell(cell: Cell) -> str:
    return "<br />".join(
        f"[{url} {_wiki_escape(t)}]" if url else _wiki_escape(t) for t, url in cell
    )


def _html_cell(cell: Cell) -> str:
    return "<br>".join(
        f'<a href="{escape(url)}">{escape(t)}</a>' if url else escape(t) for t, url in cell
    )


def _markdown(spec: Spec, images: dict[str, str]) -> str:
    out = [f"## {_md_escape(spec.feature)}", ""]
    out += [f"- **{label}:** {_md_cell(cell)}" for label, cell in summary(spec)]
    if spec.research_questions:
        out += ["", "Research questions:", ""]
        out += [f"- {_md_escape(q)}" for q in spec.research_questions]
    for name, table in tables(spec).items():
        if not table.rows:
            continue
        out += ["", f"### {name}", ""]
        out.append("| " + " | ".join(_md_escape(h) for h in table.headers) + " |")
        out.append("|" + "---|" * len(table.headers))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
    for metric, image in images.items():
        out += ["", f"![Data flow of {_md_escape(metric)}]({image})"]
    return "\n".join(out) + "\n"


def _wikitext(spec: Spec, images: dict[str, str]) -> str:
    out = [f"== {_wiki_escape(spec.feature)} =="]
    out += [f"* '''{label}:''' {_wiki_cell(cell)}" for label, cell in summary(spec)]
    if spec.research_questions:
        out += ["", "Research questions:"]
        out += [f"* {_wiki_escape(q)}" for q in spec.research_questions]
    for name, table in tables(spec).items():
        if not table.rows:
            continue
        out += ["", f"=== {name} ===", '{| class="wikitable"']
        out.append("! " + " !! ".join(_wiki_escape(h) or " " for h in table.headers))
        for row in table.rows:
            out.append("|-")
            out += [f"| {_wiki_cell(cell)}" for cell in row]
        out.append("|}")
    for metric, image in images.items():
        out += ["", f"[[File:{image}|thumb|none|Data flow of {_wiki_escape(metric)}]]"]
    return "\n".join(out) + "\n"


def _html(spec: Spec, images: dict[str, str]) -> str:
    out = [f"<section><h2>{escape(spec.feature)}</h2>", "<ul>"]
    out += [f"<li><b>{escape(label)}:</b> {_html_cell(cell)}</li>" for label, cell in summary(spec)]
    out.append("</ul>")
    if spec.research_questions:
        out.append("<p>Research questions:</p><ul>")
        out += [f"<li>{escape(q)}</li>" for q in spec.research_questions]
        out.append("</ul>")
    for name, table in tables(spec).items():
        if not table.rows:
            continue
        out += [f"<h3>{escape(name)}</h3>", "<table>"]
        out.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.headers) + "</tr>")
        for row in table.rows:
            out.append("<tr>" + "".join(f"<td>{_html_cell(c)}</td>" for c in row) + "</tr>")
        out.append("</table>")
    for metric in spec.metrics:
        if metric.name in images:
            out.append(
                f'<figure><img src="{escape(images[metric.name])}" alt="Data flow of '
                f'{escape(metric.name)}"></figure>'
            )
        else:
            out.append(f"<figure>{diagram(spec, metric)}</figure>")
    out.append("</section>")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Spec, dict[str, str]], str]] = {
    "markdown": _markdown,
    "wikitext": _wikitext,
    "html": _html,
}
EXTENSIONS = {"markdown": "md", "wikitext": "wiki", "html": "html"}
HTML_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Metric specs</title>'
    "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #a2a9b1;padding:.3em .5em;vertical-align:top}th{background:#eaecf0}"
    "</style></head><body>\n{body}</body></html>\n"
)


def slug(name: str) -> str:
    """A file-name-safe form of a metric name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "metric"


def render_spec(spec: Spec, fmt: Format, images: dict[str, str] | None = None) -> str:
    """One spec as a document section; `images` maps metric names to diagram files to link
    (HTML inlines the SVG when a metric has none)."""
    return RENDERERS[fmt](spec, images or {})


def page(sections: list[str], fmt: Format) -> str:
    """Sections joined into one document (a full page for HTML)."""
    body = "\n".join(sections)
    return HTML_PAGE.replace("{body}", body) if fmt == "html" else body
