"""Small records that cross stages. They hold data, no logic. Those built for every event are
not frozen: a frozen dataclass costs about three times as much to build."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)  # not frozen: built per event on the intake's hot path (3x cheaper)
class AcceptedEvent:
    """An event that passed validation, on its way to the event store.

    `event` has schema defaults applied and `meta.dt` set; the store partitions by `meta.dt`.
    """

    stream: str
    schema_uri: str
    event: dict[str, Any]
    json: bytes = b""
    """The event serialised by orjson, when the intake already did (saves doing it twice)."""


@dataclass(slots=True)  # not frozen, as AcceptedEvent
class EventOutcome:
    """What happened to one event at intake: `success`, `invalid` or `error`."""

    status: str
    event: Any
    context: dict[str, Any] | None = None
    stream: str | None = None


@dataclass(slots=True)
class IngestReceipt:
    """Counts per stream of one intake request or one `events load` run."""

    accepted: dict[str, int] = field(default_factory=dict)
    invalid: dict[str, int] = field(default_factory=dict)
    error: dict[str, int] = field(default_factory=dict)

    def count(self, status: str, stream: str | None) -> None:
        bucket = {"success": self.accepted, "invalid": self.invalid, "error": self.error}[status]
        key = stream or "(unknown)"
        bucket[key] = bucket.get(key, 0) + 1

    @property
    def total_accepted(self) -> int:
        return sum(self.accepted.values())

    @property
    def total_failed(self) -> int:
        return sum(self.invalid.values()) + sum(self.error.values())


@dataclass(frozen=True, slots=True)
class MetricPoint:
    """One value of one Graphite-style metric at one time (epoch seconds)."""

    path: str
    value: float
    timestamp: int
    tags: tuple[tuple[str, str], ...] = ()
