"""Prometheus exposition of StatsD data (publish stage): flush snapshots in, `/metrics` text out.

Input: each flush's `Snapshot`, names and labels from the `Mapper`. Output: the Prometheus text
format 0.0.4 on `GET /metrics`, as statsd_exporter serves it: counters are cumulative (never reset
at a flush; rates come from PromQL `rate()`), gauges hold their last value, timers and DogStatsD
`h`/`d` samples are histograms (`ms` observed in seconds, `h`/`d` unscaled), a set is a gauge of
its distinct values in the last interval. A name already taken by another type is skipped and
counted in `tallyflow_statsd_prometheus_conflicts_total`.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tallyflow.collect.prometheus_mapping import Mapped, Mapper
from tallyflow.collect.statsd_aggregate import Snapshot

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Labels = tuple[tuple[str, str], ...]


@dataclass
class _Histogram:
    buckets: tuple[float, ...]
    counts: list[float]
    total: float = 0.0
    count: float = 0.0


@dataclass
class _Family:
    kind: str  # counter | gauge | histogram
    series: dict[Labels, Any] = field(default_factory=dict)


def format_number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: Labels, extra: tuple[str, str] | None = None) -> str:
    pairs = [*labels, extra] if extra else list(labels)
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


class PrometheusRegistry:
    """Cumulative state behind `/metrics`; `absorb` and `exposition` may run in any thread."""

    def __init__(self, mapper: Mapper) -> None:
        self._mapper = mapper
        self._families: dict[str, _Family] = {}
        self._lock = threading.Lock()
        self.conflicts = {"counter": 0, "gauge": 0, "histogram": 0}
        self.bad_lines: dict[str, int] = {}

    def _series(self, mapped: Mapped, kind: str) -> dict[Labels, Any] | None:
        family = self._families.get(mapped.name)
        if family is None:
            family = self._families[mapped.name] = _Family(kind)
        elif family.kind != kind:
            self.conflicts[kind] += 1
            return None
        return family.series

    def absorb(self, snap: Snapshot) -> None:
        """Add one flush: counters accumulate, gauges are set, observations fill histograms."""
        mapper = self._mapper
        with self._lock:
            for key, value in snap.counters.items():
                mapped = mapper.map(key, "counter")
                series = self._series(mapped, "counter") if mapped else None
                if mapped and series is not None:
                    series[mapped.labels] = series.get(mapped.labels, 0.0) + value
            for key, count in snap.timer_counters.items():
                mapped = mapper.map(key, "observer")
                series = self._series(mapped, "histogram") if mapped else None
                if not mapped or series is None:
                    continue
                scale = 1.0 if key in snap.histogram_keys else 0.001
                self._observe(series, mapped, snap.timers.get(key, ()), count, scale)
            for key, gauge in snap.gauges.items():
                self._set_gauge(key, gauge)
            for key, members in snap.sets.items():
                self._set_gauge(key, float(len(members)))
            for reason, n in snap.bad_lines.items():
                self.bad_lines[reason] = self.bad_lines.get(reason, 0) + n

    def _set_gauge(self, key: str, value: float) -> None:
        mapped = self._mapper.map(key, "gauge")
        series = self._series(mapped, "gauge") if mapped else None
        if mapped and series is not None:
            series[mapped.labels] = value

    @staticmethod
    def _observe(
        series: dict[Labels, Any],
        mapped: Mapped,
        values: Sequence[float],
        count: float,
        scale: float,
    ) -> None:
        histogram = series.get(mapped.labels)
        if histogram is None:
            buckets = tuple(sorted(mapped.buckets or ()))
            histogram = series[mapped.labels] = _Histogram(buckets, [0.0] * len(buckets))
        if not values:
            return
        weight = count / len(values)  # sample rates scale observations, as in statsd_exporter
        buckets, counts = histogram.buckets, histogram.counts
        for value in values:
            index = bisect.bisect_left(buckets, value * scale)
            if index < len(counts):
                counts[index] += weight
        histogram.total += math.fsum(values) * scale * weight
        histogram.count += count

    def exposition(self) -> str:
        """The text format, families sorted by name."""
        out: list[str] = []
        with self._lock:
            for name in sorted(self._families):
                family = self._families[name]
                out.append(f"# HELP {name} StatsD metric {name} (tallyflow).")
                out.append(f"# TYPE {name} {family.kind}")
                for labels, value in sorted(family.series.items()):
                    if family.kind != "histogram":
                        out.append(f"{name}{_labels(labels)} {format_number(value)}")
                        continue
                    cumulative = 0.0
                    for limit, n in zip(value.buckets, value.counts, strict=True):
                        cumulative += n
                        le = ("le", format_number(limit))
                        out.append(
                            f"{name}_bucket{_labels(labels, le)} {format_number(cumulative)}"
                        )
                    inf = ("le", "+Inf")
                    out.append(f"{name}_bucket{_labels(labels, inf)} {format_number(value.count)}")
                    out.append(f"{name}_sum{_labels(labels)} {format_number(value.total)}")
                    out.append(f"{name}_count{_labels(labels)} {format_number(value.count)}")
            self._own_metrics(out)
        return "\n".join(out) + "\n"

    def _own_metrics(self, out: list[str]) -> None:
        name = "tallyflow_statsd_bad_lines_total"
        out.append(f"# HELP {name} StatsD lines refused, by reason.")
        out.append(f"# TYPE {name} counter")
        for reason, n in sorted(self.bad_lines.items()):
            out.append(f'{name}{{reason="{reason}"}} {n}')
        name = "tallyflow_statsd_prometheus_conflicts_total"
        out.append(f"# HELP {name} Samples skipped: their name is taken by another metric type.")
        out.append(f"# TYPE {name} counter")
        for kind, n in sorted(self.conflicts.items()):
            out.append(f'{name}{{type="{kind}"}} {n}')


class PrometheusEndpoint:
    """`GET /metrics` on a background HTTP server thread."""

    def __init__(self, registry: PrometheusRegistry, host: str, port: int) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path.split("?")[0] != "/metrics":
                    self.send_error(404, "only /metrics is served here")
                    return
                body = registry.exposition().encode()
                self.send_response(200)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="prometheus-endpoint", daemon=True
        )

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
