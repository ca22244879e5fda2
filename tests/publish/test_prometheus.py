"""The Prometheus registry: cumulative counters, gauges, histograms in the text format."""

from __future__ import annotations

from tallyflow.collect.prometheus_mapping import Mapper
from tallyflow.collect.statsd_aggregate import Aggregator
from tallyflow.project import PrometheusSettings, StatsdSettings
from tallyflow.publish.prometheus import PrometheusRegistry


def registry_after(*intervals: list[bytes]) -> str:
    aggregator = Aggregator(StatsdSettings())
    registry = PrometheusRegistry(Mapper(PrometheusSettings(buckets=[0.1, 1])))
    for ts, packets in enumerate(intervals):
        aggregator.ingest(packets)
        registry.absorb(aggregator.snapshot(1000 + ts * 10))
    return registry.exposition()


def test_counters_accumulate_across_flushes() -> None:
    text = registry_after([b"pv:1|c|#page:home", b"pv:2|c|@0.5|#page:home"], [b"pv:1|c|#page:home"])
    assert "# TYPE pv counter" in text
    assert 'pv{page="home"} 6' in text


def test_timer_histogram_in_seconds_with_rate_weight() -> None:
    text = registry_after([b"t:50|ms", b"t:500|ms|@0.5"])
    assert "# TYPE t histogram" in text
    lines = dict(line.rsplit(" ", 1) for line in text.splitlines() if line.startswith("t_"))
    assert lines['t_bucket{le="0.1"}'] == "1.5"  # each value weighs count / values
    assert lines['t_bucket{le="+Inf"}'] == "3"  # 1 + 1/0.5
    assert lines["t_count"] == "3"
    assert float(lines["t_sum"]) == (0.05 + 0.5) * 1.5


def test_gauges_sets_and_conflicts() -> None:
    text = registry_after([b"q:5|g", b"u:a|s\nu:b|s", b"dup:1|c"], [b"dup:1|g", b"u:c|s"])
    assert "q 5" in text.splitlines()
    assert "u 1" in text.splitlines()  # distinct values in the last interval
    assert 'tallyflow_statsd_prometheus_conflicts_total{type="gauge"} 1' in text


def test_label_values_are_escaped() -> None:
    aggregator = Aggregator(StatsdSettings())
    registry = PrometheusRegistry(Mapper(PrometheusSettings()))
    aggregator.counters['x;k=a"b'] = 1
    registry.absorb(aggregator.snapshot(1))
    assert 'x{k="a\\"b"} 1' in registry.exposition()
