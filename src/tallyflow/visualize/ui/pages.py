"""What every page module shares: the project, the templates and one way to render a page.

A page module (dashboards, catalog, streams, reports, schemas) exposes
`routes(ui: UI) -> list[BaseRoute]`; its templates extend `base.html` and fill
`{% block content %}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from tallyflow.project import Project

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SECTIONS = [
    ("dashboards", "Dashboards", "/"),
    ("catalog", "Catalog", "/catalog"),
    ("streams", "Streams", "/streams"),
    ("reports", "Reports", "/reports"),
    ("schemas", "Schemas", "/schemas"),
]
"""The navigation: (section key, label, path)."""


@dataclass
class UI:
    """One web UI over one project."""

    project: Project
    templates: Jinja2Templates = field(
        default_factory=lambda: Jinja2Templates(directory=str(TEMPLATES))
    )

    def page(
        self,
        request: Request,
        template: str,
        *,
        title: str,
        section: str,
        status_code: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        """`template` rendered with the navigation, the page title and `context`."""
        response: HTMLResponse = self.templates.TemplateResponse(
            request,
            template,
            {
                "title": title,
                "section": section,
                "sections": SECTIONS,
                "project_name": self.project.root.name,
                **context,
            },
            status_code=status_code,
        )
        return response
