"""Query engines (aggregate stage: filled query text in, `Result` out).

- `DuckDBEngine`: HiveQL transpiled by `hiveql.to_duckdb`, over the event store's catalog.
- `SparkEngine`: HiveQL transpiled by `hiveql.to_spark`, on a local SparkSession over the same
  Parquet files (one view per table, `<database>.<table>`).
- `SqlEngine`: MySQL/MariaDB text through SQLAlchemy + PyMySQL, one connection pool per server
  and database.

Hive engines run a script of statements as Hive's CLI would: `SET` is ignored, `USE db`
switches the default database, and each query's result is returned; values are rendered as
Hive prints them and column names lowercased.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa
from sqlglot import exp

from tallyflow.aggregate.hiveql import parse_hiveql, to_duckdb, to_spark
from tallyflow.aggregate.pruning import narrow
from tallyflow.aggregate.render import hive_text, sql_text
from tallyflow.aggregate.results import Result
from tallyflow.errors import QueryError, ReportError
from tallyflow.store.catalog import TableName, connect, quote_identifier, stored_tables

_UNSUPPORTED = (exp.Create, exp.Insert, exp.Drop, exp.Alter, exp.Delete, exp.Update)


class HiveEngine(Protocol):
    name: str

    def translate(self, hiveql: str) -> str:
        """The engine SQL of one HiveQL statement (for --print-sql)."""
        ...

    def run_hiveql(self, hiveql: str, timeout: float | None = None) -> list[Result]:
        """Run a HiveQL script; one Result per query statement."""
        ...

    def close(self) -> None: ...


def hive_statements(hiveql: str) -> Iterator[tuple[str, str | None]]:
    """(kind, HiveQL) per statement: kind is `query`, `use` (with the database) or `skip`."""
    for tree in parse_hiveql(hiveql):
        if isinstance(tree, exp.Set) or (
            isinstance(tree, exp.Command) and tree.name.upper() in ("SET", "ADD")
        ):
            yield "skip", None
        elif isinstance(tree, exp.Use):
            yield "use", tree.this.name if tree.this is not None else None
        elif isinstance(tree, _UNSUPPORTED):
            raise QueryError(
                f"`{tree.key.upper()}` statements are not run by tallyflow: "
                f"{tree.sql('hive')[:80]}",
                hint="tallyflow runs queries only; import tables with `tallyflow store import`",
            )
        else:
            yield "query", tree.sql(dialect="hive")


def _hive_result(columns: list[str], rows: list[tuple[Any, ...]]) -> Result:
    return Result(
        header=[name.lower() for name in columns],
        rows=[[hive_text(value) for value in row] for row in rows],
    )


@contextmanager
def _deadline(timeout: float | None, cancel: Callable[[], None]) -> Iterator[None]:
    if timeout is None:
        yield
        return
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        cancel()

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        yield
    except Exception:
        if fired.is_set():
            raise ReportError(f"timed out after {timeout:g} s") from None
        raise
    finally:
        timer.cancel()


def _fetch(cursor: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    relation = cursor.execute(sql)
    return [d[0] for d in relation.description or []], relation.fetchall()


class DuckDBEngine:
    """HiveQL on DuckDB over the event store; thread-safe (one cursor per call)."""

    name = "duckdb"

    def __init__(
        self, store_root: Path, declared: Mapping[TableName, pa.Schema] | None = None
    ) -> None:
        """`declared`: tables that exist (empty) even before the store holds a file of them."""
        self._connection = connect(store_root, declared)
        self._tables = stored_tables(store_root)
        self._empty: set[TableName] = set()
        self._empty_lock = threading.Lock()
        # intervals of a backfill read the same files again: keep their Parquet footers
        self._connection.execute("SET parquet_metadata_cache = true")

    def translate(self, hiveql: str) -> str:
        return to_duckdb(hiveql)

    def run_hiveql(self, hiveql: str, timeout: float | None = None) -> list[Result]:
        results = []
        cursor = self._connection.cursor()
        try:
            for kind, statement in hive_statements(hiveql):
                if kind == "use" and statement:
                    cursor.execute(f'USE "{statement}"')
                elif kind == "query" and statement:
                    sql = to_duckdb(statement)
                    with _deadline(timeout, cursor.interrupt):
                        columns, rows = self._query(cursor, sql)
                    results.append(_hive_result(columns, rows))
        finally:
            cursor.close()
        return results

    def _query(
        self, cursor: duckdb.DuckDBPyConnection, sql: str
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run `sql`, reading only the partitions it filters on when that works."""
        narrowed = narrow(sql, self._tables, self._empty_table)
        if narrowed is not None:
            try:
                return _fetch(cursor, narrowed)
            except duckdb.InterruptException:
                raise
            except duckdb.Error:
                pass  # no such partition, or a column only other partitions have: read all
        try:
            return _fetch(cursor, sql)
        except duckdb.CatalogException as error:
            raise QueryError(
                f"DuckDB: {str(error).splitlines()[0]}",
                hint="tables come from the store: load events, or add other tables with "
                "`tallyflow store import DATABASE.TABLE FILES`",
            ) from None
        except duckdb.Error as error:
            raise QueryError(f"DuckDB: {str(error).splitlines()[0]}") from None

    def _empty_table(self, key: TableName) -> str:
        """An empty table with the columns of stored table `key` (made once per engine)."""
        name = "main." + quote_identifier(f"_tallyflow_empty_{key[0]}_{key[1]}")
        with self._empty_lock:
            if key not in self._empty:
                source = ".".join(quote_identifier(part) for part in key)
                cursor = self._connection.cursor()
                try:
                    cursor.execute(f"CREATE TABLE {name} AS SELECT * FROM {source} LIMIT 0")
                finally:
                    cursor.close()
                self._empty.add(key)
        return name

    def close(self) -> None:
        self._connection.close()


