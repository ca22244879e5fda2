"""The Reports section: every query folder and report, what is done and missing, and failures.

Input: the project's query folders (`reports/<folder>/config.yaml`, read by the aggregation
stage's reader), their output folders as `tallyflow up` writes them (`<store>/reports/<folder>/`:
TSV files and the run history `.tallyflow-runs.jsonl`) and the time now. Output: `FolderStatus`
records (per report: granularity, starts, type, last run and its outcome, intervals done and
missing as the runner plans them, the latest failure's messages) and the page `/reports`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tallyflow.aggregate import history
from tallyflow.aggregate.config import Report, read_query_folder
from tallyflow.aggregate.schedule import (
    Interval,
    due_intervals,
    missing_intervals,
    read_reruns,
    variants,
)
from tallyflow.aggregate.scheduler import output_folder, query_folders
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.publish.tsv import read_report_file
from tallyflow.visualize.ui.pages import UI

RECENT_RUNS = 10
SHOWN_MISSING = 12


@dataclass(frozen=True)
class LastRun:
    """One report in one recorded run."""

    finished: str
    computed: int
    empty: int
    failed: int
    errors: list[str]

    @property
    def outcome(self) -> str:
        if self.failed:
            return "failed"
        return "ok" if self.computed else "nothing to do" if not self.empty else "empty"


@dataclass(frozen=True)
class ReportStatus:
    key: str
    type: str | None
    granularity: str | None
    starts: str | None
    variants: int
    due: int
    """Due intervals times variants."""
    done: int
    missing: list[tuple[str, Interval]]
    """(variant label, interval), oldest first."""
    last_run: LastRun | None
    last_failure: LastRun | None
    config_error: str | None = None
    read_error: str | None = None

    @property
    def missing_ranges(self) -> list[MissingRange]:
        return missing_ranges(self.missing)


@dataclass(frozen=True)
class MissingRange:
    """Adjacent missing intervals of one variant: [start, end), `count` intervals."""

    label: str
    start: dt.date
    end: dt.date
    count: int


def missing_ranges(missing: list[tuple[str, Interval]]) -> list[MissingRange]:
    """Missing intervals joined where one ends as the next starts, per variant."""
    ranges: list[MissingRange] = []
    for label, interval in missing:
        last = ranges[-1] if ranges else None
        if last is not None and last.label == label and last.end == interval.start:
            ranges[-1] = MissingRange(label, last.start, interval.end, last.count + 1)
        else:
            ranges.append(MissingRange(label, interval.start, interval.end, 1))
    return ranges


@dataclass(frozen=True)
class FolderStatus:
    name: str
    folder: Path
    output: Path
    reports: list[ReportStatus] = field(default_factory=list)
    runs: list[history.RunRecord] = field(default_factory=list)
    """The newest RECENT_RUNS runs, newest first."""
    error: str | None = None


def _runs_of(key: str, runs: list[history.RunRecord]) -> tuple[LastRun | None, LastRun | None]:
    """The last run of report `key` and its last failed run, from oldest-first records."""
    last = failure = None
    for run in reversed(runs):
        report = run.reports.get(key)
        if report is None:
            continue
        record = LastRun(run.finished, report.computed, report.empty, report.failed, report.errors)
        last = last or record
        if report.failed:
            failure = record
            break
    return last, failure


def _schedule(
    report: Report, output: Path, folder: Path, now: dt.datetime
) -> tuple[int, int, int, list[tuple[str, Interval]]]:
    due = due_intervals(report, now)
    reruns = read_reruns(folder)
    done = 0
    missing: list[tuple[str, Interval]] = []
    found = variants(report)
    for variant in found:
        existing = read_report_file(variant.output_path(output))
        lacking = missing_intervals(variant, due, existing.dates, reruns)
        done += len(due) - len(lacking)
        missing += [(variant.label(), interval) for interval in lacking]
    return len(found), len(due) * len(found), done, missing


def report_status(
    report: Report, output: Path, folder: Path, now: dt.datetime, runs: list[history.RunRecord]
) -> ReportStatus:
    last, failure = _runs_of(report.key, runs)
    spec = report.spec
    try:
        count, due, done, missing = _schedule(report, output, folder, now)
        read_error = None
    except TallyflowError as error:
        count, due, done, missing, read_error = len(variants(report)), 0, 0, [], str(error)
    return ReportStatus(
        key=report.key,
        type=report.type,
        granularity=spec.granularity,
        starts=spec.starts.isoformat(),
        variants=count,
        due=due,
        done=done,
        missing=missing,
        last_run=last,
        last_failure=failure,
        read_error=read_error,
    )


def folder_status(project: Project, folder: Path, now: dt.datetime) -> FolderStatus:
    """One query folder; `now` is naive UTC, as the runner takes it."""
    output = output_folder(project, folder)
    runs = history.read(output)
    recent = list(reversed(runs[-RECENT_RUNS:]))
    try:
        config = read_query_folder(folder, profile_databases=project.settings.aggregate.databases)
    except TallyflowError as error:
        return FolderStatus(folder.name, folder, output, runs=recent, error=str(error))
    statuses = [report_status(r, output, folder, now, runs) for r in config.reports]
    for key, message in config.errors.items():
        last, failure = _runs_of(key, runs)
        statuses.append(
            ReportStatus(key, None, None, None, 0, 0, 0, [], last, failure, config_error=message)
        )
    known = {s.key for s in statuses}
    for key in sorted({k for run in runs for k in run.reports} - known):
        last, failure = _runs_of(key, runs)
        if failure is not None:
            statuses.append(ReportStatus(key, None, None, None, 0, 0, 0, [], last, failure))
    return FolderStatus(folder.name, folder, output, sorted(statuses, key=lambda s: s.key), recent)


def folder_statuses(project: Project, now: dt.datetime) -> list[FolderStatus]:
    return [folder_status(project, folder, now) for folder in query_folders(project)]


def routes(ui: UI) -> list[BaseRoute]:
    def index(request: Request) -> Response:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return ui.page(
            request,
            "reports/index.html",
            title="Reports",
            section="reports",
            folders=folder_statuses(ui.project, now),
            now=now,
            shown_missing=SHOWN_MISSING,
        )

    return [Route("/reports", index, name="reports")]
