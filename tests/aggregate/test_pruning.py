from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tallyflow.aggregate.engines import DuckDBEngine
from tallyflow.aggregate.hiveql import to_duckdb
from tallyflow.aggregate.pruning import narrow
from tallyflow.store.catalog import stored_tables
from tallyflow.store.layout import partition_dir
from tests.aggregate.events import sample_store


def test_partition_constants_narrow_the_scan_to_their_directory(tmp_path: Path) -> None:
    sample_store(tmp_path)
    tables = stored_tables(tmp_path)
    sql = narrow(
        to_duckdb("SELECT wiki FROM event.codemirrorusage WHERE year = 2021 AND month = 06"),
        tables,
    )
    assert sql is not None and "codemirrorusage/year=2021/month=6/**" in sql
    assert narrow(to_duckdb("SELECT wiki FROM event.codemirrorusage WHERE day = 1"), tables) is None
    assert (
        narrow(to_duckdb("SELECT * FROM event.codemirrorusage WHERE year = 2021"), tables) is None
    )


def test_narrowed_queries_fall_back_when_a_partition_lacks_files_or_columns(tmp_path: Path) -> None:
    sample_store(tmp_path)
    # a later partition gains a column the older ones do not have
    new = partition_dir(tmp_path, "codemirrorusage", dt.datetime(2021, 6, 9, 0))
    new.mkdir(parents=True)
    pq.write_table(pa.table({"wiki": ["enwiki"], "added": ["x"]}), new / "part-0.parquet")
    engine = DuckDBEngine(tmp_path)
    try:
        query = (
            "SELECT COUNT(added) AS n FROM event.codemirrorusage WHERE year = 2021 AND month = 6"
        )
        old_day = query + " AND day = 1"
        missing_day = query + " AND day = 20"
        assert engine.run_hiveql(old_day)[0].rows == [["0"]]
        assert engine.run_hiveql(missing_day)[0].rows == [["0"]]
        assert engine.run_hiveql(query + " AND day = 9")[0].rows == [["1"]]
    finally:
        engine.close()


def test_count_star_narrows_and_a_missing_partition_reads_an_empty_table(tmp_path: Path) -> None:
    sample_store(tmp_path)
    tables = stored_tables(tmp_path)
    counted = "SELECT COUNT(*) AS n FROM event.codemirrorusage WHERE year = 2021 AND month = 6"
    sql = narrow(to_duckdb(counted), tables)
    assert sql is not None and "codemirrorusage/year=2021/month=6/**" in sql
    missing = narrow(to_duckdb(counted + " AND day = 20"), tables, lambda key: "main.nothing")
    assert missing is not None and "main.nothing" in missing and "read_parquet" not in missing
    engine = DuckDBEngine(tmp_path)
    try:
        assert engine.run_hiveql(counted + " AND day = 20")[0].rows == [["0"]]
        grouped = counted.replace("COUNT(*) AS n", "wiki, COUNT(*) AS n") + " GROUP BY wiki"
        assert engine.run_hiveql(grouped)[0].rows
        assert engine.run_hiveql(grouped.replace("month = 6", "month = 5"))[0].rows == []
    finally:
        engine.close()
