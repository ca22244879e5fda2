"""The same reports on DuckDB and on Spark (local mode) over the same Parquet files must write
identical TSV; Hive statements other than queries are refused on both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tallyflow.aggregate.engines import DuckDBEngine, hive_statements
from tallyflow.aggregate.runner import ReportRunner, RunOptions
from tallyflow.errors import QueryError, ReportError
from tests.aggregate.events import sample_store
from tests.conftest import FIXTURES


def test_set_and_use_are_handled_and_ddl_is_refused(tmp_path: Path) -> None:
    kinds = [kind for kind, _ in hive_statements("SET a=b; USE wmf; SELECT 1")]
    assert kinds == ["skip", "use", "query"]
    with pytest.raises(QueryError, match="not run by tallyflow"):
        list(hive_statements("INSERT INTO TABLE t SELECT 1"))


def test_duckdb_engine_runs_a_use_then_query_script(tmp_path: Path) -> None:
    sample_store(tmp_path)
    engine = DuckDBEngine(tmp_path)
    try:
        (result,) = engine.run_hiveql("USE event; SELECT COUNT(1) AS N FROM codemirrorusage")
    finally:
        engine.close()
    assert result.header == ["n"] and result.rows == [["48"]]


@pytest.mark.slow
def test_duckdb_and_spark_write_identical_reports(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    shutil.copytree(FIXTURES / "reports" / "codemirror", folder)
    (folder / "sessions").chmod(0o755)
    store = tmp_path / "store"
    sample_store(store)
    outputs = {}
    for engine in ("duckdb", "spark"):
        options = RunOptions(
            now=__import__("datetime").datetime(2021, 6, 8, 12),
            engine=engine,
            no_graphite=True,
            only=("toggles", "share"),
        )
        out = tmp_path / f"out-{engine}"
        summary = ReportRunner(folder, out, options, store_root=store).run()
        assert not summary.failed, summary.reports
        outputs[engine] = {p.name: p.read_text() for p in sorted(out.glob("*.tsv"))}
    assert set(outputs["duckdb"]) == {"toggles.tsv", "share.tsv"}
    assert len(outputs["duckdb"]["share.tsv"].splitlines()) == 1 + 7 + 3
    assert outputs["spark"] == outputs["duckdb"]


def test_a_long_duckdb_query_is_interrupted_by_the_timeout(tmp_path: Path) -> None:
    sample_store(tmp_path)
    engine = DuckDBEngine(tmp_path)
    try:
        with pytest.raises(ReportError, match="timed out after 0.2 s"):
            engine.run_hiveql(
                "SELECT COUNT(1) AS n FROM (SELECT a.x FROM "
                "(SELECT EXPLODE(SEQUENCE(1, 100000)) AS x) a "
                "CROSS JOIN (SELECT EXPLODE(SEQUENCE(1, 100000)) AS y) b) t",
                timeout=0.2,
            )
    finally:
        engine.close()


def test_a_missing_table_says_how_to_add_it(tmp_path: Path) -> None:
    sample_store(tmp_path)
    engine = DuckDBEngine(tmp_path)
    try:
        with pytest.raises(QueryError) as error:
            engine.run_hiveql("SELECT COUNT(1) FROM wmf.browser_general WHERE year = 2021")
    finally:
        engine.close()
    assert "browser_general" in error.value.message
    assert error.value.hint is not None and "tallyflow store import" in error.value.hint


@pytest.mark.slow
def test_hive_shim_of_a_script_report_runs_on_spark_too(tmp_path: Path) -> None:
    folder = tmp_path / "q"
    shutil.copytree(FIXTURES / "reports" / "codemirror", folder)
    (folder / "sessions").chmod(0o755)
    store = tmp_path / "store"
    sample_store(store)
    outputs = []
    for engine in ("duckdb", "spark"):
        options = RunOptions(
            now=__import__("datetime").datetime(2021, 6, 3, 12),
            engine=engine,
            no_graphite=True,
            only=("sessions",),
        )
        out = tmp_path / f"out-{engine}"
        summary = ReportRunner(folder, out, options, store_root=store).run()
        assert not summary.failed, summary.reports
        outputs.append((out / "sessions.tsv").read_text())
    assert outputs[0] == outputs[1] == "date\tsessions\n2021-06-01\t1\n2021-06-02\t3\n"


@pytest.mark.slow
def test_a_long_spark_query_is_cancelled_by_the_timeout(tmp_path: Path) -> None:
    from tallyflow.aggregate.engines import SparkEngine

    sample_store(tmp_path)
    engine = SparkEngine(tmp_path)
    with pytest.raises(ReportError, match="timed out after 2 s"):
        engine.run_hiveql(
            "SELECT COUNT(1) AS n FROM (SELECT a.id FROM (SELECT id FROM range(100000)) a "
            "CROSS JOIN (SELECT id FROM range(100000)) b) t",
            timeout=2,
        )
