"""The Streams section: what the intake accepted and rejected, per stream and hour, and the
latest invalid events with their validation messages (Wikimedia's eventgate-validator view).

Input: streams.yaml, the event store's Parquet files (read with DuckDB) and its write-ahead log
(events acknowledged in the last seconds, not yet converted), and a time window. Output:
`StreamActivity` (hourly counts by stream, totals, the newest invalid events) and the pages
`/streams` and `/streams/{name}`.

Invalid events are the error events of the intake's error stream (`intake.error_stream`), one
per rejected event, grouped by the stream the event was meant for (`errored_stream_name`).
A log segment and the Parquet files converted from it (`part-<segment>-*.parquet`) are never
both counted, so an event is counted once while it moves from the log to Parquet.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tallyflow.collect.streams import load_streams
from tallyflow.errors import TallyflowError
from tallyflow.project import Project
from tallyflow.store.layout import partition_time, table_dir, table_for_stream
from tallyflow.store.wal import SUFFIX, read_segment
from tallyflow.store.writer import event_time
from tallyflow.visualize.ui.pages import UI

DEFAULT_HOURS = 7 * 24
MAX_HOURS = 90 * 24
LATEST_INVALID = 50
HOUR = 3600

Hourly = dict[int, int]
"""Start of the hour (epoch seconds, UTC) -> events."""


@dataclass(frozen=True)
class InvalidEvent:
    """One rejected event, as its error event records it."""

    dt: str
    stream: str
    message: str
    raw_event: str

    @property
    def pretty(self) -> str:
        try:
            return orjson.dumps(orjson.loads(self.raw_event), option=orjson.OPT_INDENT_2).decode()
        except orjson.JSONDecodeError:
            return self.raw_event


@dataclass(frozen=True)
class StreamInfo:
    """A configured stream (or a regex entry, which has no table of its own)."""

    name: str
    schema_title: str | None
    sampling: str
    table: str | None
    retention_days: int | None
    pattern: bool = False


@dataclass
class StreamActivity:
    """Counts in the window [start, end) and the newest invalid events."""

    start: int
    end: int
    accepted: dict[str, Hourly] = field(default_factory=dict)
    invalid: dict[str, Hourly] = field(default_factory=dict)
    latest_invalid: list[InvalidEvent] = field(default_factory=list)
    in_log: int = 0
    """Events counted from the write-ahead log (not yet in Parquet)."""

    def total(self, counts: dict[str, Hourly], stream: str | None = None) -> int:
        return sum(sum(hours.values()) for name, hours in counts.items() if stream in (None, name))

    def series(self, counts: dict[str, Hourly], names: list[str]) -> list[dict[str, Any]]:
        """graphite-web's JSON shape, one point per hour of the window (0 for none)."""
        hours = range(self.start, self.end, HOUR)
        return [
            {"target": name, "datapoints": [[counts.get(name, {}).get(h, 0), h] for h in hours]}
            for name in names
        ]


def stream_infos(project: Project) -> list[StreamInfo]:
    config = load_streams(project.streams_path)
    found = []
    for entry in config.entries:
        sample = entry.config.sample
        found.append(
            StreamInfo(
                name=entry.key,
                schema_title=entry.config.schema_title,
                sampling=f"{sample.rate:.2%} per {sample.unit}" if sample else "every event",
                table=None if entry.pattern else table_for_stream(entry.key),
                retention_days=entry.config.retention_days,
                pattern=entry.pattern is not None,
            )
        )
    return found


@dataclass
class _Log:
    """What the write-ahead log holds now."""

    segments: set[str] = field(default_factory=set)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def read_log(store_root: Path) -> _Log:
    """Every event in the log's segments (the live one included, up to its last full record)."""
    found = _Log()
    directory = store_root / "wal"
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            events = [(e.stream, e.event) for e in read_segment(path)]
        except FileNotFoundError:
            continue  # converted and released meanwhile: its Parquet files are counted
        found.segments.add(path.stem)
        found.events += events
    return found


def partition_hour(path: Path) -> int | None:
    """Start of the hour partition a file is in (epoch seconds), None when it has none."""
    if not any(part.startswith("hour=") for part in path.parts):
        return None
    start = partition_time(path)
    return None if start is None else int(start.timestamp())


