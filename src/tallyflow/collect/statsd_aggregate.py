"""StatsD state between flushes (collect stage): raw packets in, a `Snapshot` out at each flush.

Input: lists of UDP payloads (`ingest`). Output: `snapshot()` hands over what was gathered since
the last flush and resets the state the way Etsy statsd 0.9.0 does: counters back to 0, timers
and sets emptied, gauges kept; with the `delete_*` options idle keys are removed instead (gauges
after `gauges_max_ttl` idle flushes). The server's own counters (`<prefix_stats>.bad_lines_seen`,
`.packets_received`, `.metrics_received`) live among the counters and are never deleted.

The caller serialises `ingest` and `snapshot` (the server holds one lock around each).
"""

from __future__ import annotations

import logging
import time
from array import array
from dataclasses import dataclass, field
from typing import Any

from tallyflow.collect.statsd_line import (
    COUNTER,
    GAUGE,
    HISTOGRAM,
    TIMER,
    BadLine,
    Sample,
    parse_line,
)
from tallyflow.project import StatsdSettings

log = logging.getLogger(__name__)

_LINE_CACHE_MAX = 50_000


@dataclass
class Snapshot:
    """What one flush reports. `interval` is in seconds, `timestamp` whole Unix seconds."""

    timestamp: int
    interval: float
    counters: dict[str, float]
    timers: dict[str, array[float]]
    """Timer values as `array('d')`: compact, and pickled as one block between processes."""
    timer_counters: dict[str, float]
    gauges: dict[str, float]
    sets: dict[str, set[str]]
    bad_lines: dict[str, int] = field(default_factory=dict)
    """Bad lines by reason in this interval."""
    histogram_keys: frozenset[str] = frozenset()
    """Timer keys fed by DogStatsD `h`/`d` samples (unitless, unlike `ms`)."""


def _either(value: bool | None, default: bool) -> bool:
    return default if value is None else value


