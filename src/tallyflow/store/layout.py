"""Where events live on disk: Wikimedia Refine's table naming and Hive's partition layout.

    <store>/events/<database>/<table>/year=YYYY/month=M/day=D/hour=H/<part>.parquet

Partition values are unpadded (`month=2`), as in Wikimedia's Hive `event` database.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

EVENT_DATABASE = "event"
LEGACY_PREFIX = "eventlogging_"
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def table_for_stream(stream: str) -> str:
    """Refine's table name for a stream.

    Legacy `eventlogging_<Schema>` streams become `<schema lowercased>`; other streams have
    every character outside [A-Za-z0-9_] (`.` and `-` in practice) replaced by `_`, lowercased.

    >>> table_for_stream("eventlogging_CodeMirrorUsage")
    'codemirrorusage'
    >>> table_for_stream("mediawiki.foo-bar")
    'mediawiki_foo_bar'
    """
    if stream.startswith(LEGACY_PREFIX) and len(stream) > len(LEGACY_PREFIX):
        stream = stream[len(LEGACY_PREFIX) :]
    return _NOT_IDENTIFIER.sub("_", stream).lower()


def events_root(store_root: Path) -> Path:
    return store_root / "events"


def table_dir(store_root: Path, table: str, database: str = EVENT_DATABASE) -> Path:
    return events_root(store_root) / database / table


def partition_values(dt: datetime) -> tuple[int, int, int, int]:
    """(year, month, day, hour) of a UTC timestamp."""
    return dt.year, dt.month, dt.day, dt.hour


def partition_dir(
    store_root: Path, table: str, dt: datetime, database: str = EVENT_DATABASE
) -> Path:
    year, month, day, hour = partition_values(dt)
    return (
        table_dir(store_root, table, database)
        / f"year={year}"
        / f"month={month}"
        / f"day={day}"
        / f"hour={hour}"
    )


def partition_time(path: Path) -> datetime | None:
    """Start (UTC) of the partition a path names through its `year=/month=/day=[/hour=]`
    parts (hour 0 for a day folder); None when it names no valid partition."""
    values = dict(part.split("=", 1) for part in path.parts if "=" in part)
    try:
        return datetime(
            int(values["year"]),
            int(values["month"]),
            int(values["day"]),
            int(values.get("hour", 0)),
            tzinfo=UTC,
        )
    except (KeyError, ValueError):
        return None
