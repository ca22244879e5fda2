"""The report scheduler of `tallyflow up` (aggregate stage: the project's query folders in, runs
into `<store>/reports/<folder name>/` out).

Like the reference's cron entry, every query folder runs hourly at the top of the hour (plus once
at start), or every `every` seconds for demos. Folders run one after the other; one failing (a
bad config.yaml, a crashing engine) never stops the others, and each run is recorded in the
folder's run history (`.tallyflow-runs.jsonl`), failures included, and logged in one line.
Daily jobs (store retention) run at start and then once a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from tallyflow.aggregate import history
from tallyflow.aggregate.runner import ReportRunner, RunOptions
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.store.catalog import TableName

log = logging.getLogger(__name__)
CONFIG_FILE = "config.yaml"
CONFIG_REPORT = "(config)"
"""Report key under which a run that could not start records its error."""
DAY = dt.timedelta(days=1)


def utcnow() -> dt.datetime:
    """Naive UTC now, as the runner takes it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class FolderRun:
    """What one run of one query folder did."""

    folder: str
    computed: int
    empty: int
    failed: int
    graphite_sent: int
    seconds: float
    error: str | None = None

    def line(self) -> str:
        text = (
            f"reports {self.folder}: {self.computed} computed, {self.empty} empty, "
            f"{self.failed} failed, {self.graphite_sent} graphite lines, {self.seconds:.1f} s"
        )
        return text + (f"; {self.error}" if self.error else "")


def query_folders(project: Project) -> list[Path]:
    """The query folders (directories with a config.yaml) under the project's reports folder."""
    root = project.path(project.settings.reports)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / CONFIG_FILE).is_file())


def reports_output(project: Project) -> Path:
    """Where the scheduler writes: `<store>/reports`."""
    return project.store_root / "reports"


def output_folder(project: Project, folder: Path) -> Path:
    """Where the scheduler writes one query folder's outputs: `<store>/reports/<name>/`."""
    return reports_output(project) / folder.name


def next_top_of_hour(after: dt.datetime) -> dt.datetime:
    return after.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


class ReportScheduler:
    """Runs every query folder of a project on a schedule, in one background thread."""

    def __init__(
        self,
        project: Project,
        graphite: tuple[str, int] | None,
        every: float | None = None,
        echo: Callable[[str], None] = print,
        daily: list[Callable[[dt.datetime], str]] | None = None,
        declared: Callable[[], Mapping[TableName, pa.Schema]] | None = None,
    ) -> None:
        self.project = project
        self.graphite = graphite
        self.every = every
        self.echo = echo
        self.daily = daily or []
        self.declared = declared
        """The project's declared tables, so a report on a stream without events yet finds its
        table empty instead of missing."""
        self.runs = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="report-scheduler", daemon=True)

    def run_folder(self, folder: Path, now: dt.datetime) -> FolderRun:
        """One run of one folder; never raises for the folder's own faults."""
        settings = self.project.settings.aggregate
        output = output_folder(self.project, folder)
        options = RunOptions(
            now=now,
            engine=settings.engine,
            graphite=self.graphite,
            no_graphite=self.graphite is None,
            jobs=settings.jobs,
        )
        started = time.monotonic()
        begun = dt.datetime.now(dt.UTC)
        try:
            runner = ReportRunner(
                folder,
                output,
                options,
                self.project.store_root,
                settings,
                echo=log.info,
                declared=self.declared() if self.declared else None,
            )
            summary = runner.run()
        except Exception as error:  # isolation: this folder fails, the others still run
            message = error.message if isinstance(error, TallyflowError) else repr(error)
            record = history.RunRecord(
                query_folder=str(folder),
                started=begun.isoformat(timespec="seconds"),
                finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                now=now.isoformat(timespec="seconds"),
                reports={CONFIG_REPORT: history.ReportRun(0, 0, 1, [message])},
            )
            output.mkdir(parents=True, exist_ok=True)
            history.append(output, record)
            return FolderRun(folder.name, 0, 0, 1, 0, time.monotonic() - started, message)
        reports = summary.reports.values()
        first_error = next((r.errors[0] for r in reports if r.errors), None)
        return FolderRun(
            folder.name,
            sum(r.computed for r in reports),
            sum(r.empty for r in reports),
            sum(r.failed for r in reports),
            summary.graphite_sent,
            time.monotonic() - started,
            first_error,
        )

    def run_all(self, now: dt.datetime | None = None) -> list[FolderRun]:
        """Run every folder once, logging one line each."""
        now = now or utcnow()
        results = []
        for folder in query_folders(self.project):
            if self._stop.is_set():
                break
            result = self.run_folder(folder, now)
            self.runs += 1
            self.failures += bool(result.failed)
            self.echo(result.line())
            results.append(result)
        return results

    def _run_daily(self, now: dt.datetime) -> None:
        for job in self.daily:
            try:
                self.echo(job(now))
            except Exception as error:  # a failed clean-up must not stop the reports
                self.echo(f"daily job failed: {error}")

    def next_run(self, last: float) -> float:
        """Monotonic time of the next run after a run that started at `last`."""
        if self.every is not None:
            return last + self.every
        wall = utcnow()
        return time.monotonic() + (next_top_of_hour(wall) - wall).total_seconds()

    def _loop(self) -> None:
        next_daily = 0.0
        while not self._stop.is_set():
            started = time.monotonic()
            if started >= next_daily:
                self._run_daily(utcnow())
                next_daily = started + DAY.total_seconds()
            self.run_all()
            self._stop.wait(max(0.0, self.next_run(started) - time.monotonic()))

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the folder being run, waiting for it at most `timeout` seconds (a run cut
        short loses nothing written: the runner replaces files atomically)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
