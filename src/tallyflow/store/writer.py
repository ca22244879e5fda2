"""Accepted events -> Parquet files in the Hive layout (`store.layout`).

Events are grouped by table, hour partition (from `meta.dt`) and schema version; each group is
refined (`store.refine`) and written as one file, to a temporary name, fsynced and renamed, so a
reader never sees half a file. File names derive from a caller-given stem: writing the same
events with the same stem again replaces the same files, which makes replaying a log segment
after a crash idempotent. Rows Arrow cannot take are kept as JSON lines under
`<store>/quarantine/<table>/` and counted.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tallyflow.records import AcceptedEvent
from tallyflow.store.layout import partition_dir, table_for_stream
from tallyflow.store.refine import Shaper
from tallyflow.store.wal import fsync_dir

ShaperFor = Callable[[str], Shaper]


@dataclass
class WriteReceipt:
    """What one write put where: rows per table, files, quarantined rows."""

    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    quarantined: dict[str, int] = field(default_factory=dict)

    def add(self, other: WriteReceipt) -> None:
        for table, count in other.rows.items():
            self.rows[table] = self.rows.get(table, 0) + count
        for table, count in other.quarantined.items():
            self.quarantined[table] = self.quarantined.get(table, 0) + count
        self.files.extend(other.files)


def event_time(event: Mapping[str, Any]) -> datetime:
    """The partition time of an event: `meta.dt`, else `dt`, else now (UTC)."""
    meta = event.get("meta")
    for value in (meta.get("dt") if isinstance(meta, Mapping) else None, event.get("dt")):
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write atomically and durably: temp file, fsync, rename, fsync the directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as sink:
        pq.write_table(table, sink, compression="snappy")
        sink.flush()
        os.fsync(sink.fileno())
    os.replace(temporary, path)
    fsync_dir(path.parent)


def _quarantine(root: Path, table: str, stem: str, events: list[Mapping[str, Any]]) -> None:
    directory = root / "quarantine" / table
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.jsonl"
    with open(path, "wb") as sink:
        for event in events:
            sink.write(orjson.dumps(event) + b"\n")
        sink.flush()
        os.fsync(sink.fileno())


def write_events(
    root: Path, events: Iterable[AcceptedEvent], shaper_for: ShaperFor, stem: str
) -> WriteReceipt:
    """Write `events` under `root` (the store root); see the module docstring."""
    groups: dict[tuple[str, datetime, str], list[Mapping[str, Any]]] = defaultdict(list)
    for accepted in events:
        hour = event_time(accepted.event).replace(minute=0, second=0, microsecond=0)
        groups[(table_for_stream(accepted.stream), hour, accepted.schema_uri)].append(
            accepted.event
        )
    receipt = WriteReceipt()
    for (table, hour, schema_uri), group in sorted(groups.items(), key=lambda item: item[0]):
        arrow, rejected = shaper_for(schema_uri).table(group)
        version = hashlib.sha1(schema_uri.encode()).hexdigest()[:8]
        if arrow is not None and arrow.num_rows:
            path = partition_dir(root, table, hour) / f"part-{stem}-{version}.parquet"
            write_parquet(arrow, path)
            receipt.files.append(path)
            receipt.rows[table] = receipt.rows.get(table, 0) + arrow.num_rows
        if rejected:
            _quarantine(root, table, f"{stem}-{version}-{hour:%Y%m%d%H}", rejected)
            receipt.quarantined[table] = receipt.quarantined.get(table, 0) + len(rejected)
    return receipt


def _partition_hours(data: pa.Table) -> pa.Array:
    """Start of the hour of each row, from `meta.dt`, else `dt`, else now (UTC)."""
    hours = pa.nulls(data.num_rows, pa.timestamp("ms", tz="UTC"))
    candidates = []
    if "meta" in data.column_names and pa.types.is_struct(data["meta"].type):
        meta = data["meta"].combine_chunks()
        if meta.type.get_field_index("dt") >= 0:
            candidates.append(pc.struct_field(meta, "dt"))
    if "dt" in data.column_names:
        candidates.append(data["dt"].combine_chunks())
    for candidate in candidates:
        try:
            parsed = pc.cast(candidate, pa.timestamp("ms", tz="UTC"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        hours = pc.coalesce(hours, parsed)
    now = pa.scalar(datetime.now(UTC), pa.timestamp("ms", tz="UTC"))
    return pc.floor_temporal(pc.coalesce(hours, now), unit="hour")


def write_table(root: Path, table: str, data: pa.Table, stem: str) -> WriteReceipt:
    """Write refined columns (see `Shaper.refine_columns`) as one file per hour partition."""
    receipt = WriteReceipt()
    if data.num_rows == 0:
        return receipt
    hours = _partition_hours(data)
    for hour in pc.unique(hours).to_pylist():
        part = data.filter(pc.equal(hours, pa.scalar(hour, hours.type)))
        path = partition_dir(root, table, hour) / f"part-{stem}.parquet"
        write_parquet(part, path)
        receipt.files.append(path)
        receipt.rows[table] = receipt.rows.get(table, 0) + part.num_rows
    return receipt