def parquet_files(store_root: Path, table: str, skip: set[str], start: int, end: int) -> list[str]:
    """The table's Parquet files in the hour partitions of [start, end), minus those converted
    from the log segments in `skip`. Only the day folders of the window are listed."""
    directory = table_dir(store_root, table)
    found = []
    for day_dir in directory.glob("year=*/month=*/day=*"):
        day_start = partition_time(day_dir.relative_to(directory))
        if day_start is None:
            continue
        day = int(day_start.timestamp())
        if day + 24 * HOUR <= start or day >= end:
            continue
        for path in day_dir.glob("hour=*/*.parquet"):
            hour = partition_hour(path.relative_to(directory))
            if hour is None or not start <= hour < end:
                continue
            if not any(path.name.startswith(f"part-{stem}-") for stem in skip):
                found.append(str(path))
    return sorted(found)


class RowCounts:
    """Rows per Parquet file, read from its footer once: a file is written once and renamed
    into place, so a file with the same path, size and mtime has the same rows."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[int, int, int]] = {}
        self._lock = threading.Lock()

    def hourly(self, con: duckdb.DuckDBPyConnection, files: list[str]) -> Hourly:
        """Rows per hour partition of `files`."""
        stats = {}
        for name in files:
            try:
                stat = os.stat(name)
            except FileNotFoundError:
                continue  # compacted meanwhile
            stats[name] = (stat.st_size, stat.st_mtime_ns)
        with self._lock:
            unknown = [n for n, key in stats.items() if self._known.get(n, (0, 0, 0))[:2] != key]
        if unknown:
            rows = con.execute(
                "SELECT file_name, num_rows FROM parquet_file_metadata(?)", [unknown]
            ).fetchall()
            with self._lock:
                for name, count in rows:
                    self._known[name] = (*stats[name], int(count))
        counts: Hourly = {}
        with self._lock:
            for name in stats:
                hour = partition_hour(Path(name))
                if hour is not None and name in self._known:
                    counts[hour] = counts.get(hour, 0) + self._known[name][2]
        return counts


def _hour(year: int, month: int, day: int, hour: int) -> int:
    return int(dt.datetime(year, month, day, hour, tzinfo=dt.UTC).timestamp())


def _hour_of(event: dict[str, Any]) -> int:
    return int(event_time(event).replace(minute=0, second=0, microsecond=0).timestamp())


def _read(files: list[str]) -> str:
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listed}], hive_partitioning = true, union_by_name = true)"


def hourly_counts(
    con: duckdb.DuckDBPyConnection, files: list[str], start: int, end: int, by: str
) -> dict[str, Hourly]:
    """Rows per hour partition in [start, end), grouped by the values of column `by`."""
    if not files:
        return {}
    key = f"coalesce(CAST({by} AS VARCHAR), 'unknown')"
    rows = con.execute(
        f"SELECT {key}, CAST(year AS INTEGER), CAST(month AS INTEGER), CAST(day AS INTEGER), "
        f"CAST(hour AS INTEGER), count(*) FROM {_read(files)} GROUP BY ALL"
    ).fetchall()
    counts: dict[str, Hourly] = defaultdict(dict)
    for name, year, month, day, hour, count in rows:
        at = _hour(year, month, day, hour)
        if start <= at < end:
            counts[name][at] = counts[name].get(at, 0) + count
    return dict(counts)


def latest_invalid_events(
    con: duckdb.DuckDBPyConnection, files: list[str], limit: int, stream: str | None
) -> list[InvalidEvent]:
    if not files:
        return []
    where = "WHERE errored_stream_name = ?" if stream else ""
    rows = con.execute(
        f"SELECT coalesce(meta.dt, dt), errored_stream_name, message, raw_event "
        f"FROM {_read(files)} {where} ORDER BY coalesce(meta.dt, dt) DESC LIMIT {int(limit)}",
        [stream] if stream else [],
    ).fetchall()
    return [InvalidEvent(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]


def _add(counts: dict[str, Hourly], name: str, at: int) -> None:
    hours = counts.setdefault(name, {})
    hours[at] = hours.get(at, 0) + 1


def stream_activity(
    project: Project,
    now: dt.datetime,
    hours: int = DEFAULT_HOURS,
    stream: str | None = None,
    limit: int = LATEST_INVALID,
    row_counts: RowCounts | None = None,
) -> StreamActivity:
    """Accepted and invalid events per stream and hour over the `hours` up to `now`
    (the current hour included), and the newest `limit` invalid events of that window (of
    `stream` only, when given). Only the window's hour partitions are read; accepted events
    are counted from the files' footers (kept in `row_counts` between calls)."""
    end = _hour_of({"dt": now.astimezone(dt.UTC).isoformat()}) + HOUR
    activity = StreamActivity(start=end - hours * HOUR, end=end)
    error_stream = project.settings.intake.error_stream
    names = [info.name for info in stream_infos(project) if not info.pattern]
    if stream is not None:
        names = [stream]
    log = read_log(project.store_root)
    window = (activity.start, activity.end)
    con = duckdb.connect(":memory:")
    try:
        for name in names:
            if name == error_stream:
                continue
            files = parquet_files(project.store_root, table_for_stream(name), log.segments, *window)
            counted = (row_counts or RowCounts()).hourly(con, files)
            if counted:
                activity.accepted[name] = counted
        error_files = parquet_files(
            project.store_root, table_for_stream(error_stream), log.segments, *window
        )
        invalid = hourly_counts(
            con, error_files, activity.start, activity.end, by="errored_stream_name"
        )
        activity.invalid = {k: v for k, v in invalid.items() if stream in (None, k)}
        latest = latest_invalid_events(con, error_files, limit, stream)
    finally:
        con.close()
    wanted = set(names)
    logged_invalid = []
    for name, event in log.events:
        at = _hour_of(event)
        if not activity.start <= at < activity.end:
            continue
        if name == error_stream:
            errored = str(event.get("errored_stream_name", "unknown"))
            if stream not in (None, errored):
                continue
            _add(activity.invalid, errored, at)
            meta = event.get("meta") or {}
            logged_invalid.append(
                InvalidEvent(
                    str(meta.get("dt") or event.get("dt") or ""),
                    errored,
                    str(event.get("message", "")),
                    str(event.get("raw_event", "")),
                )
            )
        elif name in wanted:
            _add(activity.accepted, name, at)
        else:
            continue
        activity.in_log += 1
    activity.latest_invalid = sorted(latest + logged_invalid, key=lambda e: e.dt, reverse=True)[
        :limit
    ]
    return activity


