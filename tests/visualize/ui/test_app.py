"""The UI app's shared parts: health endpoint, static assets shipped in the package."""

from __future__ import annotations

import httpx

from tallyflow.project import Project
from tallyflow.visualize.ui.app import create_app


def _client(project: Project) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(project))
    return httpx.AsyncClient(transport=transport, base_url="http://ui")


async def test_healthz_answers_ok_with_the_project(example_project: Project) -> None:
    async with _client(example_project) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["project"] == str(example_project.root)


async def test_chart_library_is_served_from_the_package(example_project: Project) -> None:
    async with _client(example_project) as client:
        script = await client.get("/static/vendor/uplot/uPlot.iife.min.js")
        chart = await client.get("/static/chart.js")
    assert script.status_code == 200 and "uPlot" in script.text
    assert chart.status_code == 200 and "tfChart" in chart.text
