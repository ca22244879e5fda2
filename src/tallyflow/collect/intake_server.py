"""Running the intake: bind the listening socket (a clear error when the port is taken), then
serve the app with uvicorn (uvloop) and the intake's own HTTP protocol (`intake_http`) in one
or more worker processes sharing that socket. SIGINT/SIGTERM stop it cleanly: requests in
flight finish and the sink is closed (flushed) by the app's lifespan shutdown.

Worker processes build their app from the environment (`app_from_environment`), which names
the project directory and profile.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from tallyflow import pipeline
from tallyflow.collect.intake_app import IntakeApp
from tallyflow.collect.intake_http import IntakeProtocol
from tallyflow.collect.process import EventProcessor
from tallyflow.collect.sink import EventSink
from tallyflow.errors import StoreError, TallyflowError
from tallyflow.http_server import Server, bind
from tallyflow.project import PROFILE_ENV, Project, load_project
from tallyflow.store.converter import Converter

PROJECT_ENV = "TALLYFLOW_INTAKE_PROJECT"
GC_THRESHOLD = 20_000
"""Allocations between two young-generation collections in an intake worker (Python: 700)."""


def build_app(project: Project, sink: EventSink | None = None) -> IntakeApp:
    """The intake app of `project`, writing to `sink` (default: the project's event store,
    whose write-ahead log makes events durable before the response)."""
    processor = EventProcessor.from_project(project)
    return IntakeApp(processor, sink or pipeline.event_store(project), project.settings.intake)


def app_from_environment() -> IntakeApp:
    """uvicorn factory for worker processes."""
    project = load_project(Path(os.environ[PROJECT_ENV]), os.environ.get(PROFILE_ENV) or None)
    processor = EventProcessor.from_project(project)
    store = pipeline.event_store(project, converts=False)
    tune_gc()
    return IntakeApp(processor, store, project.settings.intake)


def tune_gc() -> None:
    """Garbage-collect less often in an intake worker. Every request allocates thousands of
    short-lived objects, and collecting every 700 allocations costs about a tenth of the CPU
    of a batch request (docs/performance.md); objects alive at start-up are frozen out of
    later collections."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 50, 100)


def _check_store(project: Project) -> None:
    """Fail early, with a clear message, when the store folder cannot be written."""
    root = project.store_root
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the store folder {root}: {error.strerror}") from None
    if not os.access(root, os.W_OK):
        raise StoreError(
            f"the store folder {root} is not writable", hint="fix its permissions or set `store:`"
        )


def serve(
    project: Project, host: str, port: int, workers: int, announce: Callable[[str], None]
) -> None:
    """Serve the intake on host:port until SIGINT/SIGTERM.

    Streams, schema settings, the store folder and the port are checked first, so a bad
    streams.yaml, an unwritable store or a taken port stops the command with its own message
    before anything starts; `announce` then receives the "listening" line."""
    _check_store(project)
    processor = EventProcessor.from_project(project)
    sock = bind(host, port)
    announce(f"intake listening on http://{host}:{port} ({workers} worker(s)); Ctrl-C stops it")
    options: dict[str, Any] = {
        "loop": "uvloop",
        "http": IntakeProtocol,
        "lifespan": "on",
        "access_log": False,
        "server_header": False,
        "proxy_headers": False,  # the client address is not used; saves a middleware layer
        "log_level": "warning",
        "timeout_graceful_shutdown": 10,
    }
    converter = Converter(project)
    converter.start()
    try:
        if workers == 1:
            store = pipeline.event_store(project, converts=False)
            app = IntakeApp(processor, store, project.settings.intake)
            tune_gc()
            server = Server(uvicorn.Config(app, **options))
            server.run(sockets=[sock])
            if not server.started:
                raise TallyflowError("the intake did not start (see the error above)")
            return
        os.environ[PROJECT_ENV] = str(project.root)
        if project.profile:
            os.environ[PROFILE_ENV] = project.profile
        factory = "tallyflow.collect.intake_server:app_from_environment"
        config = uvicorn.Config(factory, factory=True, workers=workers, **options)
        supervisor = Multiprocess(config, sockets=[sock])
        supervisor.run()
        if any(worker.process.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
            raise TallyflowError("an intake worker did not start (see the error above)")
    finally:
        sock.close()
        converter.stop()
