"""Compaction: the many small files an intake writes into an hour partition (one per flush)
become one file once the hour is over, so queries over long ranges open few files.

The compacted file is written first (atomically), named after a digest of its inputs and
listing them in its Parquet metadata; then the inputs are deleted. A crash between the two
leaves both; `finish_interrupted` (run at start-up) deletes inputs that a compacted file
already holds, so no event is counted twice for longer than that instant.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from tallyflow.store.layout import events_root
from tallyflow.store.retention import hour_partitions
from tallyflow.store.writer import write_parquet

INPUTS_KEY = b"tallyflow.compacted_from"
PREFIX = "compact-"


@dataclass
class CompactReceipt:
    partitions: int = 0
    files_in: int = 0
    files_out: int = 0
    tables: dict[str, int] = field(default_factory=dict)


@contextmanager
def _table_lock(table_path: Path) -> Iterator[bool]:
    """An exclusive, non-blocking lock per table; yields False if another process has it."""
    fd = os.open(table_path / ".compact.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _inputs_of(path: Path) -> list[str]:
    metadata = pq.read_schema(path).metadata or {}
    raw = metadata.get(INPUTS_KEY)
    return list(orjson.loads(raw)) if raw else []


def compact_partition(hour_dir: Path) -> tuple[int, int]:
    """Merge the Parquet files of one hour directory; returns (files in, files out)."""
    files = sorted(p for p in hour_dir.glob("*.parquet"))
    if len(files) < 2:
        return 0, 0
    tables = [pq.read_table(f, partitioning=None) for f in files]
    merged = pa.concat_tables(tables, promote_options="permissive")
    names = [f.name for f in files]
    digest = hashlib.sha1("\n".join(names).encode()).hexdigest()[:16]
    metadata = dict(merged.schema.metadata or {})
    metadata[INPUTS_KEY] = orjson.dumps(names)
    write_parquet(merged.replace_schema_metadata(metadata), hour_dir / f"{PREFIX}{digest}.parquet")
    for f in files:
        f.unlink(missing_ok=True)
    return len(files), 1


def finish_interrupted(store_root: Path) -> int:
    """Delete inputs of compacted files that a crash left behind; returns how many."""
    removed = 0
    root = events_root(store_root)
    if not root.is_dir():
        return 0
    for compacted in root.glob(f"*/*/year=*/month=*/day=*/hour=*/{PREFIX}*.parquet"):
        for name in _inputs_of(compacted):
            leftover = compacted.parent / name
            if leftover.exists() and leftover != compacted:
                leftover.unlink()
                removed += 1
    return removed


def compact(
    store_root: Path, now: datetime, grace: timedelta = timedelta(minutes=5)
) -> CompactReceipt:
    """Compact every hour partition that ended more than `grace` ago and has several files."""
    receipt = CompactReceipt()
    root = events_root(store_root)
    if not root.is_dir():
        return receipt
    cutoff = now.astimezone(UTC) - grace
    for database in sorted(p for p in root.iterdir() if p.is_dir()):
        for table_path in sorted(p for p in database.iterdir() if p.is_dir()):
            with _table_lock(table_path) as locked:
                if not locked:
                    continue
                for start, hour_dir in hour_partitions(store_root, table_path.name, database.name):
                    if start + timedelta(hours=1) > cutoff:
                        continue
                    files_in, files_out = compact_partition(hour_dir)
                    if files_in:
                        receipt.partitions += 1
                        receipt.files_in += files_in
                        receipt.files_out += files_out
                        receipt.tables[table_path.name] = receipt.tables.get(table_path.name, 0) + 1
    return receipt
