"""Events posted through the real intake app (in process, httpx ASGITransport) into a project's
event store, for the Streams page tests."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tallyflow import pipeline
from tallyflow.collect.intake_server import build_app
from tallyflow.project import Project, load_project
from tallyflow.store.events import EventStore

STREAM = "codemirror.toggle"
BAD_EDITOR = "wikitext_2099"


def slow_flush(project: Project) -> Project:
    """The project with a write-ahead log converted to Parquet only hourly (or at close), so
    posted events stay in the log while a test looks at them."""
    with open(project.root / "tallyflow.yaml", "a", encoding="utf-8") as config:
        config.write("events: {flush_interval: 3600, compact_interval: 0}\n")
    return load_project(project.root)


def toggle(editor: str = "wikitext_2010") -> dict[str, Any]:
    """A codemirror.toggle event; `meta.dt` is set by the intake (now)."""
    return {
        "$schema": "/analytics/codemirror/toggle/1.0.0",
        "meta": {"stream": STREAM},
        "wiki": "enwiki",
        "editor": editor,
        "enabled": True,
        "toggled": True,
        "session_token": "abc123",
    }


async def post(project: Project, events: list[dict[str, Any]]) -> tuple[EventStore, httpx.Response]:
    """Post `events` to the intake of `project`; returns its started store (close it to
    convert the log to Parquet) and the response."""
    store = pipeline.event_store(project)
    store.start()
    transport = httpx.ASGITransport(app=build_app(project, store))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        response = await client.post("/v1/events", json=events)
    return store, response


def post_sync(project: Project, events: list[dict[str, Any]]) -> tuple[EventStore, httpx.Response]:
    """`post` for tests that drive the browser (Playwright's sync API owns this thread's loop)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, post(project, events)).result()
