"""Retention and sanitization of the event store, as Wikimedia runs its `event` database.

- `prune`: raw hour partitions older than their table's retention (default 90 days; per stream
  `retention_days` in streams.yaml) are deleted.
- `sanitize`: before that, the columns an allowlist keeps are copied into the
  `event_sanitized` database (same layout), where they are kept indefinitely. The allowlist is
  Wikimedia's format: table -> field -> `keep` | `hash` (nested mappings for struct fields),
  `keep_all` for a whole table, and `__defaults__` fields kept for every table that has them.
  `hash` replaces a value with the hex SHA-256 of a per-store salt and the value.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from tallyflow.errors import ConfigError
from tallyflow.store.catalog import quote_identifier
from tallyflow.store.layout import EVENT_DATABASE, events_root, partition_time, table_dir
from tallyflow.store.writer import write_parquet
from tallyflow.yamlfile import load_yaml

SANITIZED_DATABASE = "event_sanitized"
DEFAULTS_KEY = "__defaults__"
Rule = str | Mapping[str, Any]


@dataclass
class RetentionReceipt:
    deleted: dict[str, int] = field(default_factory=dict)
    """Hour partitions deleted per table."""
    sanitized: dict[str, int] = field(default_factory=dict)
    """Hour partitions copied into event_sanitized per table."""


def hour_partitions(
    store_root: Path, table: str, database: str = EVENT_DATABASE
) -> list[tuple[datetime, Path]]:
    """Every `year=/month=/day=/hour=` directory of a table with its start time (UTC)."""
    found = []
    table_path = table_dir(store_root, table, database)
    for hour_dir in table_path.glob("year=*/month=*/day=*/hour=*"):
        start = partition_time(hour_dir.relative_to(table_path))
        if start is None:
            continue
        found.append((start, hour_dir))
    return sorted(found)


def load_allowlist(path: Path) -> dict[str, Rule]:
    data, locations = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: an allowlist maps table names to fields")
    for table, rules in data.items():
        _check_rules(rules, (str(table),), locations.where((str(table),)))
    return {str(table).lower(): rules for table, rules in data.items()}


def _check_rules(rules: Any, where: tuple[str, ...], location: str) -> None:
    if rules == "keep_all":
        return
    if not isinstance(rules, dict):
        raise ConfigError(
            f"{location}: {'.'.join(where)}: expected a mapping of fields or keep_all"
        )
    for name, rule in rules.items():
        if isinstance(rule, dict):
            _check_rules(rule, (*where, str(name)), location)
        elif rule not in ("keep", "hash"):
            raise ConfigError(
                f"{location}: {'.'.join((*where, str(name)))}: '{rule}' is not keep, hash or "
                "a mapping of struct fields"
            )


def _projection(
    rules: Mapping[str, Any], kind: pa.StructType | pa.Schema, source: str, salt: str
) -> list[tuple[str, str]]:
    """(name, expression) for each allowlisted field present in `kind`."""
    names = {f.name.lower(): f for f in kind}
    expressions = []
    for name, rule in rules.items():
        found = names.get(str(name).lower())
        if found is None:
            continue
        column = (
            f"{source}.{quote_identifier(found.name)}" if source else quote_identifier(found.name)
        )
        if isinstance(rule, Mapping) and pa.types.is_struct(found.type):
            inner = _projection(rule, found.type, column, salt)
            if inner:
                packed = ", ".join(f"{quote_identifier(n)} := {e}" for n, e in inner)
                expressions.append((found.name, f"struct_pack({packed})"))
        elif rule == "hash":
            expressions.append(
                (
                    found.name,
                    f"CASE WHEN {column} IS NULL THEN NULL "
                    f"ELSE sha256('{salt}' || CAST({column} AS VARCHAR)) END",
                )
            )
        elif rule == "keep":
            expressions.append((found.name, column))
    return expressions


def store_salt(store_root: Path) -> str:
    """The store's hashing salt, created on first use."""
    path = store_root / "sanitize.salt"
    if not path.exists():
        store_root.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
    return path.read_text().strip()


def sanitize(
    store_root: Path, allowlist: Mapping[str, Rule], hours: list[tuple[str, Path]]
) -> RetentionReceipt:
    """Copy the allowlisted columns of the given (table, hour directory) pairs."""
    receipt = RetentionReceipt()
    defaults = allowlist.get(DEFAULTS_KEY)
    salt = store_salt(store_root)
    con = duckdb.connect(":memory:")
    try:
        for table, hour_dir in hours:
            rules = allowlist.get(table.lower())
            if rules is None:
                continue
            files = sorted(hour_dir.glob("*.parquet"))
            if not files:
                continue
            if rules == "keep_all":
                select = "*"
            else:
                merged = {**(defaults if isinstance(defaults, Mapping) else {})}
                merged.update(rules if isinstance(rules, Mapping) else {})
                columns = pa.unify_schemas([pq.read_schema(f) for f in files])
                expressions = _projection(merged, columns, "", salt)
                if not expressions:
                    continue
                select = ", ".join(f"{e} AS {quote_identifier(n)}" for n, e in expressions)
            listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
            result = con.sql(
                f"SELECT {select} FROM read_parquet([{listing}], union_by_name = true)"
            ).to_arrow_table()
            relative = hour_dir.relative_to(table_dir(store_root, table))
            target = table_dir(store_root, table, SANITIZED_DATABASE) / relative
            write_parquet(result, target / "part-sanitized.parquet")
            receipt.sanitized[table] = receipt.sanitized.get(table, 0) + 1
    finally:
        con.close()
    return receipt


def prune(
    store_root: Path,
    now: datetime,
    retention_days: Callable[[str], int],
    allowlist: Mapping[str, Rule] | None = None,
) -> RetentionReceipt:
    """Sanitize (if an allowlist is given), then delete expired raw hour partitions."""
    receipt = RetentionReceipt()
    root = events_root(store_root) / EVENT_DATABASE
    if not root.is_dir():
        return receipt
    expired: list[tuple[str, Path]] = []
    for table_path in sorted(p for p in root.iterdir() if p.is_dir()):
        cutoff = now - timedelta(days=retention_days(table_path.name))
        for start, hour_dir in hour_partitions(store_root, table_path.name):
            if start + timedelta(hours=1) <= cutoff:
                expired.append((table_path.name, hour_dir))
    if allowlist:
        receipt.sanitized = sanitize(store_root, allowlist, expired).sanitized
    for table, hour_dir in expired:
        shutil.rmtree(hour_dir)
        receipt.deleted[table] = receipt.deleted.get(table, 0) + 1
        parent = hour_dir.parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return receipt
