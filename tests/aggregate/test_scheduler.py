"""The report scheduler of `tallyflow up`: every query folder into `<store>/reports/<name>/`,
Graphite lines to the given carbon receiver (a real TCP listener here), failures isolated and
recorded in the run history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tallyflow import pipeline
from tallyflow.aggregate import history
from tallyflow.aggregate.scheduler import (
    CONFIG_REPORT,
    ReportScheduler,
    next_top_of_hour,
    query_folders,
)
from tallyflow.project import load_project
from tests.aggregate.conftest import Listener

EXAMPLE = Path(__file__).parents[2] / "examples" / "codemirror"

TOGGLES = """\
SELECT '{from_date}' AS `date`, wiki, COUNT(1) AS toggles
FROM event.CodeMirrorUsage
WHERE year = {year} AND month = {month} AND day = {day} AND NOT useragent.is_bot
GROUP BY wiki ORDER BY wiki
"""


def _folder(root: Path, name: str, config: str) -> None:
    folder = root / "reports" / name
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text(config)
    (folder / "toggles.hql").write_text(TOGGLES)


def test_every_folder_runs_and_a_broken_one_is_recorded_without_stopping_the_rest(
    project: Path, listener: Listener
) -> None:
    _folder(project, "broken", "reports: [this is not a mapping of reports\n")
    _folder(
        project,
        "toggles",
        "graphite: {host: graphite.production.invalid, port: 2003}\n"
        "reports:\n"
        "  toggles:\n"
        "    type: hive\n"
        "    granularity: days\n"
        "    starts: 2021-06-01\n"
        "    graphite:\n"
        "      path: '{_metric}.{wiki}'\n"
        "      metrics: {MediaWiki.CodeMirror.toggles: toggles}\n",
    )
    (project / "reports" / "notes").mkdir()  # no config.yaml: not a query folder
    loaded = load_project(project)
    assert [p.name for p in query_folders(loaded)] == ["broken", "toggles"]
    lines: list[str] = []
    scheduler = ReportScheduler(loaded, ("127.0.0.1", listener.port), echo=lines.append)

    results = scheduler.run_all(dt.datetime(2021, 6, 9))

    broken, toggles = results
    assert broken.failed == 1 and broken.error
    assert toggles.failed == 0 and toggles.computed == 7  # 2021-06-01 .. 06-07 have events
    assert len(lines) == 2 and lines[1].startswith("reports toggles: 7 computed")
    assert (scheduler.runs, scheduler.failures) == (2, 1)
    out = loaded.store_root / "reports"
    assert (out / "toggles" / "toggles.tsv").is_file()
    recorded = history.read(out / "broken")[-1].reports[CONFIG_REPORT]
    assert recorded.failed == 1 and recorded.errors
    listener.settle()
    assert any(line.startswith("MediaWiki.CodeMirror.toggles.enwiki ") for line in listener.lines)


def test_hourly_runs_come_at_the_top_of_the_hour() -> None:
    assert next_top_of_hour(dt.datetime(2026, 11, 28, 5, 59, 59)) == dt.datetime(2026, 11, 28, 6)
    assert next_top_of_hour(dt.datetime(2026, 11, 28, 6)) == dt.datetime(2026, 11, 28, 7)


def test_declared_tables_make_an_empty_store_empty_not_failed(tmp_path: Path) -> None:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".tallyflow"))
    loaded = load_project(root)
    lines: list[str] = []
    bare = ReportScheduler(loaded, None, echo=lines.append)
    assert all(run.failed for run in bare.run_all(dt.datetime(2026, 1, 8)))  # no such table
    declared = ReportScheduler(
        loaded, None, echo=lines.append, declared=lambda: pipeline.declared_tables(loaded)
    )
    runs = declared.run_all(dt.datetime(2026, 1, 8))
    assert [(run.folder, run.failed, run.computed) for run in runs] == [
        ("codemirror", 0, 0),
        ("reference-previews", 0, 0),
    ]
    assert all(run.empty for run in runs)
