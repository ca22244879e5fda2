"""graphite-web's format=json shape, with maxDataPoints and noNullPoints."""

from __future__ import annotations

import math

from tallyflow.visualize.graphite import Series, render_json


def series(start: int, step: int, *values: float | None, name: str = "a.b") -> Series:
    return Series(name, start, start + step * len(values), step, values)


def test_render_json_shape() -> None:
    assert render_json([series(600, 60, 1.5, None, 3), series(600, 60, 7, name="b")]) == [
        {
            "target": "a.b",
            "tags": {"name": "a.b"},
            "datapoints": [[1.5, 600], [None, 660], [3, 720]],
        },
        {"target": "b", "tags": {"name": "b"}, "datapoints": [[7, 600]]},
    ]
    assert render_json([]) == []


def test_non_finite_values_become_null() -> None:
    [out] = render_json([series(0, 60, math.nan, math.inf, 1)])
    assert out["datapoints"] == [[None, 0], [None, 60], [1, 120]]


def test_max_data_points_consolidates_in_buckets_aligned_to_their_width() -> None:
    # 12 minutes of points from 02:01 into at most 4 points: 3 a bucket, buckets at 3-minute
    # multiples, so the first two points (02:01, 02:02) are dropped, not shifted
    values = [float(i) for i in range(12)]
    [out] = render_json([series(7260, 60, *values)], max_data_points=4)
    assert out["datapoints"] == [[3, 7380], [6, 7560], [9, 7740], [11, 7920]]
    [one] = render_json([series(7260, 60, 1, None, 5)], max_data_points=1)
    assert one["datapoints"] == [[3, 7260]]
    [unchanged] = render_json([series(7260, 60, 1, 2)], max_data_points=100)
    assert unchanged["datapoints"] == [[1, 7260], [2, 7320]]


def test_no_null_points_drops_empty_points_and_series() -> None:
    out = render_json(
        [series(0, 60, None, 2), series(0, 60, None, name="empty")], no_null_points=True
    )
    assert out == [{"target": "a.b", "tags": {"name": "a.b"}, "datapoints": [[2, 60]]}]
