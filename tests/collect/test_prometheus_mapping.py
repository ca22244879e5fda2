"""statsd_exporter-like mapping rules: glob and regex matches, captures, drop, tags as labels."""

from __future__ import annotations

import pytest

from tallyflow.collect.prometheus_mapping import Mapped, Mapper, escape_name
from tallyflow.errors import ConfigError
from tallyflow.project import PrometheusSettings

RULES = {
    "buckets": [1, 2],
    "mappings": [
        {
            "match": "shop.*.checkout.*",
            "name": "shop_checkout_total",
            "labels": {"shop": "$1", "outcome": "${2}"},
        },
        {"match": "debug.*", "action": "drop"},
        {"match": "render.time", "name": "render_seconds", "buckets": [0.5, 5]},
        {
            "match": r"req\.(\w+)\.(\d+)",
            "match_type": "regex",
            "name": "req_$1",
            "labels": {"code": "$2"},
        },
        {"match": "typed.*", "match_metric_type": "gauge", "name": "typed_gauge"},
    ],
}


@pytest.fixture
def mapper() -> Mapper:
    return Mapper(PrometheusSettings.model_validate(RULES))


def test_glob_captures_fill_name_and_labels(mapper: Mapper) -> None:
    assert mapper.map("shop.berlin.checkout.success", "counter") == Mapped(
        "shop_checkout_total", (("outcome", "success"), ("shop", "berlin")), (1, 2)
    )


def test_glob_star_is_one_part(mapper: Mapper) -> None:
    assert mapper.map("shop.a.b.checkout.ok", "counter") == Mapped(
        "shop_a_b_checkout_ok", (), (1, 2)
    )


def test_drop_and_per_rule_buckets(mapper: Mapper) -> None:
    assert mapper.map("debug.x", "counter") is None
    assert mapper.map("render.time", "observer") == Mapped("render_seconds", (), (0.5, 5))


def test_regex_rule(mapper: Mapper) -> None:
    assert mapper.map("req.get.404", "counter") == Mapped("req_get", (("code", "404"),), (1, 2))


def test_metric_type_filter(mapper: Mapper) -> None:
    assert mapper.map("typed.x", "gauge").name == "typed_gauge"  # type: ignore[union-attr]
    assert mapper.map("typed.x", "counter").name == "typed_x"  # type: ignore[union-attr]


def test_tags_are_labels_and_rule_labels_win(mapper: Mapper) -> None:
    mapped = mapper.map("shop.b.checkout.ok;shop=tag;env=dev", "counter")
    assert mapped is not None
    assert dict(mapped.labels) == {"env": "dev", "outcome": "ok", "shop": "b"}


def test_escape_name() -> None:
    assert escape_name("api.latency-p99") == "api_latency_p99"
    assert escape_name("5xx.count") == "_5xx_count"


def test_rule_without_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"prometheus.mappings\[0\]: `name` is required"):
        Mapper(PrometheusSettings.model_validate({"mappings": [{"match": "a.*"}]}))
