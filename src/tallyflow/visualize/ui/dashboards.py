"""The Dashboards section: every dashboard of the project's spec, drawn from the series store.

Input: the spec files (`metrics/*.yaml`, read on every request, so an edited spec shows at
once) and their Grafana dashboard models (`build_dashboard(sf, "graphite")`). Output: `/`, the
list of dashboards, and `/dashboards/{uid}`, one dashboard with the same panels as the
generated Grafana JSON: the intro text rendered from its Markdown, rows, time-series panels at
their grid widths, template variables, a time range picker and auto-refresh. The page ships
each panel's Graphite targets to `static/dashboards.js`, which substitutes the variables and
reads `/graphite/render` (the Graphite API mounted beside this section).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

from tallyflow.errors import TallyflowError
from tallyflow.spec.load import load_spec, spec_paths
from tallyflow.visualize.grafana import build_dashboard
from tallyflow.visualize.ui.pages import UI

GRAPHITE_MOUNT = "/graphite"
"""Where the Graphite API is mounted (a Grafana Graphite datasource URL ends with it)."""

TIME_RANGES = [
    ("now-1h", "Last 1 hour"),
    ("now-6h", "Last 6 hours"),
    ("now-24h", "Last 24 hours"),
    ("now-7d", "Last 7 days"),
    ("now-30d", "Last 30 days"),
    ("now-90d", "Last 90 days"),
    ("now-1y", "Last 1 year"),
]
"""The time range picker's choices (Grafana's quick ranges)."""

REFRESH = [("", "Off"), ("10s", "10s"), ("30s", "30s"), ("1m", "1m")]
"""Auto-refresh choices: URL value and label."""

ROW_HEIGHT_PX = 30
"""Pixels per grid unit of height, as in Grafana."""

_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Entry:
    """One spec file in the list: its dashboard, or why it has none."""

    file: str
    uid: str = ""
    title: str = ""
    feature: str = ""
    owner: str = ""
    status: str = ""
    tags: tuple[str, ...] = ()
    error: str = ""


def entries(ui: UI) -> list[tuple[Entry, dict[str, Any] | None]]:
    """Every spec file of the project with its Grafana dashboard model, each loaded alone: a
    bad file is listed with its error (and no model) and does not hide the others."""
    found: list[tuple[Entry, dict[str, Any] | None]] = []
    for path in spec_paths(ui.project):
        try:
            sf = load_spec(path)
        except TallyflowError as error:
            text = error.message + (f"\n{error.hint}" if error.hint else "")
            found.append((Entry(file=path.name, error=text), None))
            continue
        model = build_dashboard(sf, "graphite")
        entry = Entry(
            file=path.name,
            uid=model["uid"],
            title=model["title"],
            feature=sf.spec.feature,
            owner=sf.spec.owner,
            status=sf.spec.status,
            tags=tuple(model.get("tags", [])),
        )
        found.append((entry, model))
    return found


def render_markdown(text: str) -> str:
    """A text panel's Markdown as HTML (raw HTML in the source is escaped, not passed on)."""
    html: str = _markdown.render(text)
    return html


def time_ranges(default_from: str) -> list[tuple[str, str]]:
    """The picker's choices, with the dashboard's default range marked (added if missing)."""
    choices = [
        (value, f"{label} (default)" if value == default_from else label)
        for value, label in TIME_RANGES
    ]
    if default_from not in dict(TIME_RANGES):
        choices.insert(0, (default_from, f"{default_from} (default)"))
    return choices


def _panel(panel: dict[str, Any], index: int) -> dict[str, Any]:
    """What the template and the script need of one Grafana panel."""
    grid = panel.get("gridPos", {})
    width = max(1, min(24, int(grid.get("w", 24))))
    column = max(0, min(24 - width, int(grid.get("x", 0)))) + 1
    view: dict[str, Any] = {
        "index": index,
        "type": panel.get("type", ""),
        "title": panel.get("title", ""),
        "description": panel.get("description", ""),
        "column": column,
        "width": width,
        "height": int(grid.get("h", 8)) * ROW_HEIGHT_PX,
    }
    if view["type"] == "text":
        view["html"] = render_markdown(panel.get("options", {}).get("content", ""))
    elif view["type"] == "timeseries":
        defaults = panel.get("fieldConfig", {}).get("defaults", {})
        view["targets"] = [
            t["target"] for t in panel.get("targets", []) if t.get("target") and not t.get("hide")
        ]
        view["unit"] = defaults.get("unit", "short")
        view["decimals"] = defaults.get("decimals")
    return view


