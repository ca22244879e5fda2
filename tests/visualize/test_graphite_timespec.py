"""from/until values and intervals read as graphite-web reads them (in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.timespec import interval_seconds, offset_seconds, parse_time

NOW = int(datetime(2026, 5, 28, 20, 17, tzinfo=UTC).timestamp())


def at(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("", NOW),
        ("-1h", NOW - 3600),
        ("-7d", NOW - 7 * 86400),
        ("now-5min", NOW - 300),
        ("+30s", NOW + 30),
        ("-1h30min", NOW - 5400),
        ("-2w", NOW - 14 * 86400),
        ("-1mon", NOW - 30 * 86400),
        ("-1y", NOW - 365 * 86400),
        ("1700000000", 1_700_000_000),
        ("20260105", at(2026, 1, 5)),
        ("12:30_20260105", at(2026, 1, 5, 12, 30)),
        ("midnight", at(2026, 5, 28)),
        ("noon yesterday", at(2026, 5, 27, 12)),
        ("today", at(2026, 5, 28)),
        ("midnight-1d", at(2026, 5, 27)),
        ("8:00pm", at(2026, 5, 28, 20)),
    ],
)
def test_parse_time(text: str, expected: int) -> None:
    assert parse_time(text, NOW) == expected


@pytest.mark.parametrize("text", ["-1m", "-1x", "soon", "20260230", "-h"])
def test_bad_times_are_query_errors(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_time(text, NOW)
    assert repr(text) in caught.value.message


def test_offsets_and_intervals() -> None:
    assert offset_seconds("-10min") == -600
    assert interval_seconds("1d") == 86400
    assert interval_seconds("-1h") == 3600
    with pytest.raises(QueryError, match="zero"):
        interval_seconds("0s")
