"""`tallyflow up`: every service of the embedded pipeline at once (docs/up.md)."""

from __future__ import annotations

import signal

import click

from tallyflow.cli.options import project_options
from tallyflow.project import Project


@click.command()
@project_options
@click.option(
    "--traffic",
    is_flag=True,
    help="Seed 30 days of synthetic history, then keep sending live events and StatsD counters.",
)
@click.option(
    "--every",
    metavar="DURATION",
    default=None,
    help="Run the reports every DURATION (30s, 5m) instead of hourly at the top of the hour.",
)
@click.option("--no-ui", is_flag=True, help="Do not start the web UI.")
@click.option(
    "--host", default=None, help="Interface every service listens on (default: each one's host)."
)
def up(project: Project, traffic: bool, every: str | None, no_ui: bool, host: str | None) -> int:
    """Run everything at once: intake, StatsD, carbon receiver, report scheduler, web UI.

    Every port is checked first (exit 2 naming the tallyflow.yaml key of a taken one). Prints
    the URLs once every service answers; Ctrl-C or SIGTERM stops everything cleanly (exit 0);
    if a service dies, the others are stopped (exit 1). Service logs: <store>/logs/.
    """
    from tallyflow.up import Plan, Up, UpOptions, parse_duration

    options = UpOptions(
        traffic=traffic,
        every=parse_duration(every) if every else None,
        ui=not no_ui,
        host=host,
    )
    running = Up(Plan(project, options), click.echo)
    previous = signal.signal(signal.SIGTERM, lambda *_: running.stopping.set())
    try:
        running.start()
    except BaseException:
        signal.signal(signal.SIGTERM, previous)
        raise
    try:
        click.echo(f"tallyflow up: {project.root}")
        for name, where, key in running.plan.summary():
            click.echo(f"  {name:<8} {where:<48} {key}")
        click.echo(f"  logs     {running.log_dir}")
        click.echo("Ctrl-C stops everything.")
        running.watch()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        click.echo("stopping ...")
        codes = running.stop()
        failed = {name: code for name, code in codes.items() if code != 0}
        if failed:
            click.echo("stopped; exit status: " + ", ".join(f"{n} {c}" for n, c in failed.items()))
        else:
            click.echo("stopped")
    return 0
