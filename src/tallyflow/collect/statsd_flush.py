"""StatsD flush computation (collect stage): a `Snapshot` -> Graphite `MetricPoint`s.

Input: one `Snapshot` and the statsd settings. Output: the points Etsy statsd 0.9.0's Graphite
backend would send, with its names: `stats.X` / `stats_counts.X` in the legacy namespace (default),
`<global_prefix>.<prefix_counter>.X.rate|count` otherwise, `stats.timers.X.<stat>`,
`stats.gauges.X`, `stats.sets.X.count`, `statsd.numStats` and the server's own metrics.
DogStatsD tags (kept in keys as `;k=v`) are placed as `settings.graphite_tags` says.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from itertools import repeat
from operator import mul, sub

from tallyflow.collect.statsd_aggregate import Snapshot
from tallyflow.project import StatsdSettings, TimerHistogram
from tallyflow.records import MetricPoint


def percentile_name(pct: float) -> str:
    """Etsy's name of a percentile: first `.` -> `_`, `-` -> `top` (99.5 -> 99_5, -10 -> top10)."""
    text = str(int(pct)) if pct == int(pct) else repr(pct)
    return text.replace(".", "_", 1).replace("-", "top", 1)


def _bin_name(limit: float | str) -> str:
    if isinstance(limit, float) and limit == int(limit):
        limit = int(limit)
    return f"bin_{limit}".replace(".", "_", 1)


def timer_stats(
    values: Sequence[float],
    count: float,
    interval: float,
    percentiles: list[float],
    bins: list[float | str] | None = None,
) -> dict[str, float]:
    """Etsy's timer statistics, in its order; `count` is the rate-corrected sample count."""
    stats: dict[str, float] = {}
    n = len(values)
    if n == 0:
        return {"count": count, "count_ps": count / interval}
    values = sorted(values)  # a list, whatever came in
    squares = list(map(mul, values, values))
    low, high = values[0], values[-1]
    # Sums run left to right over the sorted values, as Etsy's cumulative arrays do, so the
    # results are the same floats.
    for pct in percentiles:
        name = percentile_name(pct)
        inside, boundary, total, total_sq, mean = n, high, low, low * low, low
        if n > 1:
            inside = math.floor(abs(pct) / 100 * n + 0.5)  # JavaScript Math.round
            if inside == 0:
                continue
            part = slice(0, inside) if pct > 0 else slice(n - inside, n)
            boundary = values[inside - 1] if pct > 0 else values[n - inside]
            total, total_sq = sum(values[part]), sum(squares[part])
            mean = total / inside
        stats[f"count_{name}"] = inside
        stats[f"mean_{name}"] = mean
        stats[f"{'upper' if pct > 0 else 'lower'}_{name}"] = boundary
        stats[f"sum_{name}"] = total
        stats[f"sum_squares_{name}"] = total_sq
    total = sum(values)
    mean = total / n
    mid = n // 2
    differences = list(map(sub, values, repeat(mean, n)))
    stats["std"] = math.sqrt(sum(map(mul, differences, differences)) / n)
    stats["upper"] = high
    stats["lower"] = low
    stats["count"] = count
    stats["count_ps"] = count / interval
    stats["sum"] = total
    stats["sum_squares"] = sum(squares)
    stats["mean"] = mean
    stats["median"] = values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2
    if bins:
        i = 0
        for limit in bins:
            frequency = 0
            while i < n and (limit == "inf" or values[i] < float(limit)):
                frequency += 1
                i += 1
            stats[f"histogram.{_bin_name(limit)}"] = frequency
    return stats


def histogram_bins(key: str, histograms: list[TimerHistogram]) -> list[float | str] | None:
    """The bins of the first histogram entry whose `metric` is a substring of `key`."""
    for entry in histograms:
        if entry.metric in key:
            return list(entry.bins) or None
    return None


class GraphiteNames:
    """Etsy's Graphite backend naming for one settings object."""

    def __init__(self, settings: StatsdSettings) -> None:
        self.settings = settings
        legacy = settings.legacy_namespace
        prefix = settings.global_prefix
        self.suffix = f".{settings.global_suffix}" if settings.global_suffix else ""
        self.counter_ns = "stats" if legacy else _join(prefix, settings.prefix_counter)
        self.timer_ns = _join("stats" if legacy else prefix, settings.prefix_timer)
        self.gauge_ns = _join("stats" if legacy else prefix, settings.prefix_gauge)
        self.set_ns = _join("stats" if legacy else prefix, settings.prefix_set)
        self.stats_ns = _join("stats" if legacy else prefix, settings.prefix_stats)
        self.num_stats = (
            f"{settings.prefix_stats}.numStats" if legacy else f"{self.stats_ns}.numStats"
        )

    def path(self, namespace: str, key: str, *stat: str) -> str:
        """`namespace.key.stat` + global suffix, with the key's `;k=v` tags placed as set."""
        base, _, tags = key.partition(";")
        mode = self.settings.graphite_tags
        if tags and mode != "tagged":
            pairs = [tag.partition("=") for tag in tags.split(";")]
            if mode == "values":
                base = ".".join([base, *(value for _, _, value in pairs)])
            elif mode == "key_value":
                base = ".".join([base, *(f"{k}.{v}" for k, _, v in pairs)])
            elif mode == "by_key":
                base = ".".join([base, *(f"by{k[:1].upper()}{k[1:]}.{v}" for k, _, v in pairs)])
            tags = ""
        path = ".".join(part for part in (namespace, base, *stat) if part) + self.suffix
        return f"{path};{tags}" if tags else path


def _join(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def graphite_points(
    snap: Snapshot, settings: StatsdSettings, backend_stats: dict[str, float] | None = None
) -> list[MetricPoint]:
    """Every point of one flush, as Etsy's Graphite backend names them."""
    started = time.perf_counter()
    names = GraphiteNames(settings)
    ts, interval = snap.timestamp, snap.interval
    points: list[MetricPoint] = []
    add = points.append
    legacy = settings.legacy_namespace
    for key, value in snap.counters.items():
        rate = value / interval
        if legacy:
            if settings.flush_counts:
                add(MetricPoint(names.path("stats_counts", key), value, ts))
            add(MetricPoint(names.path(names.counter_ns, key), rate, ts))
        else:
            if settings.flush_counts:
                add(MetricPoint(names.path(names.counter_ns, key, "count"), value, ts))
            add(MetricPoint(names.path(names.counter_ns, key, "rate"), rate, ts))
    for key, count in snap.timer_counters.items():
        stats = timer_stats(
            snap.timers.get(key, ()),
            count,
            interval,
            settings.percentiles,
            histogram_bins(key, settings.histograms),
        )
        for stat, value in stats.items():
            add(MetricPoint(names.path(names.timer_ns, key, stat), value, ts))
    for key, value in snap.gauges.items():
        add(MetricPoint(names.path(names.gauge_ns, key), value, ts))
    for key, members in snap.sets.items():
        add(MetricPoint(names.path(names.set_ns, key, "count"), len(members), ts))
    num_stats = len(snap.counters) + len(snap.timer_counters) + len(snap.gauges) + len(snap.sets)
    add(MetricPoint(names.num_stats + names.suffix, num_stats, ts))
    elapsed_ms = (time.perf_counter() - started) * 1000
    add(
        MetricPoint(f"{names.stats_ns}.graphiteStats.calculationtime{names.suffix}", elapsed_ms, ts)
    )
    for stat, value in (backend_stats or {}).items():
        add(MetricPoint(f"{names.stats_ns}.{stat}{names.suffix}", value, ts))
    return points
