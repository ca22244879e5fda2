"""The run history of an output folder (aggregate stage): one JSON line per run in
`<output>/.tallyflow-runs.jsonl`, next to the lock and pending-Graphite files, so the web UI and
people can see when reports last ran and what failed. The newest MAX_RUNS runs are kept.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tallyflow.aggregate.summary import RunSummary

HISTORY_FILE = ".tallyflow-runs.jsonl"
MAX_RUNS = 500


@dataclass(frozen=True)
class ReportRun:
    """What one run did for one report."""

    computed: int
    empty: int
    failed: int
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunRecord:
    query_folder: str
    started: str
    """ISO 8601 UTC time the run started."""
    finished: str
    now: str
    """The time the run behaved as if it were (`--now`), ISO 8601."""
    reports: dict[str, ReportRun]
    graphite_sent: int = 0
    graphite_pending: int = 0

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.reports.values())


def record_of(
    query_folder: Path,
    summary: RunSummary,
    started: dt.datetime,
    finished: dt.datetime,
    now: dt.datetime,
) -> RunRecord:
    return RunRecord(
        query_folder=str(query_folder),
        started=started.isoformat(timespec="seconds"),
        finished=finished.isoformat(timespec="seconds"),
        now=now.isoformat(timespec="seconds"),
        reports={
            key: ReportRun(report.computed, report.empty, report.failed, list(report.errors))
            for key, report in summary.reports.items()
        },
        graphite_sent=summary.graphite_sent,
        graphite_pending=summary.graphite_pending,
    )


def append(output_folder: Path, record: RunRecord) -> None:
    """Add `record`, dropping the oldest runs beyond MAX_RUNS (rewritten atomically)."""
    path = output_folder / HISTORY_FILE
    lines = path.read_bytes().splitlines() if path.exists() else []
    lines = [*lines[-(MAX_RUNS - 1) :], orjson.dumps(asdict(record))]
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(b"\n".join(lines) + b"\n")
    os.replace(temporary, path)


def _record(data: dict[str, Any]) -> RunRecord:
    reports = {key: ReportRun(**value) for key, value in data.pop("reports").items()}
    return RunRecord(reports=reports, **data)


def read(output_folder: Path) -> list[RunRecord]:
    """The recorded runs, oldest first; unreadable lines are skipped."""
    path = output_folder / HISTORY_FILE
    if not path.exists():
        return []
    runs = []
    for line in path.read_bytes().splitlines():
        try:
            runs.append(_record(orjson.loads(line)))
        except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError):
            continue
    return runs
