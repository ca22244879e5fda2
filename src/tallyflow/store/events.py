"""The event store: the durable write path (write-ahead log, then Parquet) and the bulk path.

    intake ──append──▶ WriteAheadLog ──(every flush_interval, a background thread)──▶ Parquet
    events load / generate ──write_batch──────────────────────────────────────────▶ Parquet

`write` returns once the events are fsynced in the log, so an acknowledged event survives a
crash; a background thread rotates the log segment every `events.flush_interval` seconds and
turns it into Parquet files (queryable from then on, by any process), then deletes it. At
start-up, segments left by a process that died are turned into Parquet first; their file names
derive from the segment, so replaying one twice writes the same files: every acknowledged event
ends up in the store exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from tallyflow.errors import StoreError, TallyflowError
from tallyflow.project import EventStoreSettings
from tallyflow.records import AcceptedEvent
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.compact import compact, finish_interrupted
from tallyflow.store.layout import table_for_stream
from tallyflow.store.refine import Shaper
from tallyflow.store.wal import WriteAheadLog, orphaned_segments, read_segment
from tallyflow.store.writer import WriteReceipt, write_events, write_table

log = logging.getLogger(__name__)


class EventStore:
    """Writes accepted events into `<root>/events/...`; see the module docstring."""

    def __init__(
        self,
        root: Path,
        schemas: SchemaRepository,
        settings: EventStoreSettings | None = None,
        *,
        converts: bool = True,
    ) -> None:
        """`converts=False`: this process only writes and rotates the log; another process
        (`store.converter`) turns closed segments into Parquet."""
        self.root = root
        self.converts = converts
        self.schemas = schemas
        self.settings = settings or EventStoreSettings()
        self._shapers: dict[str, Shaper] = {}
        self._shaper_lock = threading.Lock()
        self._wal: WriteAheadLog | None = None
        self._stop = threading.Event()
        self._flusher: threading.Thread | None = None
        self._flush_lock = threading.Lock()
        self.written = WriteReceipt()
        self.flush_errors = 0

    @property
    def wal_dir(self) -> Path:
        return self.root / "wal"

    def shaper(self, schema_uri: str) -> Shaper:
        shaper = self._shapers.get(schema_uri)
        if shaper is None:
            with self._shaper_lock:
                shaper = self._shapers.get(schema_uri)
                if shaper is None:
                    shaper = Shaper(self.schemas.resolved(schema_uri))
                    self._shapers[schema_uri] = shaper
        return shaper

    # -- durable path ---------------------------------------------------------------------

    def start(self) -> None:
        """Replay what a dead process left, open a log segment, start the flusher."""
        if self.converts:
            finish_interrupted(self.root)
            self.recover()
        self._wal = WriteAheadLog(self.wal_dir, self.settings.group_commit_ms)
        self._wal.open()
        self._stop.clear()
        self._flusher = threading.Thread(target=self._flush_loop, name="flusher", daemon=True)
        self._flusher.start()

    def write(self, events: Sequence[AcceptedEvent]) -> asyncio.Future[None]:
        """A future that resolves once `events` are durable in the write-ahead log (call from
        the event loop's thread)."""
        if self._wal is None:
            raise StoreError("the event store is not started")
        return self._wal.submit(events)

    def write_then(
        self, events: Sequence[AcceptedEvent], done: Callable[[BaseException | None], None]
    ) -> None:
        """Call `done` once `events` are durable in the write-ahead log (see
        `WriteAheadLog.write_then`)."""
        if self._wal is None:
            raise StoreError("the event store is not started")
        self._wal.write_then(events, done)

    def write_sync(self, events: Sequence[AcceptedEvent]) -> None:
        """`write` for callers without an event loop."""
        if self._wal is None:
            raise StoreError("the event store is not started")
        self._wal.append_sync(events)

    def flush(self) -> WriteReceipt:
        """Turn everything logged so far into Parquet now."""
        if self._wal is None:
            return WriteReceipt()
        with self._flush_lock:
            segment = self._wal.rotate()
            if segment is None or not self.converts:
                return WriteReceipt()
            return self._flush_segment(segment)

    def close(self) -> None:
        """Stop the flusher and turn the rest of the log into Parquet."""
        self._stop.set()
        if self._flusher is not None:
            self._flusher.join()
            self._flusher = None
        if self._wal is not None:
            wal, self._wal = self._wal, None
            with self._flush_lock:
                last = wal.close()
                if last is not None and self.converts:
                    self._flush_segment(last)

    def recover(self) -> WriteReceipt:
        """Turn segments left by dead processes into Parquet."""
        receipt = WriteReceipt()
        for path, fd in orphaned_segments(self.wal_dir):
            try:
                receipt.add(self._flush_segment(path))
            finally:
                os.close(fd)
        return receipt

    def _flush_segment(self, segment: Path) -> WriteReceipt:
        receipt = write_events(self.root, read_segment(segment), self.shaper, segment.stem)
        WriteAheadLog.release(segment)
        self.written.add(receipt)
        return receipt

    def _flush_loop(self) -> None:
        interval = self.settings.compact_interval
        next_compaction = time.monotonic() + interval
        while not self._stop.wait(self.settings.flush_interval):
            try:
                self.flush()
            except (TallyflowError, OSError) as error:
                # The segment stays on disk and is retried; nothing acknowledged is lost.
                self.flush_errors += 1
                log.error("flushing the event log failed (will retry): %s", error)
            if self.converts and interval and time.monotonic() >= next_compaction:
                next_compaction = time.monotonic() + interval
                try:
                    compact(self.root, datetime.now(UTC))
                except (TallyflowError, OSError, pa.ArrowException) as error:
                    log.error("compacting the event store failed (will retry): %s", error)

    # -- bulk path ------------------------------------------------------------------------

    def write_batch(self, events: Iterable[AcceptedEvent]) -> WriteReceipt:
        """Write straight to Parquet (no log): for loads and generated traffic."""
        receipt = write_events(self.root, events, self.shaper, uuid.uuid4().hex)
        self.written.add(receipt)
        return receipt

    def write_columns(self, stream: str, schema_uri: str, data: pa.Table) -> WriteReceipt:
        """Columnar bulk path: `data` holds events of one stream and schema version as columns
        named like the event's fields (`$schema`, `meta` struct with `dt`, ...). Top-level names
        are normalized, `useragent` is derived, types are aligned with the schema's table."""
        shaper = self.shaper(schema_uri)
        receipt = write_table(
            self.root, table_for_stream(stream), shaper.refine_columns(data), uuid.uuid4().hex
        )
        self.written.add(receipt)
        return receipt
