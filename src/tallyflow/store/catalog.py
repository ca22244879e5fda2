"""Read side of the event store: DuckDB views over the Parquet files, so queries see every table
as `<database>.<table>` (for example `event.codemirrorusage`), as on the Hive cluster.

Each table directory under `<store>/events/<database>/<table>/` becomes one view over
`**/*.parquet` with Hive partitioning (year, month, day, hour as BIGINT) and union-by-name, so
files written before a schema gained a column stay readable (the column reads NULL). Tables that
are declared (from stream config and schemas) but hold no file yet are empty tables with the
declared columns, so a query works on an empty store too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa

from tallyflow.store.layout import events_root

PARTITION_COLUMNS = ("year", "month", "day", "hour")


def _partition_types(table_dir: Path) -> str:
    """`hive_types` for the year/month/day/hour partitions this table's layout has (imported
    tables may be partitioned otherwise, or not at all)."""
    first = next(table_dir.rglob("*.parquet"))
    keys = {part.split("=", 1)[0] for part in first.relative_to(table_dir).parts if "=" in part}
    names = [name for name in PARTITION_COLUMNS if name in keys]
    return "{" + ", ".join(f"'{name}': BIGINT" for name in names) + "}"


TableName = tuple[str, str]


def quote_identifier(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stored_tables(store_root: Path) -> dict[TableName, Path]:
    """Every (database, table) that has at least one Parquet file, with its directory."""
    found: dict[TableName, Path] = {}
    root = events_root(store_root)
    if not root.is_dir():
        return found
    for database in sorted(p for p in root.iterdir() if p.is_dir()):
        for table in sorted(p for p in database.iterdir() if p.is_dir()):
            if next(table.rglob("*.parquet"), None) is not None:
                found[(database.name, table.name)] = table
    return found


def _partitioned(schema: pa.Schema) -> pa.Schema:
    for name in PARTITION_COLUMNS:
        if name not in schema.names:
            schema = schema.append(pa.field(name, pa.int64()))
    return schema


def connect(
    store_root: Path,
    declared: Mapping[TableName, pa.Schema] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with one view per stored or declared table."""
    con = connection or duckdb.connect(":memory:")
    tables = stored_tables(store_root)
    names = set(tables) | set(declared or {})
    for database in sorted({database for database, _ in names}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(database)}")
    for database, table in sorted(names):
        target = f"{quote_identifier(database)}.{quote_identifier(table)}"
        if (database, table) in tables:
            pattern = str(tables[(database, table)] / "**" / "*.parquet")
            types = _partition_types(tables[(database, table)])
            con.execute(
                f"CREATE OR REPLACE VIEW {target} AS SELECT * FROM read_parquet("
                f"{_literal(pattern)}, hive_partitioning = true, union_by_name = true"
                + (f", hive_types = {types})" if types != "{}" else ")")
            )
        else:
            assert declared is not None
            empty = pa.Table.from_batches([], schema=_partitioned(declared[(database, table)]))
            # an empty table, not a view of a registered Arrow table: registrations are not
            # seen by the connection's cursors (the report engine queries through cursors)
            con.register(f"__empty_{database}_{table}", empty)
            con.execute(
                f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM "
                f"{quote_identifier(f'__empty_{database}_{table}')}"
            )
            con.unregister(f"__empty_{database}_{table}")
    return con
