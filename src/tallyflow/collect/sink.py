"""Where the intake hands accepted events: the `EventSink` protocol.

Durability contract: the awaitable that `sink.write(events)` returns completes only once the
events are durable (fsynced); the intake answers the request after that. `write` may be a
coroutine function or return a future (the event store returns its write-ahead log's future,
which saves a task per request). The event store
(`tallyflow.store.events.EventStore`, write-ahead log with group commits) implements it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, runtime_checkable

from tallyflow.records import AcceptedEvent


@runtime_checkable
class EventSink(Protocol):
    """Takes accepted events; `write` returns once they are durable.

    A sink may also have `start()` and `close()` (plain or async); the intake calls them when
    it starts and when it shuts down (close must flush)."""

    def write(self, events: Sequence[AcceptedEvent]) -> Awaitable[None]: ...


@runtime_checkable
class CallbackSink(EventSink, Protocol):
    """A sink that can also call back once events are durable, without a future per write
    (the event store does: one event-loop callback per group commit answers every request in
    it)."""

    def write_then(
        self, events: Sequence[AcceptedEvent], done: Callable[[BaseException | None], None]
    ) -> None:
        """Call `done(None)` once `events` are durable, or `done(error)` when they cannot be
        made durable; `done` runs on the event loop's thread."""
