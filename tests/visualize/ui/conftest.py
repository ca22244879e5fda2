"""Fixtures for the web UI: the app served by a real uvicorn on a free port, and a real
headless Chromium (Debian's `chromium`, driven by Playwright) that fails the test on any
console error or uncaught page error."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tallyflow.project import Project, load_project
from tallyflow.visualize.ui.app import create_app
from tests.conftest import skip_unless_ci

EXAMPLE = Path(__file__).parents[3] / "examples" / "codemirror"
CHROMIUM = os.environ.get("TALLYFLOW_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[3] / "docs" / "images"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run after the others: Playwright's sync API keeps its event loop as the
    thread's running loop from the first browser test on, and async tests cannot start theirs
    after it."""
    here = Path(__file__).parent

    def in_browser(item: pytest.Item) -> bool:
        fixtures = getattr(item, "fixturenames", ())
        return here in item.path.parents and ("page" in fixtures or "browser" in fixtures)

    items.sort(key=in_browser)


@pytest.fixture
def example_project(tmp_path: Path) -> Project:
    """A copy of the example project with an empty store of its own."""
    root = tmp_path / "codemirror"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".tallyflow"))
    return load_project(root)


class LiveServer:
    """The UI of a project served by uvicorn in a thread, on a free port."""

    def __init__(self, project: Project) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(project), log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]})

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the UI server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def live_ui(example_project: Project) -> Iterator[LiveServer]:
    with LiveServer(example_project) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_unless_ci(f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Close the `page` fixture's browser context as soon as the test body ends, before any
    server fixture set up after it stops: a request still in flight then cannot log a
    connection error that the page's teardown would count."""
    try:
        return (yield)
    finally:
        page = getattr(item, "funcargs", {}).get("page")
        if page is not None:
            page.context.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page; any console error or page error during the test fails it at teardown."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not problems, f"browser console errors: {problems}"
