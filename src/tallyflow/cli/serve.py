"""`tallyflow serve intake|statsd|carbon|ui`: run one service in the foreground."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError, UsageError
from tallyflow.project import Project


@click.group()
def serve() -> None:
    """Run one service in the foreground (Ctrl-C stops it cleanly)."""


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [intake.host: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="TCP port [intake.port: 8192].")
@click.option("--workers", type=int, default=None, help="Worker processes [intake.workers: 1].")
def intake(project: Project, host: str | None, port: int | None, workers: int | None) -> int:
    """EventGate-compatible HTTP intake: POST /v1/events (see docs/intake.md)."""
    from tallyflow.collect.intake_server import serve as serve_intake

    settings = project.settings.intake
    host = host or settings.host
    port = settings.port if port is None else port
    workers = workers or settings.workers
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    serve_intake(project, host, port, workers, click.echo)
    return 0


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [statsd.host].")
@click.option("--port", type=int, default=None, help="UDP port [statsd.port: 8125].")
def statsd(project: Project, host: str | None, port: int | None) -> None:
    """StatsD server (Etsy statsd semantics, DogStatsD tags)."""
    raise NotYetError("`serve statsd` is not built yet")


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [carbon.host].")
@click.option("--port", type=int, default=None, help="TCP port [carbon.port: 2003].")
def carbon(project: Project, host: str | None, port: int | None) -> None:
    """Carbon plaintext receiver writing into the series store."""
    raise NotYetError("`serve carbon` is not built yet")


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [ui.host].")
@click.option("--port", type=int, default=None, help="TCP port [ui.port: 8080].")
def ui(project: Project, host: str | None, port: int | None) -> None:
    """The built-in web UI."""
    raise NotYetError("`serve ui` is not built yet")
