"""Partition pruning for DuckDB (aggregate stage: engine SQL in, engine SQL reading only the
matching partition directories out).

A report query reads one interval: `WHERE year = 2021 AND month = 06 AND day = 07`. The store's
views glob every file of a table and prune afterwards, which costs more than the query itself
for small intervals. When a SELECT reads one stored table and its WHERE has constant equalities
on the leading partition columns (year, then month, day, hour), the table is replaced by a
`read_parquet` of just that directory. When that directory does not exist, the partition holds
no rows, and the table is replaced by an empty relation with the table's columns (`empty`), so
an interval without data costs no scan of the whole table. The caller falls back to the plain
query when the narrow read fails (a column that only other partitions have).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tallyflow.store.catalog import PARTITION_COLUMNS, TableName


def _constants(where: exp.Expr | None, names: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    if where is None:
        return found
    condition = where.this if isinstance(where, exp.Where) else where
    for part in condition.flatten() if isinstance(condition, exp.And) else [condition]:
        if not isinstance(part, exp.EQ):
            continue
        column, value = part.this, part.expression
        if isinstance(value, exp.Column):
            column, value = value, column
        if (
            isinstance(column, exp.Column)
            and column.name.lower() in PARTITION_COLUMNS
            and (not column.table or column.table.lower() in names)
            and isinstance(value, exp.Literal)
            and not value.is_string
            and str(value.this).isdigit()
        ):
            found[column.name.lower()] = int(str(value.this))
    return found


def _projects_star(tree: exp.Expr) -> bool:
    """Whether a `*` lists columns (`SELECT *`, `t.*`), not only counts rows (`COUNT(*)`)."""
    return any(not isinstance(star.parent, exp.Count) for star in tree.find_all(exp.Star))


def narrow(
    sql: str,
    tables: Mapping[TableName, Path],
    empty: Callable[[TableName], str] | None = None,
) -> str | None:
    """`sql` with single-table partition-constant scans narrowed, or None if nothing applies.

    `empty` names an empty relation with a table's columns, used for a partition that does not
    exist; without it such a scan is left as it is."""
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except SqlglotError:
        return None
    if _projects_star(tree):
        return None  # `*` would list only the narrowed files' columns
    changed = False
    for select in list(tree.find_all(exp.Select)):
        source = select.args.get("from") or select.args.get("from_")
        if source is None or select.args.get("joins") or not isinstance(source.this, exp.Table):
            continue
        table = source.this
        key = (table.db.lower(), table.name.lower())
        if key not in tables:
            continue
        alias = table.alias_or_name.lower()
        constants = _constants(select.args.get("where"), {alias, table.name.lower()})
        path = tables[key]
        for name in PARTITION_COLUMNS:
            if name not in constants:
                break
            path = path / f"{name}={constants[name]}"
        if path == tables[key]:
            continue
        if not path.exists():
            if empty is None:
                continue
            replacement = exp.to_table(empty(key), dialect="duckdb")
            replacement.set("alias", exp.TableAlias(this=exp.to_identifier(table.alias_or_name)))
            table.replace(replacement)
            changed = True
            continue
        pattern = str(path / "**" / "*.parquet").replace("'", "''")
        scan = sqlglot.parse_one(
            f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
            "union_by_name = true) AS t",
            read="duckdb",
        )
        replacement = scan.args["from"].this if "from" in scan.args else scan.args["from_"].this
        replacement.set("alias", exp.TableAlias(this=exp.to_identifier(table.alias_or_name)))
        table.replace(replacement)
        changed = True
    return tree.sql(dialect="duckdb") if changed else None