def _variable(variable: dict[str, Any]) -> dict[str, Any] | None:
    """A template variable as a select; None for the datasource variable (there is one)."""
    kind = variable.get("type")
    if kind not in ("custom", "query"):
        return None
    query = str(variable.get("query", ""))
    options = [v.strip() for v in query.split(",") if v.strip()] if kind == "custom" else []
    multi = bool(variable.get("multi"))
    return {
        "name": variable["name"],
        "label": variable.get("label") or variable["name"],
        "type": kind,
        "query": query if kind == "query" else "",
        "options": options,
        "multi": multi,
        "size": (min(len(options) + 1, 4) if kind == "custom" else 4) if multi else 1,
        "include_all": bool(variable.get("includeAll")),
        "all_value": variable.get("allValue"),
    }


def _links(
    dashboard: dict[str, Any], listed: list[tuple[Entry, dict[str, Any] | None]]
) -> list[dict[str, Any]]:
    """The dashboard's links: plain links as they are, a "dashboards" link as the dashboards of
    this project sharing its tags (what Grafana's drop-down lists)."""
    links: list[dict[str, Any]] = []
    for link in dashboard.get("links", []):
        if link.get("type") == "link" and link.get("url"):
            links.append({"title": link["title"], "url": link["url"], "external": True})
        elif link.get("type") == "dashboards":
            tags = set(link.get("tags", []))
            for entry, _ in listed:
                if entry.uid and entry.uid != dashboard["uid"] and tags & set(entry.tags):
                    links.append(
                        {"title": entry.title, "url": f"/dashboards/{entry.uid}", "external": False}
                    )
    return links


def routes(ui: UI) -> list[BaseRoute]:
    """`/` (the list) and `/dashboards/{uid}` (one dashboard)."""

    async def index(request: Request) -> HTMLResponse:
        listed = await run_in_threadpool(entries, ui)
        folder = ui.project.path(ui.project.settings.metrics)
        return ui.page(
            request,
            "dashboards/index.html",
            title="Dashboards",
            section="dashboards",
            entries=[entry for entry, _ in listed],
            folder=folder,
        )

    async def dashboard(request: Request) -> HTMLResponse:
        uid = request.path_params["uid"]
        listed = await run_in_threadpool(entries, ui)
        found = next(((e, m) for e, m in listed if m is not None and e.uid == uid), None)
        if found is None:
            return ui.page(
                request,
                "dashboards/not_found.html",
                title="No such dashboard",
                section="dashboards",
                status_code=404,
                uid=uid,
                entries=[entry for entry, _ in listed],
            )
        entry, model = found
        panels = [_panel(p, i) for i, p in enumerate(model.get("panels", []))]
        variables = [v for v in map(_variable, model["templating"]["list"]) if v is not None]
        time_from = model.get("time", {}).get("from", "now-90d")
        config = {
            "graphite": GRAPHITE_MOUNT,
            "time": {"from": time_from, "to": model.get("time", {}).get("to", "now")},
            "variables": variables,
            "panels": [p for p in panels if p["type"] == "timeseries"],
        }
        return ui.page(
            request,
            "dashboards/dashboard.html",
            title=model["title"],
            section="dashboards",
            dashboard=model,
            spec_file=entry.file,
            panels=panels,
            variables=variables,
            time_ranges=time_ranges(time_from),
            refresh_choices=REFRESH,
            links=_links(model, listed),
            config=config,
        )

    return [
        Route("/", index),
        Route("/dashboards/{uid}", dashboard),
    ]
