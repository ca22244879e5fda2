"""Columns a report query reads, resolved against the tables derived from event schemas.

Input: a query's SQL (placeholders already filled), its dialect, and the columns of the tables
it may read (from each stream's schema, mapped as the event store maps it, after Wikimedia
Refine: `store.types.table_schema`, plus the partition columns year/month/day/hour). Output: the
columns and tables that do not exist, with their line in the query. Parsing and scoping are
sqlglot's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.optimizer.scope import traverse_scope

from tallyflow.store.types import table_schema

PARTITIONS = ("year", "month", "day", "hour")
"""Hive partition columns of every event table (store layout)."""


@dataclass(frozen=True)
class TableColumns:
    """A table's columns: top-level name -> dotted names of its nested fields (lower-case)."""

    name: str
    columns: dict[str, set[str]] = field(default_factory=dict)

    def has(self, parts: list[str]) -> bool:
        top, rest = parts[0].lower(), ".".join(parts[1:]).lower()
        if top not in self.columns:
            return False
        return not rest or rest in self.columns[top]


def _struct_fields(kind: pa.DataType, prefix: str = "") -> set[str]:
    names: set[str] = set()
    if pa.types.is_struct(kind):
        for index in range(kind.num_fields):
            child = kind.field(index)
            name = f"{prefix}{child.name}".lower()
            names.add(name)
            names |= _struct_fields(child.type, f"{name}.")
    return names


def table_columns(name: str, schema: dict[str, Any]) -> TableColumns:
    """The columns of the table of events of a (resolved) schema: the store's Refine mapping
    (`store.types.table_schema`) plus the partition columns."""
    columns = {f.name.lower(): _struct_fields(f.type) for f in table_schema(schema)}
    for partition in PARTITIONS:
        columns.setdefault(partition, set())
    return TableColumns(name.lower(), columns)


@dataclass(frozen=True)
class Unknown:
    """A column or table the query reads that does not exist."""

    kind: str
    """`column`, `table` or `syntax`."""
    name: str
    table: str
    line: int | None


def _line(node: exp.Expression) -> int | None:
    for identifier in node.find_all(exp.Identifier):
        line = identifier.meta.get("line")
        if isinstance(line, int):
            return line
    return None


def _table_name(table: exp.Table) -> str:
    return f"{table.db}.{table.name}".lower() if table.db else table.name.lower()


def unknown_names(
    sql: str,
    tables: Mapping[str, TableColumns],
    dialect: str,
    databases: tuple[str, ...] = ("event",),
) -> list[Unknown]:
    """Tables (of `databases`) and columns `sql` reads that `tables` does not have."""
    try:
        tree = sqlglot.parse_one(sql, read=dialect)
    except ParseError as error:
        line = error.errors[0].get("line") if error.errors else None
        return [Unknown("syntax", str(error).splitlines()[0], "", line)]
    found: list[Unknown] = []
    for scope in traverse_scope(tree):
        sources: dict[str, TableColumns | None] = {}
        for alias, source in scope.sources.items():
            if isinstance(source, exp.Table):
                name = _table_name(source)
                sources[alias.lower()] = tables.get(name)
                if name not in tables and source.db.lower() in databases:
                    found.append(Unknown("table", name, name, _line(source)))
            else:
                sources[alias.lower()] = None
        known = [t for t in sources.values() if t is not None]
        select = scope.expression
        opaque = any(t is None for t in sources.values()) or bool(select.args.get("laterals"))
        projections = select.selects if isinstance(select, exp.Query) else []
        aliases = {s.alias_or_name.lower() for s in projections if s.alias}
        for column in scope.columns:
            parts = [p.name for p in column.parts]
            first = parts[0].lower()
            if first in sources and len(parts) > 1:
                target = sources[first]
                if target is not None and not target.has(parts[1:]):
                    found.append(Unknown("column", ".".join(parts[1:]), target.name, _line(column)))
                continue
            if len(parts) == 1 and first in aliases:
                continue
            if any(t.has(parts) for t in known) or opaque or not known:
                continue
            found.append(Unknown("column", ".".join(parts), known[0].name, _line(column)))
    return found


def output_columns(sql: str, dialect: str) -> list[str] | None:
    """Names of the columns the last query of `sql` returns; None when unknown (`SELECT *`,
    or it does not parse)."""
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except ParseError:
        return None
    queries = [s for s in statements if isinstance(s, exp.Query)]
    if not queries:
        return None
    selects = queries[-1].selects
    if any(s.is_star for s in selects):
        return None
    return [s.alias_or_name for s in selects]
