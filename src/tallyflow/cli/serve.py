"""`tallyflow serve intake|statsd|carbon|ui`: run one service in the foreground."""

from __future__ import annotations

import dataclasses
import signal
import threading
from collections.abc import Callable
from typing import Any

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import TallyflowError, UsageError
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


_PORT_HINT = "is another server on that port? choose another with --port"


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--graphite {value!r}: expected HOST:PORT, e.g. 127.0.0.1:2003")
    return host.strip("[]"), int(port)


def _run_until_stopped(
    service: Any, lines: list[str], alive: Callable[[], bool] = lambda: True
) -> int:
    """Print where the service listens, then wait for Ctrl-C or SIGTERM and close it."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    for line in lines:
        click.echo(line, err=True)
    failed = False
    try:
        while not stop.wait(0.5):
            if not alive():
                failed = True
                break
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        service.close()
    if failed:
        raise TallyflowError(
            "the statsd receive process ended unexpectedly", hint="see the messages above"
        )
    return 0


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [statsd.host: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="UDP port [statsd.port: 8125].")
@click.option(
    "--flush-interval",
    type=float,
    default=None,
    help="Seconds between flushes [statsd.flush_interval: 10].",
)
@click.option(
    "--graphite",
    "graphite",
    default=None,
    metavar="HOST:PORT",
    help="Also send each flush to this carbon plaintext receiver [graphite.host/port: off].",
)
@click.option(
    "--prometheus-port",
    type=int,
    default=None,
    help="Serve /metrics on this port [prometheus.port: off].",
)
def statsd(
    project: Project,
    host: str | None,
    port: int | None,
    flush_interval: float | None,
    graphite: str | None,
    prometheus_port: int | None,
) -> int:
    """StatsD server (Etsy statsd semantics, DogStatsD tags).

    Flushes to the series store, to Graphite with --graphite, and to a Prometheus /metrics
    endpoint with --prometheus-port. Flags win over tallyflow.yaml.
    """
    from tallyflow.collect.statsd_service import StatsdService

    settings = project.settings
    statsd_update: dict[str, Any] = {"host": host, "port": port, "flush_interval": flush_interval}
    if flush_interval is not None and flush_interval <= 0:
        raise UsageError("--flush-interval must be a positive number of seconds")
    updates: dict[str, Any] = {
        "statsd": settings.statsd.model_copy(
            update={k: v for k, v in statsd_update.items() if v is not None}
        )
    }
    if graphite:
        graphite_host, graphite_port = _host_port(graphite)
        updates["graphite"] = settings.graphite.model_copy(
            update={"host": graphite_host, "port": graphite_port}
        )
    if prometheus_port is not None:
        updates["prometheus"] = settings.prometheus.model_copy(update={"port": prometheus_port})
    project = dataclasses.replace(project, settings=settings.model_copy(update=updates))
    try:
        service = StatsdService(project)
    except OSError as error:
        raise UsageError(
            f"cannot listen: {error}", hint="is another server on that port?"
        ) from None
    service.start()
    return _run_until_stopped(service, service.describe(), service.alive)


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [carbon.host: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="TCP port [carbon.port: 2003].")
def carbon(project: Project, host: str | None, port: int | None) -> int:
    """Carbon plaintext receiver writing into the series store."""
    from tallyflow.collect.carbon import CarbonReceiver
    from tallyflow.store.series import SeriesStore, series_root

    settings = project.settings
    root = series_root(project.store_root)
    store = SeriesStore(root, settings.series)
    try:
        receiver = CarbonReceiver(
            store,
            host or settings.carbon.host,
            settings.carbon.port if port is None else port,
            settings.carbon.write_interval,
        )
    except OSError as error:
        raise UsageError(
            f"cannot listen: {error}", hint="is another server on that port?"
        ) from None
    receiver.start()
    where = f"carbon: TCP {host or settings.carbon.host}:{receiver.port} -> {root}"
    return _run_until_stopped(receiver, [where])


@serve.command()
@project_options
@click.option("--host", default=None, help="Interface to listen on [ui.host: 127.0.0.1].")
@click.option("--port", type=int, default=None, help="TCP port [ui.port: 8080].")
def ui(project: Project, host: str | None, port: int | None) -> int:
    """The built-in web UI: dashboards, catalog, streams, reports, schemas (docs/ui.md)."""
    from tallyflow.visualize.ui.server import serve as serve_ui

    settings = project.settings.ui
    serve_ui(project, host or settings.host, settings.port if port is None else port, click.echo)
    return 0
