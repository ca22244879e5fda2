"""End to end: `tallyflow reports run` on a query folder written for ReportUpdater, against a
real store, the local MariaDB and a real TCP Graphite listener."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from tallyflow.aggregate import history
from tallyflow.cli import main
from tests.aggregate.conftest import Listener

NOW = "2021-06-05T12:00"


def tallyflow(*args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0)


def run(project: Path, *args: str) -> int:
    return tallyflow(
        "reports", "run", str(project / "q"), str(project / "out"), "-p", str(project), *args
    )


def test_a_reference_folder_runs_unchanged_and_a_second_run_computes_nothing(
    project: Path, mariadb: None, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    graphite = ("--graphite", f"127.0.0.1:{listener.port}")
    status = run(project, "--now", NOW, "--profile", "local", *graphite)
    assert status == 0, capsys.readouterr().err
    out = project / "out"
    # hive: lag 18000 s, so on 06-05 12:00 the days 06-01 .. 06-04 are due
    toggles = (out / "toggles.tsv").read_text()
    assert toggles.splitlines()[:3] == [
        "date\twiki\tenabled\ttoggles\tsessions",
        "2021-06-01\tenwiki\tfalse\t1\t1",
        "2021-06-01\tenwiki\ttrue\t1\t1",
    ]
    assert "2021-06-05" not in toggles and "\r\n" not in toggles
    assert (out / "sessions.tsv").read_text() == (
        "date\tsessions\n2021-06-01\t1\n2021-06-02\t3\n2021-06-03\t2\n2021-06-04\t3\n"
    )
    # sql, exploded by a file of wiki databases: one file per wiki, days 06-06 .. 06-04 (none)
    assert not (out / "enabled_users").exists()
    listener.settle()
    lines = listener.lines
    assert "MediaWiki.CodeMirror.toggles.enwiki.enabled_true 4 1622764800" in lines
    assert "MediaWiki.CodeMirror.sessions.dewiki.enabled_true 1 1622592000" in lines
    assert len(lines) == 2 * 10  # two metrics per row, 10 rows over 4 days

    before = {p: p.read_bytes() for p in out.rglob("*.tsv")}
    assert run(project, "--now", NOW, "--profile", "local", *graphite) == 0
    listener.settle()
    assert len(listener.lines) == 20
    assert {p: p.read_bytes() for p in out.rglob("*.tsv")} == before


def test_sql_report_explodes_by_wiki_database_on_mariadb(project: Path, mariadb: None) -> None:
    now = ("--now", "2021-06-08T00:00", "--only", "enabled_users")
    assert run(project, *now, "--profile", "local") == 0
    folder = project / "out" / "enabled_users"
    assert (folder / "tallyflow_test_enwiki.tsv").read_text() == (
        "date\tenabled\ttotal\n2021-06-06\t2\t3\n2021-06-07\t2\t3\n"
    )
    assert (folder / "tallyflow_test_dewiki.tsv").read_text().splitlines()[1] == "2021-06-06\t1\t1"


def test_one_broken_report_fails_alone_and_the_run_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hql = project / "q" / "hive" / "share.hql"
    hql.write_text(hql.read_text().replace("MAX(bucket)", "MAX(bucket_typo)"))
    (project / "q" / "sessions").chmod(0o644)
    status = run(
        project,
        "--now",
        NOW,
        "--no-graphite",
        "--only",
        "toggles",
        "--only",
        "share",
        "--only",
        "sessions",
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "report=share interval=2021-06-01/2021-06-02" in err and "bucket_typo" in err
    assert "sessions" in err and "chmod +x" in err
    assert len((project / "out" / "toggles.tsv").read_text().splitlines()) == 11
    assert not (project / "out" / "share.tsv").exists()
    (last,) = history.read(project / "out")
    assert last.failed and last.now == "2021-06-05T12:00:00"
    assert last.reports["toggles"].computed == 4 and last.reports["toggles"].failed == 0
    assert last.reports["share"].failed == 4
    assert "bucket_typo" in last.reports["share"].errors[0]


def test_empty_results_are_retried_not_written_unless_configured(project: Path) -> None:
    config = project / "q" / "config.yaml"
    # 2021-06-09 .. 06-10 have no events
    assert run(project, "--now", "2021-06-11T12:00", "--only", "toggles", "--no-graphite") == 0
    dates = [
        line.split("\t")[0] for line in (project / "out" / "toggles.tsv").read_text().splitlines()
    ]
    assert "2021-06-09" not in dates and "2021-06-07" in dates
    config.write_text(
        config.read_text().replace(
            "lag: 18000\n    graphite:", "lag: 18000\n    write_empty: true\n    graphite:"
        )
    )
    assert run(project, "--now", "2021-06-11T12:00", "--only", "toggles", "--no-graphite") == 0
    text = (project / "out" / "toggles.tsv").read_text()
    assert "2021-06-09\t\t\t\t\n" in text


def test_reruns_recompute_resend_graphite_and_are_kept_until_they_succeed(
    project: Path, listener: Listener
) -> None:
    graphite = f"127.0.0.1:{listener.port}"
    assert run(project, "--now", NOW, "--only", "toggles", "--graphite", graphite) == 0
    assert (
        tallyflow(
            "reports",
            "rerun",
            str(project / "q"),
            "2021-06-02",
            "2021-06-03",
            "-r",
            "toggles",
            "-p",
            str(project),
        )
        == 0
    )
    rerun_files = list((project / "q" / ".reruns").iterdir())
    assert len(rerun_files) == 1
    hql = project / "q" / "hive" / "toggles.hql"
    good = hql.read_text()
    hql.write_text(good.replace("COUNT(1)", "COUNT(1) +"))  # a syntax error
    assert run(project, "--now", NOW, "--only", "toggles", "--graphite", graphite) == 1
    assert rerun_files[0].exists()
    hql.write_text(good.replace("COUNT(1) AS toggles", "COUNT(1) * 10 AS toggles"))
    listener.settle()
    sent_before = len(listener.lines)
    assert run(project, "--now", NOW, "--only", "toggles", "--graphite", graphite) == 0
    assert not rerun_files[0].exists()
    text = (project / "out" / "toggles.tsv").read_text()
    assert "2021-06-02\tdewiki\ttrue\t20\t1" in text and "2021-06-03\tenwiki\ttrue\t3\t2" in text
    listener.settle()
    resent = listener.lines[sent_before:]
    assert "MediaWiki.CodeMirror.toggles.dewiki.enabled_true 20 1622592000" in resent
    assert len(resent) == 2 * 3


def test_graphite_lines_are_kept_while_carbon_is_down_and_sent_by_the_next_run(
    project: Path, listener: Listener
) -> None:
    dead = Listener()
    port = dead.port
    dead.close()  # nothing listens there now
    assert run(project, "--now", NOW, "--only", "toggles", "--graphite", f"127.0.0.1:{port}") == 0
    pending = project / "out" / ".tallyflow-graphite-pending"
    assert len(pending.read_text().splitlines()) == 20
    assert (
        run(project, "--now", NOW, "--only", "toggles", "--graphite", f"127.0.0.1:{listener.port}")
        == 0
    )
    listener.settle()
    assert len(listener.lines) == 20 and not pending.exists()


def test_dry_run_prints_the_plan_and_sql_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "--now", NOW, "--only", "toggles", "--print-sql") == 0
    out = capsys.readouterr().out
    assert "toggles\t2021-06-01/2021-06-02\thive" in out
    assert "year = 2021 AND month = 06 AND day = 01" in out
    assert not (project / "out" / "toggles.tsv").exists()


def test_a_second_run_on_a_locked_output_folder_does_nothing(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    with open(out / ".tallyflow-reports.lock", "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        assert run(project, "--now", NOW, "--only", "toggles", "--no-graphite") == 0
    assert not (out / "toggles.tsv").exists()


def test_a_hanging_script_is_stopped_by_the_timeout(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = project / "q" / "sessions"
    script.write_text("#!/bin/bash\nsleep 30\n")
    status = run(project, "--now", "2021-06-02T12:00", "--only", "sessions", "--timeout", "0.5")
    assert status == 1 and "timed out after 0.5 s" in capsys.readouterr().err


def test_parallel_runs_write_what_a_sequential_run_writes(project: Path) -> None:
    assert (
        run(
            project,
            "--now",
            NOW,
            "--only",
            "toggles",
            "--only",
            "share",
            "-j",
            "3",
            "--progress",
            "--no-graphite",
        )
        == 0
    )
    parallel = {p.name: p.read_text() for p in (project / "out").glob("*.tsv")}
    for path in (project / "out").glob("*.tsv"):
        path.unlink()
    assert run(project, "--now", NOW, "--only", "toggles", "--only", "share", "--no-graphite") == 0
    assert {p.name: p.read_text() for p in (project / "out").glob("*.tsv")} == parallel


def test_crlf_compat_switch_writes_the_reference_line_endings(project: Path) -> None:
    config = project / "q" / "config.yaml"
    config.write_text(config.read_text() + "compat:\n  line_endings: crlf\n")
    assert run(project, "--now", "2021-06-02T12:00", "--only", "sessions") == 0
    assert (project / "out" / "sessions.tsv").read_bytes() == b"date\tsessions\r\n2021-06-01\t1\r\n"


def test_unknown_only_name_is_a_usage_error_with_a_suggestion(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "--only", "toggle") == 2
    assert "did you mean 'toggles'" in capsys.readouterr().err


def test_max_data_points_keeps_only_the_newest_intervals(project: Path) -> None:
    config = project / "q" / "config.yaml"
    assert run(project, "--now", NOW, "--only", "sessions") == 0
    config.write_text(
        config.read_text().replace("  sessions:\n", "  sessions:\n    max_data_points: 2\n")
    )
    assert run(project, "--now", "2021-06-07T12:00", "--only", "sessions") == 0
    assert (project / "out" / "sessions.tsv").read_text() == (
        "date\tsessions\n2021-06-05\t2\n2021-06-06\t3\n"
    )


def test_an_interrupted_backfill_keeps_the_intervals_it_completed(project: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    script = project / "q" / "sessions"
    script.write_text(
        '#!/bin/bash\nif [ "$1" = 2021-06-03 ]; then sleep 15; fi\n'
        'printf "date\\tsessions\\n$1\\t1\\n"\n'
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tallyflow",
            "reports",
            "run",
            str(project / "q"),
            str(project / "out"),
            "-p",
            str(project),
            "--now",
            NOW,
            "--only",
            "sessions",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    output = project / "out" / "sessions.tsv"
    try:
        time.sleep(3)  # intervals 06-01 and 06-02 are done; 06-03 sleeps
        process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        while not output.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
    assert output.read_text() == "date\tsessions\n2021-06-01\t1\n2021-06-02\t1\n"


def test_without_the_local_profile_sql_reports_fail_alone_naming_the_server(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run(
        project,
        "--now",
        "2021-06-07T01:00",
        "--only",
        "enabled_users",
        "--only",
        "sessions",
        "--timeout",
        "20",
    )
    err = capsys.readouterr().err
    assert status == 1 and "db.production.invalid" in err
    assert (project / "out" / "sessions.tsv").is_file()


def test_a_script_exiting_non_zero_fails_unless_accepted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = project / "q" / "sessions"
    script.write_text('#!/bin/bash\nprintf "date\\tsessions\\n$1\\t7\\n"\necho oops >&2\nexit 3\n')
    assert run(project, "--now", "2021-06-02T12:00", "--only", "sessions") == 1
    assert "exited with status 3: oops" in capsys.readouterr().err
    assert not (project / "out" / "sessions.tsv").exists()
    config = project / "q" / "config.yaml"
    config.write_text(
        config.read_text().replace("  sessions:\n", "  sessions:\n    accept_failed_exit: true\n")
    )
    assert run(project, "--now", "2021-06-02T12:00", "--only", "sessions") == 0
    assert (project / "out" / "sessions.tsv").read_text() == "date\tsessions\n2021-06-01\t7\n"
