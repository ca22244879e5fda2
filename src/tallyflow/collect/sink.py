"""Where the intake hands accepted events: the `EventSink` protocol, and `JsonLinesSink`, a
durable append-only JSON-lines file (EventGate's `output_path`, with fsync).

Durability contract: `await sink.write(events)` returns only once the events are on disk
(fsynced); the intake answers the request after that. Writes from concurrent requests are
gathered into one fsync (group commit). The event store (`tallyflow.store.events`) implements
the same protocol with its write-ahead log.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import orjson

from tallyflow.errors import StoreError
from tallyflow.records import AcceptedEvent


@runtime_checkable
class EventSink(Protocol):
    """Takes accepted events; `write` returns once they are durable.

    A sink may also have `start()` and `close()` (plain or async); the intake calls them when
    it starts and when it shuts down (close must flush)."""

    async def write(self, events: Sequence[AcceptedEvent]) -> None: ...


class JsonLinesSink:
    """Appends each event as one JSON line to a file, fsynced in group commits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._pending: list[tuple[bytes, asyncio.Future[None]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    async def write(self, events: Sequence[AcceptedEvent]) -> None:
        if not events:
            return
        if self._fd is None:
            raise StoreError(f"{self.path}: the sink is not started")
        data = b"".join(orjson.dumps(e.event, option=orjson.OPT_APPEND_NEWLINE) for e in events)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((data, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._append, b"".join(data for data, _ in batch))
            except OSError as error:
                failure = StoreError(f"{self.path}: cannot append events: {error}")
                for _, done in batch:
                    if not done.done():
                        done.set_exception(failure)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)

    def _append(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    async def close(self) -> None:
        if self._flusher is not None:
            await self._flusher
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
