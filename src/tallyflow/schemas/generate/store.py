"""Generated batches straight into the event store, column by column (the bulk path).

Input: `traffic.Batch`es (Arrow struct rows shaped like the JSON events). Output: Parquet files
in the store's Hive layout, `<store>/events/event/<table>/year=/month=/day=/hour=/`, partitioned
by `meta.dt` (the receive time), with Refine's column names (`$schema` -> `_schema`, top-level
names lower-cased) and its `useragent` struct parsed from the user-agent header (ua-parser, once
per distinct agent). No per-event Python object is made, which is what makes this path fast.

Files are named `generated-s<seed>-b<batch>.parquet`, so running the same command again
replaces its own files instead of adding duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from ua_parser import parse

from tallyflow.errors import StoreError
from tallyflow.schemas.generate.traffic import Batch
from tallyflow.store.layout import table_dir, table_for_stream

_NOT_IDENTIFIER = re.compile(r"(^[^A-Za-z_]|[^A-Za-z0-9_])")
_SPIDER = re.compile(r"(?i)bot|spider|crawl|scrap|python|curl|wget|java/|http[s]?://|headless")
USERAGENT = pa.struct(
    [
        pa.field("browser_family", pa.string()),
        pa.field("browser_major", pa.string()),
        pa.field("browser_minor", pa.string()),
        pa.field("device_family", pa.string()),
        pa.field("is_bot", pa.bool_()),
        pa.field("is_mediawiki", pa.bool_()),
        pa.field("os_family", pa.string()),
        pa.field("os_major", pa.string()),
        pa.field("os_minor", pa.string()),
        pa.field("wmf_app_version", pa.string()),
    ]
)


def column_name(name: str) -> str:
    """Refine's top-level column name: non-identifier characters to `_`, lower-cased."""
    return _NOT_IDENTIFIER.sub("_", name).lower()


@lru_cache(maxsize=4096)
def useragent(agent: str) -> dict[str, Any]:
    """The `useragent` struct Refine derives from a user-agent header."""
    parsed = parse(agent)
    browser, os_, device = parsed.user_agent, parsed.os, parsed.device
    device_family = device.family if device else "Other"
    return {
        "browser_family": browser.family if browser else "Other",
        "browser_major": browser.major if browser else None,
        "browser_minor": browser.minor if browser else None,
        "device_family": device_family,
        "is_bot": device_family == "Spider"
        or (device_family == "Other" and _SPIDER.search(agent) is not None),
        "is_mediawiki": "mediawiki" in agent.lower(),
        "os_family": os_.family if os_ else "Other",
        "os_major": os_.major if os_ else None,
        "os_minor": os_.minor if os_ else None,
        "wmf_app_version": None,
    }


def refine_columns(batch: Batch) -> pa.Table:
    """The batch as a table with Refine's columns (partitions are added by the directories)."""
    events = batch.events
    names, arrays = [], []
    for index, child in enumerate(events.type):
        names.append(column_name(child.name))
        arrays.append(events.field(index))
    if "useragent" not in names:
        agents = batch.user_agent
        if not pa.types.is_dictionary(agents.type):
            agents = agents.dictionary_encode()
        structs = pa.array(
            [useragent(str(a)) for a in agents.dictionary.to_pylist()], type=USERAGENT
        )
        names.append("useragent")
        arrays.append(structs.take(agents.indices))
    return pa.Table.from_arrays(arrays, names=names)


@dataclass
class StoreWriter:
    """Writes batches of generated events under a store root."""

    store_root: Path
    seed: int
    written: dict[str, int] = field(default_factory=dict)
    files: int = 0
    _batches: int = 0

    def write(self, batches: Iterable[Batch]) -> None:
        for batch in batches:
            self.write_batch(batch)

    def write_batch(self, batch: Batch) -> None:
        table = refine_columns(batch)
        hours = batch.received_ms // 3_600_000  # batches come ordered by receive hour
        if len(hours) > 1 and bool(np.any(hours[1:] < hours[:-1])):
            order = np.argsort(hours, kind="stable")
            hours, table = hours[order], table.take(pa.array(order))
        starts = np.flatnonzero(np.r_[True, hours[1:] != hours[:-1]])
        ends = np.r_[starts[1:], len(hours)]
        base = table_dir(self.store_root, table_for_stream(batch.stream))
        name = f"generated-s{self.seed}-b{self._batches:06d}.parquet"
        self._batches += 1
        for first, last in zip(starts, ends, strict=True):
            stamp = np.datetime64(int(hours[first]), "h").astype(object)
            folder = (
                base / f"year={stamp.year}" / f"month={stamp.month}" / f"day={stamp.day}"
                / f"hour={stamp.hour}"
            )  # fmt: skip
            try:
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(table.slice(first, last - first), folder / name)
            except OSError as error:
                raise StoreError(f"cannot write {folder / name}: {error}") from None
            self.files += 1
        self.written[batch.stream] = self.written.get(batch.stream, 0) + len(table)
