"""The `hive` / `beeline` commands scripts call, run as real processes over a real store."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tallyflow.aggregate.shim import ENGINE_ENV, STORE_ENV, install, parse_command
from tests.aggregate.events import sample_store


def shell(tmp_path: Path, command: str) -> subprocess.CompletedProcess[str]:
    store = tmp_path / "store"
    if not store.exists():
        sample_store(store)
    bin_dir = install(tmp_path / "bin")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        STORE_ENV: str(store),
        ENGINE_ENV: "duckdb",
    }
    return subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=env, check=False
    )


def test_hive_e_prints_a_header_and_hive_renderings(tmp_path: Path) -> None:
    result = shell(
        tmp_path,
        'hive -e "SET hive.mapred.mode=nonstrict; SELECT wiki, MAX(event.enabled) AS e, '
        "MAX(event.user_edit_count_bucket) IS NULL AS n, NULL AS x, COUNT(1)/4 AS q "
        'FROM event.codemirrorusage WHERE day = 1 AND NOT useragent.is_bot GROUP BY wiki"',
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "wiki\te\tn\tx\tq\nenwiki\ttrue\tfalse\tNULL\t0.5\n"


def test_beeline_and_hive_f_with_variables(tmp_path: Path) -> None:
    query = tmp_path / "q.hql"
    query.write_text("SELECT COUNT(1) AS n FROM codemirrorusage WHERE day = ${hivevar:d}")
    hive = shell(tmp_path, f"hive --database event --hivevar d=2 -f {query}")
    assert hive.stdout == "n\n6\n", hive.stderr
    beeline = shell(
        tmp_path,
        "beeline -u jdbc:hive2://x --outputformat=tsv2 --showHeader=false "
        "-e 'SELECT COUNT(1) AS n FROM event.codemirrorusage WHERE day = 3'",
    )
    assert beeline.stdout == "5\n", beeline.stderr


def test_failures_print_failed_and_exit_1(tmp_path: Path) -> None:
    result = shell(tmp_path, "hive -e 'SELECT nope FROM event.codemirrorusage'")
    assert result.returncode == 1 and result.stderr.startswith("FAILED:") and not result.stdout


def test_hive_cli_options_are_understood() -> None:
    query, database, header = parse_command(
        ["-S", "-e", "SELECT 1", "--hiveconf", "hive.cli.print.header=false"]
    )
    assert (query, database, header) == ("SELECT 1", None, False)