def _hours(request: Request) -> int:
    raw = request.query_params.get("hours", "")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_HOURS else DEFAULT_HOURS


def routes(ui: UI) -> list[BaseRoute]:
    project = ui.project
    row_counts = RowCounts()

    def context(request: Request, stream: str | None) -> dict[str, Any]:
        hours = _hours(request)
        now = dt.datetime.now(dt.UTC)
        infos = stream_infos(project)
        activity = stream_activity(project, now, hours, stream, row_counts=row_counts)
        exact = [
            i.name
            for i in infos
            if not i.pattern and i.name != project.settings.intake.error_stream
        ]
        accepted_names = [stream] if stream else sorted(set(exact) | set(activity.accepted))
        invalid_names = sorted(activity.invalid)
        return {
            "infos": infos,
            "activity": activity,
            "hours": hours,
            "now": now,
            "flush_interval": project.settings.events.flush_interval,
            "error_stream": project.settings.intake.error_stream,
            "accepted_series": activity.series(activity.accepted, accepted_names),
            "invalid_series": activity.series(activity.invalid, invalid_names),
        }

    def index(request: Request) -> Response:
        try:
            found = context(request, None)
        except (TallyflowError, duckdb.Error, OSError) as error:
            return ui.page(
                request,
                "missing.html",
                title="Streams",
                section="streams",
                status_code=500,
                message=str(error),
                back=("/", "the dashboards"),
            )
        return ui.page(request, "streams/index.html", title="Streams", section="streams", **found)

    def one(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            found = context(request, name)
        except (TallyflowError, duckdb.Error, OSError) as error:
            return ui.page(
                request,
                "missing.html",
                title=name,
                section="streams",
                status_code=500,
                message=str(error),
                back=("/streams", "every stream"),
            )
        info = next((i for i in found["infos"] if i.name == name), None)
        activity: StreamActivity = found["activity"]
        if info is None and not activity.accepted and not activity.invalid:
            return ui.page(
                request,
                "missing.html",
                title="No such stream",
                section="streams",
                status_code=404,
                message=f"{name!r} is not in streams.yaml and no event of it is stored.",
                back=("/streams", "every stream"),
            )
        return ui.page(
            request,
            "streams/stream.html",
            title=name,
            section="streams",
            name=name,
            info=info,
            **found,
        )

    return [
        Route("/streams", index, name="streams"),
        Route("/streams/{name}", one, name="stream"),
    ]
