"""The report runner (aggregate stage: a query folder + output folder in, TSV files, Graphite
lines and a per-report summary out).

Plan (read config, explode, read existing output and `.reruns`, pick missing intervals), then
compute every (variant, interval) in a pool of `jobs` workers, and write each variant's file once
when its intervals are done (atomically, merged by ReportUpdater's rules). Failures are isolated
per interval: they are logged with report, interval and explode values, counted in the summary,
and never stop other reports. A lock per output folder keeps two runs from writing the same
files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fcntl
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tallyflow.aggregate import history
from tallyflow.aggregate.config import QueryFolder, Report, read_query_folder
from tallyflow.aggregate.databases import server_address
from tallyflow.aggregate.engines import HiveEngine, SqlEngine, make_hive_engine
from tallyflow.aggregate.hiveql import to_duckdb, to_spark
from tallyflow.aggregate.metrics import graphite_lines
from tallyflow.aggregate.results import Result, by_date
from tallyflow.aggregate.schedule import (
    Interval,
    Rerun,
    Variant,
    due_intervals,
    fill_template,
    missing_intervals,
    placeholders,
    read_reruns,
    script_arguments,
    step,
    variants,
)
from tallyflow.aggregate.script import run_script
from tallyflow.aggregate.shim import install
from tallyflow.aggregate.summary import RunSummary
from tallyflow.errors import (
    PublishTransient,
    ReportError,
    StoreError,
    TallyflowError,
    UsageError,
)
from tallyflow.project import AggregateSettings
from tallyflow.publish.graphite import GraphiteSender
from tallyflow.publish.tsv import ReportFile, Row, merge, read_report_file, trim, write_report_file
from tallyflow.store.catalog import TableName

log = logging.getLogger("tallyflow.reports")
LOCK_FILE = ".tallyflow-reports.lock"
PENDING_FILE = ".tallyflow-graphite-pending"
CHECKPOINT_SECONDS = 30.0
"""A long backfill writes its variant's file at least this often."""


@dataclass(frozen=True)
class RunOptions:
    now: dt.datetime
    """Naive UTC time the run behaves as if it were."""
    engine: str = "duckdb"
    graphite: tuple[str, int] | None = None
    """Send here instead of the config's `graphite:` host."""
    no_graphite: bool = False
    only: tuple[str, ...] = ()
    dry_run: bool = False
    print_sql: bool = False
    jobs: int = 1
    timeout: float | None = None
    config_path: Path | None = None


