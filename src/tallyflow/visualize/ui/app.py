"""The web UI as an ASGI app (Starlette): the page modules' routes, the static assets and the
health endpoint. Read-only: nothing here writes to the project or its store.
"""

from __future__ import annotations

import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from tallyflow.project import Project
from tallyflow.visualize import graphite
from tallyflow.visualize.ui import catalog, dashboards, reports, schemas, streams
from tallyflow.visualize.ui.pages import STATIC, UI


def create_app(project: Project) -> Starlette:
    """The web UI of `project`."""
    started = time.time()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse(
            {"status": "ok", "project": str(project.root), "uptime_s": round(time.time() - started)}
        )

    ui = UI(project)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
        Mount(dashboards.GRAPHITE_MOUNT, routes=graphite.routes(project.store_root)),
        *dashboards.routes(ui),
        *catalog.routes(ui),
        *streams.routes(ui),
        *reports.routes(ui),
        *schemas.routes(ui),
    ]
    return Starlette(routes=routes)
