"""Flush output: the real Etsy statsd 0.9.0 run of reference §1.6 replayed, names in both
namespaces, the delete_idle family and timer statistics."""

from __future__ import annotations

from typing import Any

import pytest

from tallyflow.collect.statsd_aggregate import Aggregator
from tallyflow.collect.statsd_flush import (
    graphite_points,
    percentile_name,
    timer_stats,
)
from tallyflow.project import StatsdSettings, TimerHistogram

ETSY_PACKETS = [
    b"hits:1|c",
    b"hits:2|c|@0.5",
    b"hits:3|c",
    b"api.latency:100|ms",
    b"api.latency:200|ms",
    b"api.latency:300|ms|@0.1",
    b"render:20|ms\nrender:70|ms\nrender:500|ms",
    b"temp:50|g",
    b"temp:-3|g",
    b"temp:+10|g",
    b"users:alice|s",
    b"users:bob|s",
    b"users:alice|s",
    b"odd:5|h",
    b"bad_no_type:1",
    b"badval:abc|c",
    b"neg:-5|ms",
    b"multi:1|c:2|c",
    b"tagged:1|c|#env:prod,region:eu",
    b"hits:1|c\n\nbad line here\n",
]


def settings(**overrides: Any) -> StatsdSettings:
    return StatsdSettings.model_validate({"flush_interval": 2, **overrides})


def flush(aggregator: Aggregator, ts: int = 1_700_000_000) -> dict[str, float]:
    points = graphite_points(aggregator.snapshot(ts), aggregator.settings)
    return {point.path: point.value for point in points}


@pytest.fixture
def etsy_run() -> Aggregator:
    aggregator = Aggregator(
        settings(
            percentiles=[90, 99],
            histograms=[TimerHistogram(metric="render", bins=[50, 100, "inf"])],
        )
    )
    for packet in ETSY_PACKETS:
        aggregator.ingest([packet])
    return aggregator


def test_first_flush_matches_etsy(etsy_run: Aggregator) -> None:
    out = flush(etsy_run)
    assert out["stats.statsd.bad_lines_seen"] == 2
    assert out["stats_counts.statsd.bad_lines_seen"] == 4
    assert out["stats_counts.statsd.packets_received"] == 20
    assert out["stats_counts.statsd.metrics_received"] == 23
    assert (out["stats.hits"], out["stats_counts.hits"]) == (4.5, 9)
    assert out["stats_counts.multi"] == 3
    assert out["stats_counts.tagged;env=prod;region=eu"] == 1
    latency = {k.removeprefix("stats.timers.api.latency."): v for k, v in out.items() if "api" in k}
    assert latency["count"] == 12 and latency["count_ps"] == 6
    assert latency["mean"] == 200 and latency["median"] == 200
    assert latency["std"] == 81.64965809277261
    assert latency["upper_99"] == 300 and latency["upper_90"] == 300
    assert out["stats.timers.render.mean"] == 196.66666666666666
    assert out["stats.timers.render.median"] == 70
    for limit in ("50", "100", "inf"):
        assert out[f"stats.timers.render.histogram.bin_{limit}"] == 1
    assert out["stats.gauges.temp"] == 57
    assert out["stats.sets.users.count"] == 2
    assert out["statsd.numStats"] == 11
    assert "stats.statsd.graphiteStats.calculationtime" in out
    # deviation: `|h` is an observation (timer), Etsy counts it as a counter
    assert out["stats.timers.odd.sum"] == 5


def test_second_flush_resets_like_etsy(etsy_run: Aggregator) -> None:
    flush(etsy_run, 1_700_000_000)
    out = flush(etsy_run, 1_700_000_002)
    assert out["stats_counts.hits"] == 0 and out["stats.hits"] == 0
    timer = {k for k in out if k.startswith("stats.timers.api.latency.")}
    assert timer == {"stats.timers.api.latency.count", "stats.timers.api.latency.count_ps"}
    assert out["stats.timers.api.latency.count"] == 0
    assert out["stats.gauges.temp"] == 57
    assert out["stats.sets.users.count"] == 0
    assert out["stats.gauges.statsd.timestamp_lag"] == 0
    assert out["statsd.numStats"] == 12


def test_new_namespace_with_prefixes_suffix_and_tags() -> None:
    aggregator = Aggregator(
        settings(legacy_namespace=False, global_suffix="host1", global_prefix="app")
    )
    aggregator.ingest([b"we ird/na+me:1|c", b"tagged2:5|ms|@0.5|#env:dev", b"g:1|g", b"s:a|s"])
    out = flush(aggregator)
    assert out["app.counters.we_ird-name.count.host1"] == 1
    assert out["app.counters.we_ird-name.rate.host1"] == 0.5
    assert out["app.timers.tagged2.count.host1;env=dev"] == 2
    assert out["app.gauges.g.host1"] == 1
    assert out["app.sets.s.count.host1"] == 1
    assert out["app.statsd.numStats.host1"] == 7
    assert out["app.counters.statsd.bad_lines_seen.count.host1"] == 0


