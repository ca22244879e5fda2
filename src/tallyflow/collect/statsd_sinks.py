"""Where StatsD flushes go (collect -> publish/store): Graphite, the series store, Prometheus.

Input: each flush's `Snapshot` and its Graphite points. Output: the sink's side effect. A sink
never raises into the flusher: failures are logged and counted, and the Graphite sink keeps the
points it could not send in its sender's bounded buffer (dropped points are counted).
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from tallyflow.collect.statsd_aggregate import Snapshot
from tallyflow.errors import PublishTransient, StoreError
from tallyflow.publish.graphite import GraphiteSender, plaintext_line
from tallyflow.publish.prometheus import PrometheusRegistry
from tallyflow.records import MetricPoint
from tallyflow.store.series import SeriesStore

log = logging.getLogger(__name__)


class FlushSink(Protocol):
    name: str

    def publish(self, snap: Snapshot, points: list[MetricPoint]) -> None: ...

    def close(self) -> None: ...


class GraphiteSink:
    """Etsy's graphite backend, over tallyflow's batched sender; keeps Etsy's self-stats."""

    name = "graphite"

    def __init__(self, sender: GraphiteSender) -> None:
        self.sender = sender
        self.last_flush = 0
        self.last_exception = 0
        self.flush_time = 0.0
        self.flush_length = 0

    def self_stats(self) -> dict[str, float]:
        """`graphiteStats.*` values from the previous flush, as Etsy sends them."""
        return {
            "graphiteStats.last_exception": self.last_exception,
            "graphiteStats.last_flush": self.last_flush,
            "graphiteStats.flush_time": self.flush_time,
            "graphiteStats.flush_length": self.flush_length,
            "graphiteStats.dropped_points": self.sender.dropped,
        }

    def publish(self, snap: Snapshot, points: list[MetricPoint]) -> None:
        started = time.perf_counter()
        self.flush_length = sum(len(plaintext_line(point)) for point in points)
        try:
            self.sender.send(points)
            self.last_flush = snap.timestamp
        except PublishTransient as error:
            self.last_exception = snap.timestamp
            log.warning("%s", error)
        self.flush_time = round((time.perf_counter() - started) * 1000)

    def close(self) -> None:
        try:
            self.sender.flush()
        except PublishTransient as error:
            log.warning("at exit, %d points were not sent (%s)", self.sender.pending, error)
        self.sender.close()


class SeriesSink:
    """Writes each flush into the embedded whisper store."""

    name = "series"

    def __init__(self, store: SeriesStore) -> None:
        self.store = store
        self.failures = 0

    def publish(self, snap: Snapshot, points: list[MetricPoint]) -> None:
        try:
            self.store.write(points)
        except StoreError as error:
            self.failures += 1
            log.error("%s", error)

    def close(self) -> None:
        pass


class PrometheusSink:
    name = "prometheus"

    def __init__(self, registry: PrometheusRegistry) -> None:
        self.registry = registry

    def publish(self, snap: Snapshot, points: list[MetricPoint]) -> None:
        self.registry.absorb(snap)

    def close(self) -> None:
        pass
