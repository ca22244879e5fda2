"""The Reports page: query folders and reports, intervals done and missing as the runner plans
them, last runs and failures from the run history written by `tallyflow reports run`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from tallyflow.aggregate.scheduler import output_folder
from tallyflow.cli import main
from tallyflow.project import Project
from tallyflow.visualize.ui.app import create_app
from tallyflow.visualize.ui.reports import folder_statuses
from tests.visualize.ui.conftest import LiveServer

NOW = dt.datetime(2026, 1, 10, 12, 0)
BROKEN_CONFIG = """\
reports:
  clicks:
    type: hive
    granularity: days
    starts: 2026-01-01
    lag: 0
"""
BROKEN_QUERY = "SELECT '{from_date}' AS `date`, count(*) AS clicks FROM event.no_such_table\n"


def _client(project: Project) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_app(project))
    return httpx.AsyncClient(transport=transport, base_url="http://ui")


def broken_run(project: Project) -> int:
    """`tallyflow reports run` of a query folder whose query reads a table that does not exist,
    into the output folder `tallyflow up` uses."""
    folder = project.root / "reports" / "broken"
    folder.mkdir()
    (folder / "config.yaml").write_text(BROKEN_CONFIG)
    (folder / "clicks.hql").write_text(BROKEN_QUERY)
    output = output_folder(project, folder)
    args = ["reports", "run", str(folder), str(output), "-p", str(project.root)]
    with pytest.raises(SystemExit) as done:
        main([*args, "--now", "2026-01-03T12:00", "--no-graphite"])
    return int(done.value.code or 0)


def test_intervals_done_and_missing_follow_the_output_files(example_project: Project) -> None:
    out = output_folder(example_project, example_project.root / "reports" / "codemirror")
    out.mkdir(parents=True)
    rows = "".join(f"2026-01-0{day}\tenwiki\ttrue\t1\t1\n" for day in (5, 6, 8))
    (out / "toggles.tsv").write_text("date\twiki\tenabled\ttoggles\tsessions\n" + rows)
    [codemirror] = [f for f in folder_statuses(example_project, NOW) if f.name == "codemirror"]
    toggles = next(r for r in codemirror.reports if r.key == "toggles")
    # days from 2026-01-05; lag 5 h, so on 01-10 12:00 the days 01-05 .. 01-09 are due
    assert (toggles.type, toggles.granularity, toggles.starts) == ("hive", "days", "2026-01-05")
    assert (toggles.due, toggles.done) == (5, 3)
    assert [(str(m.start), str(m.end), m.count) for m in toggles.missing_ranges] == [
        ("2026-01-07", "2026-01-08", 1),
        ("2026-01-09", "2026-01-10", 1),
    ]
    sessions = next(r for r in codemirror.reports if r.key == "sessions")
    assert (sessions.done, len(sessions.missing), sessions.last_run) == (0, 5, None)


def test_a_failed_run_gives_the_report_its_messages(example_project: Project) -> None:
    assert broken_run(example_project) == 1
    [broken] = [f for f in folder_statuses(example_project, NOW) if f.name == "broken"]
    [clicks] = broken.reports
    assert clicks.last_run is not None and clicks.last_run.outcome == "failed"
    assert clicks.last_failure is not None
    assert any("no_such_table" in message for message in clicks.last_failure.errors)
    assert len(broken.runs) == 1


def test_a_bad_config_is_shown_for_its_folder(example_project: Project) -> None:
    folder = example_project.root / "reports" / "bad"
    folder.mkdir()
    (folder / "config.yaml").write_text("reports: [1, 2]\n")
    [bad] = [f for f in folder_statuses(example_project, NOW) if f.name == "bad"]
    assert bad.error is not None and "config.yaml" in bad.error and not bad.reports


async def test_reports_route(example_project: Project) -> None:
    broken_run(example_project)
    async with _client(example_project) as client:
        response = await client.get("/reports")
    assert response.status_code == 200
    for name in ("codemirror", "reference-previews", "broken"):
        assert f'id="folder-{name}"' in response.text
    assert "no_such_table" in response.text
    assert "Last failure" in response.text


def test_browser_shows_the_failure_of_a_report_run(example_project: Project, page: object) -> None:
    assert broken_run(example_project) == 1
    with LiveServer(example_project) as server:
        page.goto(f"{server.url}/reports")  # type: ignore[attr-defined]
        row = page.locator("#report-broken-clicks")  # type: ignore[attr-defined]
        assert "failed" in row.inner_text()
        failure = page.locator("tr.failure ul.failures").first  # type: ignore[attr-defined]
        assert "no_such_table" in failure.inner_text()


def test_no_query_folder_is_said(example_project: Project) -> None:
    for folder in Path(example_project.root / "reports").iterdir():
        (folder / "config.yaml").unlink()
    assert folder_statuses(example_project, NOW) == []