def test_legacy_ignores_global_prefix_and_flush_counts_off() -> None:
    aggregator = Aggregator(settings(global_prefix="app", flush_counts=False))
    aggregator.ingest([b"x:4|c"])
    out = flush(aggregator)
    assert out["stats.x"] == 2
    assert not any(path.startswith("stats_counts.") for path in out)


@pytest.mark.parametrize(
    "mode,path",
    [
        ("tagged", "stats_counts.pv;page=home;wiki=en"),
        ("values", "stats_counts.pv.home.en"),
        ("key_value", "stats_counts.pv.page.home.wiki.en"),
        ("by_key", "stats_counts.pv.byPage.home.byWiki.en"),
        ("drop", "stats_counts.pv"),
    ],
)
def test_tags_in_graphite_paths(mode: str, path: str) -> None:
    aggregator = Aggregator(settings(graphite_tags=mode))
    aggregator.ingest([b"pv:1|c|#page:home,wiki:en"])
    assert flush(aggregator)[path] == 1


def test_delete_idle_stats_removes_every_idle_kind_but_internal_counters() -> None:
    aggregator = Aggregator(settings(delete_idle_stats=True))
    aggregator.ingest([b"c:1|c\nt:1|ms\ng:1|g\ns:a|s"])
    first = flush(aggregator, 100)
    assert {"stats.c", "stats.timers.t.count", "stats.gauges.g", "stats.sets.s.count"} <= set(first)
    second = flush(aggregator, 102)
    assert not any(
        key in second for key in ("stats.c", "stats.timers.t.count", "stats.sets.s.count")
    )
    assert "stats.gauges.g" not in second
    assert second["stats_counts.statsd.packets_received"] == 0


def test_delete_override_keeps_one_kind() -> None:
    aggregator = Aggregator(settings(delete_idle_stats=True, delete_counters=False))
    aggregator.ingest([b"c:1|c\ns:a|s"])
    flush(aggregator, 100)
    second = flush(aggregator, 102)
    assert second["stats.c"] == 0 and "stats.sets.s.count" not in second


def test_gauges_max_ttl_keeps_idle_gauge_for_n_flushes() -> None:
    aggregator = Aggregator(settings(delete_gauges=True, gauges_max_ttl=2))
    aggregator.ingest([b"g:3|g"])
    seen = ["stats.gauges.g" in flush(aggregator, 100 + 2 * i) for i in range(3)]
    assert seen == [True, True, False]


def test_gauge_sign_is_a_delta_only_on_an_existing_nonzero_gauge() -> None:
    aggregator = Aggregator(settings())
    aggregator.ingest([b"new:-5|g", b"zero:0|g\nzero:+3|g", b"py:0|g\npy:-5|g", b"d:2|g\nd:-5|g"])
    out = flush(aggregator)
    assert out["stats.gauges.new"] == -5
    assert out["stats.gauges.zero"] == 3
    assert out["stats.gauges.py"] == -5
    assert out["stats.gauges.d"] == -3


def test_timer_percentiles_negative_and_skipped() -> None:
    stats = timer_stats([float(v) for v in range(1, 11)], 10, 1, [50, -20, 1])
    assert stats["upper_50"] == 5 and stats["sum_50"] == 15 and stats["mean_50"] == 3
    assert stats["lower_top20"] == 9 and stats["sum_top20"] == 19 and stats["count_top20"] == 2
    assert "count_1" not in stats  # round(1% of 10) == 0 -> skipped
    assert stats["median"] == 5.5 and stats["sum_squares"] == 385


def test_single_value_timer_fills_every_percentile() -> None:
    stats = timer_stats([7.0], 1, 10, [90])
    assert stats["upper_90"] == stats["mean_90"] == stats["sum_90"] == 7
    assert stats["count_ps"] == 0.1


def test_percentile_names() -> None:
    assert [percentile_name(p) for p in (90, 99.5, -10)] == ["90", "99_5", "top10"]


def test_admin_delete_folder_and_unknown() -> None:
    aggregator = Aggregator(settings())
    aggregator.ingest([b"a.x:1|c\na.y:1|c\nb:1|c"])
    assert sorted(aggregator.delete("counters", ["a.*", "nope"])) == [
        "deleted: a.x",
        "deleted: a.y",
        "metric nope not found",
    ]
    assert "b" in aggregator.counters and "a.x" not in aggregator.counters