@dataclass
class Outcome:
    variant: Variant
    interval: Interval
    status: str = "ok"
    """ok, empty or failed."""
    message: str = ""
    header: list[str] = field(default_factory=list)
    rows: dict[dt.date, list[Row]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


@contextmanager
def output_lock(output_folder: Path) -> Iterator[bool]:
    """An exclusive flock on `<output>/.tallyflow-reports.lock`; yields False if held."""
    output_folder.mkdir(parents=True, exist_ok=True)
    with open(output_folder / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class _Task:
    variant: Variant
    interval: Interval
    resend: set[dt.date]
    """Rerun dates whose Graphite points are sent again."""


class ReportRunner:
    """One run over one query folder."""

    def __init__(
        self,
        query_folder: Path,
        output_folder: Path,
        options: RunOptions,
        store_root: Path,
        settings: AggregateSettings | None = None,
        graphite_default: tuple[str, int] | None = None,
        echo: Callable[[str], None] = print,
        on_progress: Callable[[int, int], None] | None = None,
        declared: Mapping[TableName, pa.Schema] | None = None,
    ) -> None:
        self.query_folder = query_folder
        self.output_folder = output_folder
        self.options = options
        self.store_root = store_root
        self.settings = settings or AggregateSettings()
        self.graphite_default = graphite_default
        self.echo = echo
        self.on_progress = on_progress
        self.declared = declared
        """Tables queries may name before the store holds them (they read as empty)."""
        self.summary = RunSummary()
        self._hive: HiveEngine | None = None
        self._hive_lock = threading.Lock()
        self._sql = SqlEngine()
        self._shim_dir: Path | None = None
        self.folder: QueryFolder | None = None
        self._existing: dict[Variant, ReportFile] = {}
        """Each variant's output file as read at planning, then as last written."""

    # -- planning ---------------------------------------------------------------------------

    def _selected(self, folder: QueryFolder) -> list[Report]:
        names = {report.key for report in folder.reports} | set(folder.errors)
        unknown = [name for name in self.options.only if name not in names]
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(names), n=1)
            raise UsageError(
                f"--only {unknown[0]}: no such report in {folder.config_path}"
                + (f"; did you mean '{close[0]}'?" if close else ""),
                hint=f"reports: {', '.join(sorted(names))}",
            )
        wanted = set(self.options.only)
        for key, message in folder.errors.items():
            if not wanted or key in wanted:
                self.summary.report(key).fail(message)
                log.error("report=%s could not be read from config: %s", key, message)
        return [r for r in folder.reports if not wanted or r.key in wanted]

    def plan(self, folder: QueryFolder, reruns: list[Rerun]) -> dict[Variant, list[_Task]]:
        planned: dict[Variant, list[_Task]] = {}
        for report in self._selected(folder):
            summary = self.summary.report(report.key)
            due = due_intervals(report, self.options.now)
            if not due:
                log.info(
                    "report=%s has no due interval (starts %s)", report.key, report.spec.starts
                )
            for variant in variants(report):
                summary.variants += 1
                path = variant.output_path(self.output_folder)
                try:
                    existing = read_report_file(path)
                except StoreError as error:
                    summary.fail(f"{variant.label()}: {error.message}")
                    log.error(
                        "report=%s explode=%s could not be triaged: %s",
                        report.key,
                        variant.explode,
                        error.message,
                    )
                    continue
                self._existing[variant] = existing
                missing = missing_intervals(variant, due, existing.dates, reruns)
                rerun_dates = {
                    i.start for i in missing if any(r.covers(report.key, i.start) for r in reruns)
                }
                planned[variant] = [_Task(variant, interval, rerun_dates) for interval in missing]
        return planned

    # -- execution --------------------------------------------------------------------------

    def _hive_engine(self) -> HiveEngine:
        with self._hive_lock:
            if self._hive is None:
                self._hive = make_hive_engine(self.options.engine, self.store_root, self.declared)
            return self._hive

    def query_text(self, report: Report, interval: Interval, explode: dict[str, str]) -> str:
        assert report.template is not None
        return fill_template(report.template, placeholders(report, interval, explode))

    def _result(self, report: Report, interval: Interval, explode: dict[str, str]) -> Result:
        timeout = report.spec.timeout or self.options.timeout or self.settings.timeout
        if report.type == "script":
            assert report.script is not None and self._shim_dir is not None
            return run_script(
                report.script,
                script_arguments(report, interval, explode),
                cwd=self.query_folder,
                shim_dir=self._shim_dir,
                store_root=self.store_root,
                engine=self.options.engine,
                timeout=timeout,
                accept_failed_exit=report.spec.accept_failed_exit,
            )
        query = self.query_text(report, interval, explode)
        if report.type == "hive":
            results = self._hive_engine().run_hiveql(query, timeout)
            if not results:
                raise ReportError("the HiveQL file holds no query")
            return results[-1]
        assert self.folder is not None
        address = server_address(report, explode, self.folder.spec.databases, self.settings)
        return self._sql.run(address, query, timeout)

    def _execute(self, task: _Task) -> Outcome:
        variant, interval = task.variant, task.interval
        report = variant.report
        outcome = Outcome(variant, interval)
        try:
            result = self._result(report, interval, variant.explode)
            outcome.header = result.header
            outcome.rows = by_date(result)
            if not outcome.rows:
                if not report.spec.write_empty:
                    outcome.status = "empty"
                    outcome.message = "no rows (not written; retried next run)"
                    return outcome
                outcome.rows = {
                    interval.start: [
                        [interval.start.isoformat()] + [None] * (len(result.header) - 1)
                    ]
                }
            outcome.lines = self._graphite_lines(variant, outcome, task.resend)
            if interval.start not in outcome.rows:
                log.warning(
                    "report=%s interval=%s: rows are dated %s, not the interval start; "
                    "the interval will be computed again next run",
                    report.key,
                    interval,
                    ", ".join(sorted(d.isoformat() for d in outcome.rows)),
                )
        except TallyflowError as error:
            outcome.status = "failed"
            outcome.message = error.message + (f" (hint: {error.hint})" if error.hint else "")
        except Exception as error:  # isolation: one report's bug never stops the others
            log.debug("report=%s interval=%s", report.key, interval, exc_info=True)
            outcome.status = "failed"
            outcome.message = f"{type(error).__name__}: {error}"
        return outcome

    def _graphite_lines(
        self, variant: Variant, outcome: Outcome, resend: set[dt.date]
    ) -> list[str]:
        assert self.folder is not None
        mapping = variant.report.spec.graphite
        graphite = self.folder.spec.graphite
        if mapping is None or (graphite is None and self.options.graphite is None):
            return []
        existing = self._existing[variant].dates
        lines: list[str] = []
        for day in sorted(outcome.rows):
            if day in existing and day not in resend:
                continue
            lines += graphite_lines(
                mapping,
                variant.explode,
                self.folder.lookups,
                outcome.header,
                outcome.rows[day],
                day,
                sanitize=bool(graphite and graphite.sanitize),
                local_time=self.folder.spec.compat.graphite_timestamps == "local",
            )
        return lines

    # -- output -----------------------------------------------------------------------------

    def _write(self, variant: Variant, outcomes: list[Outcome]) -> list[Outcome]:
        """Merge the successful outcomes into the variant's file; returns those written."""
        assert self.folder is not None
        done = [o for o in outcomes if o.status == "ok"]
        if not done:
            return []
        existing = self._existing[variant]
        merged = existing
        for outcome in sorted(done, key=lambda o: o.interval):
            merged = merge(merged, outcome.header, outcome.rows)
        spec = variant.report.spec
        if spec.max_data_points is not None:
            starts = {o.interval.start for o in done}
            latest = max(existing.dates | starts)
            threshold = step(latest, spec.granularity, -spec.max_data_points)
            new_dates = {d for o in done for d in o.rows}
            trim(merged, threshold, keep=new_dates)
        path = variant.output_path(self.output_folder)
        try:
            write_report_file(path, merged, crlf=self.folder.spec.compat.line_endings == "crlf")
        except StoreError as error:
            for outcome in done:
                outcome.status = "failed"
                outcome.message = error.message
            return []
        if spec.group:
            try:
                shutil.chown(path, group=spec.group)
            except (LookupError, OSError) as error:
                log.warning(
                    "report=%s: chgrp %s to %s failed: %s",
                    variant.report.key,
                    path,
                    spec.group,
                    error,
                )
        self._existing[variant] = merged
        return done

    def _record(self, outcome: Outcome) -> None:
        summary = self.summary.report(outcome.variant.report.key)
        label = outcome.variant.label()
        if outcome.status == "ok":
            summary.computed += 1
        elif outcome.status == "empty":
            summary.empty += 1
            log.warning(
                "report=%s interval=%s explode=%s: %s",
                outcome.variant.report.key,
                outcome.interval,
                outcome.variant.explode,
                outcome.message,
            )
        else:
            summary.fail(f"{label} {outcome.interval}: {outcome.message}")
            log.error(
                "report=%s interval=%s explode=%s failed: %s",
                outcome.variant.report.key,
                outcome.interval,
                outcome.variant.explode,
                outcome.message,
            )

    # -- the run ----------------------------------------------------------------------------

    def _graphite_target(self) -> tuple[str, int] | None:
        assert self.folder is not None
        if self.options.no_graphite:
            return None
        if self.options.graphite is not None:
            return self.options.graphite
        if self.folder.spec.graphite is None:
            return None
        if self.graphite_default is not None:
            return self.graphite_default
        return self.folder.spec.graphite.host, self.folder.spec.graphite.port

    def _dry_run(self, planned: dict[Variant, list[_Task]]) -> None:
        for variant, tasks in planned.items():
            report = variant.report
            for task in tasks:
                line = f"{variant.label()}\t{task.interval}\t{report.type}"
                self.summary.planned.append(line)
                self.echo(line)
                if not self.options.print_sql:
                    continue
                if report.type == "script":
                    args = script_arguments(report, task.interval, variant.explode)
                    self.echo(f"  $ {report.script} {' '.join(args)}")
                    continue
                try:
                    text = self.query_text(report, task.interval, variant.explode)
                    if report.type == "hive":
                        translate = to_spark if self.options.engine == "spark" else to_duckdb
                        text = translate(text)
                except TallyflowError as error:
                    text = f"-- error: {error.message}"
                self.echo("\n".join("  " + line for line in text.strip().splitlines()))

    def _finish_reruns(self, reruns: list[Rerun], outcomes: list[Outcome]) -> None:
        failed = {o.variant.report.key for o in outcomes if o.status == "failed"}
        failed |= {key for key, summary in self.summary.reports.items() if summary.failed}
        known = {report.key for report in self.folder.reports} if self.folder else set()
        selected = set(self.options.only) or known
        for rerun in reruns:
            remaining = [
                key
                for key in rerun.reports
                if key in known and (key in failed or key not in selected)
            ]
            if not remaining:
                rerun.path.unlink(missing_ok=True)
            elif tuple(remaining) != rerun.reports:
                lines = [rerun.start.isoformat(), rerun.end.isoformat(), *remaining]
                rerun.path.write_text("\n".join(lines) + "\n")

    def _send_graphite(self, lines: list[str]) -> None:
        target = self._graphite_target()
        pending_path = self.output_folder / PENDING_FILE
        if target is None:
            return
        pending = (
            pending_path.read_text().splitlines(keepends=True) if pending_path.is_file() else []
        )
        if not pending and not lines:
            return
        sender = GraphiteSender(target[0], target[1])
        sender.enqueue_lines(pending + lines)
        try:
            self.summary.graphite_sent = sender.flush()
        except PublishTransient as error:
            left = sender.drain()
            self.summary.graphite_sent = sender.sent
            self.summary.graphite_pending = len(left)
            pending_path.write_text("".join(left))
            log.warning("%s; kept in %s and sent by the next run", error.message, pending_path)
            return
        finally:
            sender.close()
        pending_path.unlink(missing_ok=True)

    def run(self) -> RunSummary:
        """Plan, compute, write and publish; returns the summary (never raises for a report)."""
        self.folder = read_query_folder(
            self.query_folder, self.options.config_path, profile_databases=self.settings.databases
        )
        with output_lock(self.output_folder) as acquired:
            if not acquired:
                self.summary.locked = True
                log.warning("another run is writing %s; nothing done", self.output_folder)
                return self.summary
            reruns = read_reruns(self.query_folder)
            planned = self.plan(self.folder, reruns)
            if self.options.dry_run:
                self._dry_run(planned)
                return self.summary
            started = dt.datetime.now(dt.UTC)
            with tempfile.TemporaryDirectory(prefix="tallyflow-shim-") as shim:
                self._shim_dir = install(Path(shim))
                outcomes = self._compute(planned)
            self._finish_reruns(reruns, outcomes)
            record = history.record_of(
                self.query_folder,
                self.summary,
                started,
                dt.datetime.now(dt.UTC),
                self.options.now,
            )
            history.append(self.output_folder, record)
        return self.summary

    def _compute(self, planned: dict[Variant, list[_Task]]) -> list[Outcome]:
        """Run every task; write a variant when its intervals are done, at least every
        CHECKPOINT_SECONDS during a long backfill, and on interruption (so a killed run keeps
        what it computed)."""
        tasks = [task for variant_tasks in planned.values() for task in variant_tasks]
        remaining = {variant: len(t) for variant, t in planned.items()}
        unwritten: dict[Variant, list[Outcome]] = {variant: [] for variant in planned}
        written_at = {variant: time.monotonic() for variant in planned}
        everything: list[Outcome] = []
        lines: list[str] = []

        def flush(variant: Variant) -> None:
            outcomes, unwritten[variant] = unwritten[variant], []
            written_at[variant] = time.monotonic()
            for written in self._write(variant, outcomes):
                lines.extend(written.lines)
            for outcome in outcomes:
                self._record(outcome)
            everything.extend(outcomes)

        try:
            with ThreadPoolExecutor(max_workers=max(1, self.options.jobs)) as pool:
                futures: list[Future[Outcome]] = [pool.submit(self._execute, t) for t in tasks]
                try:
                    for finished, future in enumerate(futures, start=1):
                        outcome = future.result()
                        variant = outcome.variant
                        unwritten[variant].append(outcome)
                        remaining[variant] -= 1
                        if self.on_progress:
                            self.on_progress(finished, len(tasks))
                        due = time.monotonic() - written_at[variant] >= CHECKPOINT_SECONDS
                        if remaining[variant] == 0 or due:
                            flush(variant)
                except BaseException:
                    # write what is done before waiting for the intervals still running
                    pool.shutdown(wait=False, cancel_futures=True)
                    for variant, outcomes in unwritten.items():
                        if outcomes:
                            flush(variant)
                    raise
        finally:
            self._send_graphite(lines)
            self._sql.close()
            if self._hive is not None:
                self._hive.close()
        return everything
