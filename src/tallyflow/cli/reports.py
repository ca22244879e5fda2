"""`tallyflow reports run|rerun`: ReportUpdater-compatible runs of query folders."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from tallyflow.aggregate.config import read_query_folder
from tallyflow.aggregate.runner import ReportRunner, RunOptions
from tallyflow.aggregate.summary import RunSummary
from tallyflow.cli.options import project_options
from tallyflow.errors import UsageError
from tallyflow.project import Project

LOG_FORMAT = "%(asctime)s - %(levelname)s - %(message)s"


def _setup_logging(level: str) -> None:
    """One stderr handler in ReportUpdater's format (replaced on each in-process run)."""
    logger = logging.getLogger("tallyflow.reports")
    logger.setLevel(level.upper())
    logger.propagate = False
    for old in [h for h in logger.handlers if getattr(h, "tallyflow", False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.tallyflow = True  # type: ignore[attr-defined]
    logger.addHandler(handler)


def _host_port(value: str | None) -> tuple[str, int] | None:
    if value is None:
        return None
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--graphite {value}: expected HOST:PORT, for example 127.0.0.1:2003")
    return host, int(port)


def _now(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--now {value}: not a date or time", hint="write e.g. 2021-06-08 or 2021-06-08T10:00"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def print_summary(summary: RunSummary, console: Console) -> None:
    table = Table(title="reports", title_justify="left")
    for column in ("report", "variants", "computed", "empty", "failed", "first error"):
        table.add_column(column, overflow="fold")
    for key in sorted(summary.reports):
        report = summary.reports[key]
        table.add_row(
            key,
            str(report.variants),
            str(report.computed),
            str(report.empty),
            f"[red]{report.failed}[/]" if report.failed else "0",
            report.errors[0] if report.errors else "",
        )
    console.print(table)
    if summary.graphite_sent or summary.graphite_pending:
        console.print(
            f"graphite: {summary.graphite_sent} lines sent, {summary.graphite_pending} kept for "
            "the next run"
        )


@click.group()
def reports() -> None:
    """Run ReportUpdater query folders."""


@reports.command()
@project_options
@click.argument("query_folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("output_folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--config-path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Config file (default: QUERY_FOLDER/config.yaml).",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default=None,
    help="Engine for hive reports and `hive -e` in scripts (default: aggregate.engine, duckdb).",
)
@click.option(
    "--now",
    "now_text",
    metavar="DATETIME",
    help="Run as if it were this UTC time (ISO format), e.g. 2021-06-08T10:00.",
)
@click.option(
    "--graphite",
    "graphite_text",
    metavar="HOST:PORT",
    help="Send Graphite lines here instead of the config's graphite host.",
)
@click.option("--no-graphite", is_flag=True, help="Send nothing to Graphite.")
@click.option("--only", multiple=True, metavar="REPORT", help="Run only this report (repeatable).")
@click.option("--dry-run", is_flag=True, help="List the intervals that would run; run nothing.")
@click.option(
    "--print-sql",
    is_flag=True,
    help="With the dry run, print each filled query (hive: as the engine's SQL).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Intervals and reports computed in parallel (default: aggregate.jobs, 1).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds one interval may run (a report's `timeout:` wins).",
)
@click.option(
    "-l",
    "--log-level",
    default="info",
    type=click.Choice(["debug", "info", "warning", "error", "critical"]),
    show_default=True,
    help="Log level of the stderr log.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when stderr is a terminal).",
)
def run(
    project: Project,
    query_folder: Path,
    output_folder: Path,
    config_path: Path | None,
    engine: str | None,
    now_text: str | None,
    graphite_text: str | None,
    no_graphite: bool,
    only: tuple[str, ...],
    dry_run: bool,
    print_sql: bool,
    jobs: int | None,
    timeout: float | None,
    log_level: str,
    progress: bool | None,
) -> int:
    """Run the reports of QUERY_FOLDER, writing into OUTPUT_FOLDER.

    Exit status 1 when any report or interval failed (the others still run), 2 for a bad
    config.yaml or bad options.
    """
    _setup_logging(log_level)
    settings = project.settings.aggregate
    graphite = project.settings.graphite
    options = RunOptions(
        now=_now(now_text),
        engine=engine or settings.engine,
        graphite=_host_port(graphite_text),
        no_graphite=no_graphite,
        only=only,
        dry_run=dry_run or print_sql,
        print_sql=print_sql,
        jobs=jobs or settings.jobs,
        timeout=timeout,
        config_path=config_path,
    )
    stderr = Console(stderr=True, highlight=False)
    show = stderr.is_terminal if progress is None else progress
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr,
        disable=not show or options.dry_run,
    )
    task = bar.add_task("intervals", total=None)
    runner = ReportRunner(
        query_folder,
        output_folder,
        options,
        store_root=project.store_root,
        settings=settings,
        graphite_default=(graphite.host, graphite.port) if graphite.host else None,
        echo=click.echo,
        on_progress=lambda done, total: bar.update(task, completed=done, total=total),
    )
    started = time.monotonic()
    with bar:
        summary = runner.run()
    if not options.dry_run and not summary.locked:
        print_summary(summary, stderr)
        stderr.print(f"done in {time.monotonic() - started:.1f} s")
    return 1 if summary.failed else 0


@reports.command()
@project_options
@click.argument("query_folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("start", type=click.DateTime(["%Y-%m-%d"]))
@click.argument("end", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--config-path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "-r",
    "--report",
    "names",
    multiple=True,
    metavar="REPORT",
    help="Report to rerun (repeatable; default: every report).",
)
def rerun(
    project: Project,
    query_folder: Path,
    start: dt.datetime,
    end: dt.datetime,
    config_path: Path | None,
    names: tuple[str, ...],
) -> int:
    """Mark [START, END) for recomputation (ReportUpdater's rerun_reports.py).

    Writes QUERY_FOLDER/.reruns/<epoch-ms>; the next `reports run` recomputes those intervals,
    re-sends their Graphite points, and deletes the file once they succeeded.
    """
    if start >= end:
        raise UsageError(f"START {start:%Y-%m-%d} must be before END {end:%Y-%m-%d}")
    folder = read_query_folder(query_folder, config_path)
    known = [report.key for report in folder.reports] + list(folder.errors)
    for name in names:
        if name not in known:
            raise UsageError(
                f"report {name!r} is not in {folder.config_path}",
                hint=f"reports: {', '.join(sorted(known))}",
            )
    directory = query_folder / ".reruns"
    directory.mkdir(exist_ok=True)
    path = directory / str(int(time.time() * 1000))
    lines = [f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", *(names or known)]
    path.write_text("\n".join(lines) + "\n")
    click.echo(f"wrote {path}")
    return 0
