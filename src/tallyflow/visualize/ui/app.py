"""The web UI as an ASGI app (Starlette): the page modules' routes, the static assets, and the
health endpoints: `/healthz` (JSON; under `tallyflow up` every stage, 503 when one is down) and
`/metrics` (the stages' self-metrics, Prometheus text). Read-only: nothing here writes to the
project or its store.
"""

from __future__ import annotations

import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from tallyflow.project import Project
from tallyflow.visualize import graphite
from tallyflow.visualize.ui import catalog, dashboards, health, reports, schemas, streams
from tallyflow.visualize.ui.pages import STATIC, UI


def create_app(project: Project) -> Starlette:
    """The web UI of `project`."""
    started = time.time()

    async def healthz(request: Request) -> JSONResponse:
        body = {
            "status": "ok",
            "project": str(project.root),
            "uptime_s": round(time.time() - started),
        }
        loaded = health.load_stages()
        if loaded is None:
            return JSONResponse(body)
        results = await health.check(*loaded)
        down = [result.name for result in results if not result.ok]
        body["status"] = "down" if down else "ok"
        body["stages"] = {r.name: {"ok": r.ok, **r.detail} for r in results}
        return JSONResponse(body, status_code=503 if down else 200)

    async def metrics(request: Request) -> PlainTextResponse:
        loaded = health.load_stages()
        results = await health.check(*loaded) if loaded is not None else []
        text = health.prometheus_text(results, time.time() - started)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    ui = UI(project)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
        Mount(dashboards.GRAPHITE_MOUNT, routes=graphite.routes(project.store_root)),
        *dashboards.routes(ui),
        *catalog.routes(ui),
        *streams.routes(ui),
        *reports.routes(ui),
        *schemas.routes(ui),
    ]
    return Starlette(routes=routes)
