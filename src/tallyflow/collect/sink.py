"""Where the intake hands accepted events: the `EventSink` protocol.

Durability contract: `await sink.write(events)` returns only once the events are durable
(fsynced); the intake answers the request after that. The event store
(`tallyflow.store.events.EventStore`, write-ahead log with group commits) implements it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from tallyflow.records import AcceptedEvent


@runtime_checkable
class EventSink(Protocol):
    """Takes accepted events; `write` returns once they are durable.

    A sink may also have `start()` and `close()` (plain or async); the intake calls them when
    it starts and when it shuts down (close must flush)."""

    async def write(self, events: Sequence[AcceptedEvent]) -> None: ...