class Aggregator:
    """Etsy statsd's metric state and its reset rules."""

    def __init__(self, settings: StatsdSettings) -> None:
        self.settings = settings
        prefix = settings.prefix_stats
        self.bad_lines_key = f"{prefix}.bad_lines_seen"
        self.packets_key = f"{prefix}.packets_received"
        self.metrics_key = f"{prefix}.metrics_received"
        self.lag_key = f"{prefix}.timestamp_lag"
        self.internal = (self.bad_lines_key, self.packets_key, self.metrics_key)
        idle = settings.delete_idle_stats
        self.delete_counters = _either(settings.delete_counters, idle)
        self.delete_timers = _either(settings.delete_timers, idle)
        self.delete_gauges = _either(settings.delete_gauges, idle)
        self.delete_sets = _either(settings.delete_sets, idle)
        self.counters: dict[str, float] = dict.fromkeys(self.internal, 0.0)
        self.timers: dict[str, array[float]] = {}
        self.timer_counters: dict[str, float] = {}
        self.gauges: dict[str, float] = {}
        self.gauge_ttl: dict[str, int] = {}
        self.sets: dict[str, set[str]] = {}
        self.histogram_keys: set[str] = set()
        self.bad_lines: dict[str, int] = {}
        self.bad_lines_total: dict[str, int] = {}
        """Bad lines by reason since start (the interval's counts go out with each snapshot)."""
        self.bad_line_samples: dict[str, bytes] = {}
        """One example line per reason for the interval (logged at flush)."""
        self.last_msg_seen = 0.0
        self._last_flush = 0
        self._cache: dict[bytes, tuple[Sample, ...] | BadLine] = {}

    def ingest(self, packets: list[bytes]) -> None:
        """Count and apply every line of every packet; bad lines are counted, never raised."""
        counters = self.counters
        cache = self._cache
        lines = 0
        for packet in packets:
            for line in packet.split(b"\n") if b"\n" in packet else (packet,):
                if not line:
                    continue
                lines += 1
                parsed = cache.get(line)
                if parsed is None:
                    parsed = parse_line(line)
                    if len(cache) >= _LINE_CACHE_MAX:
                        cache.clear()
                    cache[line] = parsed
                if isinstance(parsed, BadLine):
                    self._bad(parsed)
                    continue
                for kind, key, value, rate, delta in parsed:
                    if kind is COUNTER:
                        counters[key] = counters.get(key, 0.0) + value / rate
                    elif kind is TIMER:
                        self._timer(key, value, rate)
                    elif kind is GAUGE:
                        self._gauge(key, value, delta)
                    elif kind is HISTOGRAM:
                        self._timer(key, value, rate)
                        self.histogram_keys.add(key)
                    else:
                        self._set(key, value)
        counters[self.packets_key] = counters.get(self.packets_key, 0.0) + len(packets)
        counters[self.metrics_key] = counters.get(self.metrics_key, 0.0) + lines
        self.last_msg_seen = time.time()

    def _timer(self, key: str, value: float, rate: float) -> None:
        values = self.timers.get(key)
        if values is None:
            values = self.timers[key] = array("d")
        values.append(value)
        self.timer_counters[key] = self.timer_counters.get(key, 0.0) + 1 / rate

    def _gauge(self, key: str, value: float, delta: bool) -> None:
        current = self.gauges.get(key)
        # Etsy: a signed value is a delta only when the gauge exists and is non-zero
        self.gauges[key] = current + value if delta and current else value
        self.gauge_ttl[key] = self.settings.gauges_max_ttl

    def _set(self, key: str, value: str) -> None:
        members = self.sets.get(key)
        if members is None:
            members = self.sets[key] = set()
        members.add(value)

    def _bad(self, bad: BadLine) -> None:
        self.counters[self.bad_lines_key] = self.counters.get(self.bad_lines_key, 0.0) + 1
        self.bad_lines[bad.reason] = self.bad_lines.get(bad.reason, 0) + 1
        self.bad_lines_total[bad.reason] = self.bad_lines_total.get(bad.reason, 0) + 1
        self.bad_line_samples.setdefault(bad.reason, bad.line)

    def snapshot(self, timestamp: int | None = None) -> Snapshot:
        """Hand over this interval's data and reset the state (Etsy's flush)."""
        ts = int(time.time()) if timestamp is None else timestamp
        interval = self.settings.flush_interval
        if self._last_flush:
            self.gauges[self.lag_key] = ts - self._last_flush - interval
        self._last_flush = ts
        for reason, line in self.bad_line_samples.items():
            log.warning("bad line (%s): %r", reason, line[:200])
        snap = Snapshot(
            timestamp=ts,
            interval=interval,
            counters=self.counters,
            timers=self.timers,
            timer_counters=self.timer_counters,
            gauges=dict(self.gauges),
            sets=self.sets,
            bad_lines=self.bad_lines,
            histogram_keys=frozenset(self.histogram_keys),
        )
        if self.delete_counters:
            self.counters = dict.fromkeys(self.internal, 0.0)
        else:
            self.counters = dict.fromkeys(snap.counters, 0.0)
        if self.delete_timers:
            self.timers, self.timer_counters = {}, {}
        else:
            self.timers = {key: array("d") for key in snap.timers}
            self.timer_counters = dict.fromkeys(snap.timer_counters, 0.0)
        self.sets = {} if self.delete_sets else {key: set() for key in snap.sets}
        if self.delete_gauges:
            for key in list(self.gauge_ttl):
                self.gauge_ttl[key] -= 1
                if self.gauge_ttl[key] <= 0:
                    del self.gauge_ttl[key]
                    self.gauges.pop(key, None)
        self.bad_lines, self.bad_line_samples = {}, {}
        return snap

    def delete(self, kind: str, names: list[str]) -> list[str]:
        """Admin `del*`: delete keys (`a.*` deletes a folder); returns one message per name."""
        stores: dict[str, dict[str, Any]] = {
            "counters": self.counters,
            "timers": self.timers,
            "gauges": self.gauges,
        }
        store = stores[kind]
        messages = []
        for name in names:
            if name.endswith(".*"):
                folder = name[:-1]
                matched = [key for key in store if key.startswith(folder)]
            else:
                matched = [name] if name in store else []
            if not matched:
                messages.append(f"metric {name} not found")
            for key in matched:
                del store[key]
                if kind == "timers":
                    self.timer_counters.pop(key, None)
                elif kind == "gauges":
                    self.gauge_ttl.pop(key, None)
                messages.append(f"deleted: {key}")
        return messages
