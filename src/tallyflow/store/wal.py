"""The write-ahead log: accepted events are durable here before intake answers.

A log is a directory of segment files `<id>.log`. Each record is
`<u32 length><u32 crc32><payload>` (little-endian), the payload an orjson array
`[stream, schema_uri, event]`. Appends from many requests are gathered into one write and one
`fdatasync` (group commit), in order. The segment a process writes is locked (`flock`); an unlocked
segment found at start-up belongs to a process that died and is replayed. A torn record at the
end of a segment (a crash mid-write, never acknowledged) ends the replay of that segment.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import struct
import threading
import uuid
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from tallyflow.errors import StoreError
from tallyflow.records import AcceptedEvent

log = logging.getLogger(__name__)
_HEADER = struct.Struct("<II")
SUFFIX = ".log"


_prefixes: dict[tuple[str, str], bytes] = {}


def _prefix(stream: str, schema_uri: str) -> bytes:
    """`["<stream>","<schema_uri>",` as orjson writes it (remembered per pair)."""
    key = (stream, schema_uri)
    prefix = _prefixes.get(key)
    if prefix is None:
        prefix = orjson.dumps([stream, schema_uri])[:-1] + b","
        if len(_prefixes) < 10_000:
            _prefixes[key] = prefix
    return prefix


def encode(events: Sequence[AcceptedEvent]) -> bytes:
    """Framed records for `events` (an event's JSON is reused when it was serialised before)."""
    parts = []
    for event in events:
        if event.json:
            payload = b"%s%s]" % (_prefix(event.stream, event.schema_uri), event.json)
        else:
            payload = orjson.dumps([event.stream, event.schema_uri, event.event])
        parts.append(_HEADER.pack(len(payload), zlib.crc32(payload)))
        parts.append(payload)
    return b"".join(parts)


def read_segment(path: Path) -> Iterator[AcceptedEvent]:
    """The records of one segment, up to the first torn or corrupt one."""
    data = path.read_bytes()
    offset = 0
    while offset + _HEADER.size <= len(data):
        length, crc = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        payload = data[start : start + length]
        if len(payload) < length or zlib.crc32(payload) != crc:
            return
        stream, schema_uri, event = orjson.loads(payload)
        yield AcceptedEvent(stream, schema_uri, event)
        offset = start + length


@dataclass
class _Segment:
    path: Path
    fd: int
    size: int = 0


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WriteAheadLog:
    """One process's log segments in `directory`.

    Appends from the event loop are committed on the loop's own thread: every append made
    in one turn of the loop (all the requests read in it) shares one write and one
    `fdatasync`, scheduled with `call_soon` (or `group_commit_ms` later). A writer thread
    would let the loop run during the fsync, but handing the GIL back and forth costs more
    than the wait (see docs/performance.md). A lock keeps rotation (from the flusher thread)
    and appends apart."""

    def __init__(self, directory: Path, group_commit_ms: float = 0.0) -> None:
        self.directory = directory
        self.group_commit = group_commit_ms / 1000
        self._lock = threading.Lock()
        self._pending: list[tuple[bytes, Callable[[BaseException | None], None]]] = []
        self._scheduled = False
        self._segment: _Segment | None = None
        self.appended = 0
        self.fsyncs = 0

    # -- segments -------------------------------------------------------------------------

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._open_segment()

    def _open_segment(self) -> None:
        path = self.directory / f"{uuid.uuid4().hex}{SUFFIX}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fsync_dir(self.directory)
        self._segment = _Segment(path, fd)

    def rotate(self) -> Path | None:
        """Close the current segment (if it holds anything) and start a new one.

        Returns the closed segment, whose records are all durable, for the caller to turn into
        Parquet and then `release`.
        """
        with self._lock:
            segment = self._segment
            if segment is None or segment.size == 0:
                return None
            os.close(segment.fd)
            self._open_segment()
            return segment.path

    def close(self) -> Path | None:
        """Stop writing; returns the last segment if it holds records (else deletes it)."""
        with self._lock:
            segment, self._segment = self._segment, None
            if segment is None:
                return None
            os.close(segment.fd)
            if segment.size == 0:
                segment.path.unlink(missing_ok=True)
                return None
            return segment.path

    @staticmethod
    def release(path: Path) -> None:
        """Delete a segment whose records are safely in Parquet."""
        path.unlink(missing_ok=True)

    # -- appends --------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        with self._lock:
            segment = self._segment
            if segment is None:
                raise StoreError("the write-ahead log is closed")
            view = memoryview(data)
            while view:
                written = os.write(segment.fd, view)
                view = view[written:]
            os.fdatasync(segment.fd)
            segment.size += len(data)
            self.fsyncs += 1

    def append_sync(self, events: Sequence[AcceptedEvent]) -> None:
        """Append and fsync at once (for callers without an event loop)."""
        self._write(encode(events))
        self.appended += len(events)

    def write_then(
        self, events: Sequence[AcceptedEvent], done: Callable[[BaseException | None], None]
    ) -> None:
        """Queue `events` for this turn's group commit (call from the event loop's thread);
        `done(None)` runs once they are fsynced, `done(StoreError)` if they cannot be."""
        if not events:
            done(None)
            return
        self._pending.append((encode(events), done))
        self.appended += len(events)
        if not self._scheduled:
            self._scheduled = True
            loop = asyncio.get_running_loop()
            if self.group_commit:
                loop.call_later(self.group_commit, self._commit)
            else:
                loop.call_soon(self._commit)

    def submit(self, events: Sequence[AcceptedEvent]) -> asyncio.Future[None]:
        """`write_then` as a future."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done(error: BaseException | None) -> None:
            if future.done():
                return
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

        self.write_then(events, done)
        return future

    async def append(self, events: Sequence[AcceptedEvent]) -> None:
        """Append `events`; returns once they are fsynced (group-committed with others)."""
        await self.submit(events)

    def _commit(self) -> None:
        self._scheduled = False
        batch, self._pending = self._pending, []
        failure: StoreError | None = None
        try:
            self._write(b"".join(data for data, _ in batch))
        except Exception as error:  # disk full, closed log: every waiter learns it
            failure = StoreError(f"write-ahead log {self.directory}: {error}")
        for _, done in batch:
            try:
                done(failure)
            except Exception:  # one waiter's bug must not cost the others their answer
                log.exception("a write-ahead log waiter failed")


def orphaned_segments(directory: Path) -> Iterator[tuple[Path, int]]:
    """Segments no live process holds, each with an fd holding its lock (close it after)."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        yield path, fd
