"""Sampling decisions and ids, checked against the values the Wikimedia client tests use."""

from __future__ import annotations

import random

import pytest

from tallyflow.collect import sampling
from tallyflow.collect.streams import StreamConfig


def config(**sample: object) -> StreamConfig:
    return StreamConfig.model_validate({"sample": sample})


@pytest.mark.parametrize(
    ("token", "rate", "expected"),
    [
        ("7fffffff" + "0" * 12, 0.5, True),  # 0.49999999988
        ("80000000" + "0" * 12, 0.5, False),  # 0.50000000012
        ("0" * 20, 0.0001, True),
        ("ffffffff" + "0" * 12, 1.0, False),  # 1.0 is not < 1
        ("fffffffe" + "0" * 12, 1.0, True),
    ],
)
def test_session_unit_compares_first_32_bits_with_rate(
    token: str, rate: float, expected: bool
) -> None:
    assert sampling.in_sample(config(rate=rate, unit="session"), token, "0" * 20) is expected


def test_pageview_unit_uses_the_pageview_id_not_the_session_id() -> None:
    in_id, out_id = "00000000" + "0" * 12, "ffffffff" + "f" * 12
    assert sampling.in_sample(config(rate=0.5, unit="pageview"), out_id, in_id)
    assert not sampling.in_sample(config(rate=0.5, unit="pageview"), in_id, out_id)


@pytest.mark.parametrize(
    "raw",
    [
        None,  # unconfigured stream
        {"sample": {"rate": 0, "unit": "session"}},
        {"sample": {"rate": 0.5, "unit": "coelacanth"}},
        {"sample": {"rate": 0.5}},
        {"sample": {"rate": 5, "unit": "session"}},
        {"sample": {"rate": -5, "unit": "session"}},
        {"sample": {"unit": "session"}},
        {"sample": {}},
        {"sample": {"rate": 1, "unit": "device"}},
    ],
)
def test_out_of_sample_edge_cases_of_the_client(raw: dict[str, object] | None) -> None:
    assert not sampling.in_sample(raw, "0" * 20, "0" * 20)


@pytest.mark.parametrize("raw", [{}, {"some": "value"}])
def test_no_sample_key_is_in_sample(raw: dict[str, object]) -> None:
    assert sampling.in_sample(raw, "ffffffff" + "f" * 12, "ffffffff" + "f" * 12)


def test_typed_stream_config_edge_cases() -> None:
    assert sampling.in_sample(StreamConfig(), "f" * 20, "f" * 20)
    assert not sampling.in_sample(config(rate=0, unit="session"), "0" * 20, "0" * 20)
    assert not sampling.in_sample(config(rate=1, unit="device"), "0" * 20, "0" * 20)


def test_decision_is_stable_and_varies_across_ids() -> None:
    rng = random.Random(3)
    stream = config(rate=0.5, unit="session")
    ids = [sampling.generate_id(rng) for _ in range(20)]
    first = [sampling.in_sample(stream, i, i) for i in ids]
    assert all([sampling.in_sample(stream, i, i) for i in ids] == first for _ in range(5))
    assert 0 < sum(first) < 20


def test_random_token_match_values_from_client_tests() -> None:
    session = format(1000000000, "x")  # 3b9aca00
    assert sampling.session_in_sample(1, session)
    assert not sampling.session_in_sample(7, session)  # 1000000000 % 7 == 6
    assert sampling.random_token_match(10, "f4240")  # 1000000
    assert not sampling.random_token_match(10, "f4241")
    assert not sampling.pageview_in_sample(0, sampling.generate_id())
    assert sampling.pageview_in_sample(1, sampling.generate_id())
    assert not sampling.random_token_match(3, "zz")  # parseInt -> NaN
    assert sampling.population_size(0.01) == 100


def test_generated_ids_are_80_bit_lowercase_hex_and_normalize_into_unit_interval() -> None:
    rng = random.Random(1)
    ids = [sampling.generate_id(rng) for _ in range(200)]
    assert all(sampling.ID_PATTERN.match(i) for i in ids)
    assert len(set(ids)) == 200
    assert all(0 <= sampling.normalize_id(i) <= 1 for i in ids)
    assert sampling.normalize_id("ffffffff") == 1.0
    assert sampling.normalize_id("00000000") == 0.0


@pytest.mark.parametrize(
    ("count", "bucket"),
    [
        (None, None),
        (0, "0 edits"),
        (3, "1-4 edits"),
        (4, "1-4 edits"),
        (5, "5-99 edits"),
        (99, "5-99 edits"),
        (100, "100-999 edits"),
        (999, "100-999 edits"),
        (1000, "1000+ edits"),
        (99999, "1000+ edits"),
    ],
)
def test_edit_count_buckets(count: int | None, bucket: str | None) -> None:
    assert sampling.edit_count_bucket(count) == bucket


def test_legacy_stream_name() -> None:
    assert sampling.legacy_stream_name("MySchema") == "eventlogging_MySchema"
