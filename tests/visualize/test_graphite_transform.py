"""Per-series transforms over real whisper files, named as graphite-web names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite import render
from tests.visualize.graphite_data import MINUTE, NOW, evaluate, minutes_ago, write

GAPPY = {
    "a.x": minutes_ago(1, None, -2),
    "a.g": minutes_ago(1, None, None, 4, None),
    "a.r": minutes_ago(None, 5, None, None, 5),
    "a.c": minutes_ago(1, 3, None, 6, 2, 5),
}


@pytest.mark.parametrize(
    ("target", "minutes", "expected"),
    [
        ("scale(a.x, 2.5)", 3, ("scale(a.x,2.5)", [2.5, None, -5])),
        ("offset(a.x, -1)", 3, ("offset(a.x,-1)", [0, None, -3])),
        ("absolute(a.x)", 3, ("absolute(a.x)", [1, None, 2])),
        ("keepLastValue(a.g)", 5, ("keepLastValue(a.g)", [1, 1, 1, 4, 4])),
        ("keepLastValue(a.g, 1)", 5, ("keepLastValue(a.g)", [1, None, None, 4, 4])),
        ("transformNull(a.g)", 5, ("transformNull(a.g,0)", [1, 0, 0, 4, 0])),
        (
            "transformNull(a.g, -1, a.r)",
            5,
            ("transformNull(a.g,-1,referenceSeries)", [1, -1, None, 4, -1]),
        ),
        ("integral(a.g)", 5, ("integral(a.g)", [1, None, None, 5, None])),
        ("derivative(a.c)", 6, ("derivative(a.c)", [None, 2, None, None, -4, 3])),
        (
            "nonNegativeDerivative(a.c)",
            6,
            ("nonNegativeDerivative(a.c)", [None, 2, None, None, None, 3]),
        ),
        (
            "nonNegativeDerivative(a.c, 10)",
            6,
            ("nonNegativeDerivative(a.c)", [None, 2, None, None, 7, 3]),
        ),
        ("perSecond(a.c)", 6, ("perSecond(a.c)", [None, 0.033333, None, None, None, 0.05])),
    ],
)
def test_transforms(
    tmp_path: Path, target: str, minutes: int, expected: tuple[str, list[float | None]]
) -> None:
    assert evaluate(tmp_path, GAPPY, target, minutes) == [expected]


TEN = {"a.x": minutes_ago(*range(1, 11)), "coarse.y": {NOW - 5 * MINUTE: 100.0, NOW: 200.0}}


def test_summarize_buckets_align_to_the_interval_or_to_from(tmp_path: Path) -> None:
    root = write(tmp_path, TEN)
    start = NOW - 10 * MINUTE
    [aligned] = render(root, ["summarize(a.x, '5min')"], start, NOW, now=NOW)
    assert aligned.name == 'summarize(a.x, "5min", "sum")'
    assert (aligned.start, aligned.step, aligned.values) == (NOW - 600, 300, (10, 35, 10))
    [from_start] = render(root, ["summarize(a.x, '5min', 'max', true)"], start, NOW, now=NOW)
    assert from_start.name == 'summarize(a.x, "5min", "max", true)'
    assert (from_start.start, from_start.values) == (NOW - 540, (5, 10))


def test_moving_windows_read_points_before_the_range(tmp_path: Path) -> None:
    root = write(tmp_path, TEN)
    start = NOW - 4 * MINUTE
    [points] = render(root, ["movingAverage(a.x, 3)"], start, NOW, now=NOW)
    assert (points.name, points.start, points.values) == (
        "movingAverage(a.x,3)",
        NOW - 3 * MINUTE,
        (6, 7, 8, 9),
    )
    [interval] = render(root, ["movingAverage(a.x, '2min')"], start, NOW, now=NOW)
    assert (interval.name, interval.values) == ('movingAverage(a.x,"2min")', (6.5, 7.5, 8.5, 9.5))
    [summed] = render(root, ["movingSum(a.x, 2)"], start, NOW, now=NOW)
    assert summed.values == (13, 15, 17, 19)
    assert render(root, ["movingMax(nothing, 2)"], start, NOW, now=NOW) == []


def test_consolidate_by_changes_how_finer_series_are_merged(tmp_path: Path) -> None:
    target = "sumSeries(consolidateBy(a.x, 'sum'), coarse.y)"
    assert evaluate(tmp_path, TEN, target, minutes=10) == [
        ('sumSeries(consolidateBy(a.x,"sum"),coarse.y)', [115, 240])
    ]
    with pytest.raises(QueryError, match="unknown consolidation function 'mean'"):
        evaluate(tmp_path, TEN, "consolidateBy(a.x, 'mean')")


def test_a_bad_interval_is_a_query_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="'intervalString' takes an interval, got '5m'"):
        evaluate(tmp_path, TEN, "summarize(a.x, '5m')")