_spark_lock = threading.Lock()


def spark_session() -> Any:
    """The process's local SparkSession, configured for Hive's semantics (created once)."""
    with _spark_lock:
        from pyspark.sql import SparkSession

        session = (
            SparkSession.builder.master("local[2]")
            .appName("tallyflow-reports")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.mergeSchema", "true")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        return session


class SparkEngine:
    """HiveQL on Spark SQL over the same Parquet files."""

    name = "spark"

    def __init__(self, store_root: Path) -> None:
        self._spark = spark_session()
        for (database, table), directory in stored_tables(store_root).items():
            self._spark.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
            self._spark.sql(
                f"CREATE OR REPLACE VIEW `{database}`.`{table}` AS "
                f"SELECT * FROM parquet.`{directory.resolve().as_uri()}`"
            )

    def translate(self, hiveql: str) -> str:
        return to_spark(hiveql)

    def run_hiveql(self, hiveql: str, timeout: float | None = None) -> list[Result]:
        from pyspark.errors import PySparkException

        context = self._spark.sparkContext
        group = f"tallyflow-{uuid.uuid4().hex}"
        context.setJobGroup(group, "tallyflow report", interruptOnCancel=True)
        results = []
        for kind, statement in hive_statements(hiveql):
            if kind == "use" and statement:
                self._spark.catalog.setCurrentDatabase(statement)
            elif kind == "query" and statement:
                with _deadline(timeout, lambda: context.cancelJobGroup(group)):
                    try:
                        frame = self._spark.sql(to_spark(statement))
                        rows = [tuple(row) for row in frame.collect()]
                    except PySparkException as error:
                        first = str(error).splitlines()[0] if str(error) else type(error).__name__
                        raise QueryError(f"Spark: {first}") from None
                results.append(_hive_result(list(frame.columns), rows))
        return results

    def close(self) -> None:
        """The session is shared by the process and stays up."""


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    user: str | None
    password: str | None
    database: str | None


class SqlEngine:
    """MySQL queries through SQLAlchemy + PyMySQL; one engine per server and database."""

    def __init__(self) -> None:
        self._engines: dict[ServerAddress, Any] = {}
        self._lock = threading.Lock()

    def _engine(self, address: ServerAddress) -> Any:
        from sqlalchemy import URL, create_engine

        with self._lock:
            if address not in self._engines:
                url = URL.create(
                    "mysql+pymysql",
                    username=address.user,
                    password=address.password,
                    host=address.host,
                    port=address.port,
                    database=address.database,
                    query={"charset": "utf8mb4"},
                )
                self._engines[address] = create_engine(url, pool_pre_ping=True)
            return self._engines[address]

    def run(self, address: ServerAddress, sql: str, timeout: float | None = None) -> Result:
        from sqlalchemy.exc import SQLAlchemyError

        engine = self._engine(address)
        try:
            with engine.connect() as connection:
                if timeout is not None:
                    connection.exec_driver_sql(
                        f"SET SESSION max_statement_time = {float(timeout):.3f}"
                    )
                cursor = connection.exec_driver_sql(sql)
                if not cursor.returns_rows:
                    raise ReportError("the SQL query returned no result set (is it a SELECT?)")
                header = [str(name) for name in cursor.keys()]
                rows = [[sql_text(value) for value in row] for row in cursor.fetchall()]
        except SQLAlchemyError as error:
            text = str(getattr(error, "orig", None) or error).splitlines()[0]
            where = f"{address.host}:{address.port}/{address.database or ''}"
            raise QueryError(f"MySQL {where}: {text}") from None
        return Result(header=header, rows=rows)

    def close(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()


def make_hive_engine(
    name: str, store_root: Path, declared: Mapping[TableName, pa.Schema] | None = None
) -> HiveEngine:
    """The named engine over the store; `declared` tables (DuckDB only) read as empty until
    they hold data."""
    if name == "spark":
        try:
            return SparkEngine(store_root)
        except ImportError:
            raise QueryError(
                "the spark engine needs pyspark", hint="pip install 'tallyflow[spark]'"
            ) from None
    return DuckDBEngine(store_root, declared)
