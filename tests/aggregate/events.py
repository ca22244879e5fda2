"""Test data: legacy `event.codemirrorusage` rows written as Hive-partitioned Parquet, with the
columns Refine gives a migrated legacy table (schemas.md §4.3), so queries see what they would
see on the cluster.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tallyflow.store.layout import partition_dir

EVENT = pa.struct(
    [
        ("edit_start_ts_ms", pa.int64()),
        ("editor", pa.string()),
        ("enabled", pa.bool_()),
        ("session_token", pa.string()),
        ("toggled", pa.bool_()),
        ("user_edit_count_bucket", pa.string()),
        ("user_id", pa.int64()),
    ]
)
USERAGENT = pa.struct(
    [
        ("browser_family", pa.string()),
        ("device_family", pa.string()),
        ("is_bot", pa.bool_()),
        ("is_mediawiki", pa.bool_()),
        ("os_family", pa.string()),
    ]
)
META = pa.struct([("domain", pa.string()), ("dt", pa.string()), ("id", pa.string())])
SCHEMA = pa.schema(
    [
        ("_schema", pa.string()),
        ("dt", pa.string()),
        ("wiki", pa.string()),
        ("webhost", pa.string()),
        ("meta", META),
        ("useragent", USERAGENT),
        ("event", EVENT),
    ]
)


def codemirror_event(
    when: dt.datetime,
    wiki: str,
    *,
    enabled: bool,
    toggled: bool = True,
    session: str = "s1",
    bucket: str | None = "1-4 edits",
    is_bot: bool = False,
) -> dict[str, Any]:
    return {
        "_schema": "/analytics/legacy/codemirrorusage/1.0.0",
        "dt": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wiki": wiki,
        "webhost": f"{wiki[:2]}.wikipedia.org",
        "meta": {"domain": f"{wiki[:2]}.wikipedia.org", "dt": when.isoformat(), "id": "x"},
        "useragent": {
            "browser_family": "Firefox",
            "device_family": "Other",
            "is_bot": is_bot,
            "is_mediawiki": False,
            "os_family": "Linux",
        },
        "event": {
            "edit_start_ts_ms": 1,
            "editor": "wikitext",
            "enabled": enabled,
            "session_token": session,
            "toggled": toggled,
            "user_edit_count_bucket": bucket,
            "user_id": 7,
        },
    }


def write_events(store_root: Path, events: list[dict[str, Any]]) -> None:
    """One Parquet file per hour partition of `event.codemirrorusage`."""
    by_hour: dict[dt.datetime, list[dict[str, Any]]] = {}
    for event in events:
        when = dt.datetime.strptime(event["dt"], "%Y-%m-%dT%H:%M:%SZ").replace(minute=0, second=0)
        by_hour.setdefault(when, []).append(event)
    for hour, rows in by_hour.items():
        directory = partition_dir(store_root, "codemirrorusage", hour)
        directory.mkdir(parents=True, exist_ok=True)
        part = len(list(directory.glob("*.parquet")))
        pq.write_table(
            pa.Table.from_pylist(rows, schema=SCHEMA), directory / f"part-{part}.parquet"
        )


def sample_store(store_root: Path) -> None:
    """2021-06-01 .. 2021-06-07: per day d, enwiki has d enabling and 1 disabling toggle,
    dewiki has 2 enabling toggles on even days only; one bot event per day (excluded by queries).
    """
    events = []
    for day in range(1, 8):
        base = dt.datetime(2021, 6, day, 10)
        for i in range(day):
            events.append(
                codemirror_event(base, "enwiki", enabled=True, session=f"en{day}-{i % 2}")
            )
        events.append(
            codemirror_event(base, "enwiki", enabled=False, session=f"en{day}-0", bucket=None)
        )
        if day % 2 == 0:
            for _ in range(2):
                events.append(codemirror_event(base, "dewiki", enabled=True, session=f"de{day}"))
        events.append(codemirror_event(base, "enwiki", enabled=True, is_bot=True))
    write_events(store_root, events)
