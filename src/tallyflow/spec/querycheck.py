"""Columns a report query reads, resolved against the tables derived from event schemas.

Input: a query's SQL (placeholders already filled), its dialect, and the columns of the tables
it may read (from each stream's schema, as Wikimedia Refine makes them: top-level properties as
lower-cased columns, `$schema` as `_schema`, objects as structs, the `useragent` struct, and the
partition columns year/month/day/hour). Output: the columns and tables that do not exist, with
their line in the query. Parsing and scoping are sqlglot's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError
from sqlglot.optimizer.scope import traverse_scope

PARTITIONS = ("year", "month", "day", "hour")
USERAGENT = (
    "browser_family",
    "browser_major",
    "browser_minor",
    "device_family",
    "is_bot",
    "is_mediawiki",
    "os_family",
    "os_major",
    "os_minor",
    "wmf_app_version",
)
_NOT_IDENTIFIER = re.compile(r"(^[^A-Za-z_]|[^A-Za-z0-9_])")


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


def _nested(schema: Any, prefix: str = "") -> set[str]:
    names: set[str] = set()
    if not isinstance(schema, dict):
        return names
    for key, sub in (schema.get("properties") or {}).items():
        name = f"{prefix}{key}".lower()
        names.add(name)
        names |= _nested(sub, f"{name}.")
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword) or []:
            names |= _nested(sub, prefix)
    return names


def _top_level(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    found = dict(schema.get("properties") or {})
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword) or []:
            for key, value in _top_level(sub).items():
                found.setdefault(key, value)
    return found


def table_columns(name: str, schema: dict[str, Any]) -> TableColumns:
    """The columns Refine gives the table of events of a (resolved) schema."""
    columns: dict[str, set[str]] = {}
    for key, sub in _top_level(schema).items():
        column = "_schema" if key == "$schema" else _NOT_IDENTIFIER.sub("_", key).lower()
        columns.setdefault(column, set()).update(_nested(sub))
    columns.setdefault("useragent", set()).update(USERAGENT)
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
