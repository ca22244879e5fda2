"""The run history file of an output folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tallyflow.aggregate import history
from tallyflow.aggregate.summary import RunSummary

T0 = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def _summary(failed: bool) -> RunSummary:
    summary = RunSummary()
    summary.report("toggles").computed = 3
    if failed:
        summary.report("sessions").fail("interval 2026-11-27: no such column x")
    return summary


def test_runs_are_read_back_oldest_first_and_only_the_newest_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "MAX_RUNS", 3)
    for minute in range(5):
        started = T0 + dt.timedelta(minutes=minute)
        record = history.record_of(
            Path("reports/q"), _summary(minute == 4), started, started, started
        )
        history.append(tmp_path, record)
    runs = history.read(tmp_path)
    assert [run.started for run in runs] == [
        "2026-11-28T10:02:00+00:00",
        "2026-11-28T10:03:00+00:00",
        "2026-11-28T10:04:00+00:00",
    ]
    assert not runs[0].failed and runs[-1].failed
    assert runs[-1].reports["sessions"].errors == ["interval 2026-11-27: no such column x"]


def test_a_damaged_line_is_skipped(tmp_path: Path) -> None:
    record = history.record_of(Path("q"), _summary(False), T0, T0, T0)
    history.append(tmp_path, record)
    with (tmp_path / history.HISTORY_FILE).open("ab") as handle:
        handle.write(b'{"query_folder": "q", "started"\n')
    history.append(tmp_path, record)
    assert len(history.read(tmp_path)) == 2
    assert history.read(tmp_path / "nowhere") == []
