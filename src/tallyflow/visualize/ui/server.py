"""Running the web UI: bind the port (a clear error when it is taken), then serve the app with
uvicorn in this process until SIGINT/SIGTERM."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn

from tallyflow.errors import TallyflowError
from tallyflow.http_server import Server, bind
from tallyflow.project import Project
from tallyflow.visualize.ui.app import create_app


def serve(project: Project, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve the web UI of `project` on host:port; `announce` receives the URL line."""
    sock = bind(host, port, "--port or ui.port")
    app = create_app(project)
    announce(f"web UI on http://{host}:{sock.getsockname()[1]}/ ; Ctrl-C stops it")
    config = uvicorn.Config(
        app,
        lifespan="on",
        access_log=False,
        server_header=False,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    server = Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    if not server.started:
        raise TallyflowError("the web UI did not start (see the error above)")
