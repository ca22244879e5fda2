"""Combining functions over real whisper files, with graphite-web's names and None rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.errors import QueryError
from tests.visualize.graphite_data import MINUTE, NOW, evaluate, minutes_ago

GAPS = {"a.1": minutes_ago(1, None, None, 4), "a.2": minutes_ago(2, 3, None, None)}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("sumSeries(a.*)", ("sumSeries(a.*)", [3, 3, None, 4])),
        ("sum(a.1, a.2)", ("sumSeries(a.1,a.2)", [3, 3, None, 4])),
        ("averageSeries(a.*)", ("averageSeries(a.*)", [1.5, 3, None, 4])),
        ("maxSeries(a.*)", ("maxSeries(a.*)", [2, 3, None, 4])),
        ("minSeries(a.*)", ("minSeries(a.*)", [1, 3, None, 4])),
        ("diffSeries(a.1, a.2)", ("diffSeries(a.1,a.2)", [-1, 3, None, 4])),
        ("multiplySeries(a.*)", ("multiplySeries(a.*)", [2, None, None, None])),
        ("aggregate(a.*, 'count')", ("countSeries(a.*)", [2, 1, None, 1])),
    ],
)
def test_aggregates_skip_none_unless_all_are_none(
    tmp_path: Path, target: str, expected: tuple[str, list[float | None]]
) -> None:
    assert evaluate(tmp_path, GAPS, target) == [expected]


def test_aggregating_nothing_gives_no_series(tmp_path: Path) -> None:
    assert evaluate(tmp_path, GAPS, "sumSeries(nothing.*)") == []


def test_different_steps_are_consolidated_to_their_least_common_multiple(tmp_path: Path) -> None:
    data = {
        "a.x": minutes_ago(*range(1, 11)),  # one point a minute
        "coarse.y": {NOW - 5 * MINUTE: 100.0, NOW: 200.0},  # one every five minutes
    }
    root_series = evaluate(tmp_path, data, "sumSeries(a.x, coarse.y)", minutes=10)
    # a.x averaged in runs of five (3, 8), then added by position, as graphite-web does
    assert root_series == [("sumSeries(a.x,coarse.y)", [103, 208])]


def test_divide_series_by_zero_or_none_is_none(tmp_path: Path) -> None:
    data = {"a.x": minutes_ago(6, 6, None, 6), "b.x": minutes_ago(2, 0, 3, None)}
    assert evaluate(tmp_path, data, "divideSeries(a.x, b.x)") == [
        ("divideSeries(a.x,b.x)", [3, None, None, None])
    ]
    assert evaluate(tmp_path, data, "divideSeries(a.x, none.x)") == [
        ("divideSeries(a.x,MISSING)", [None, None, None, None])
    ]
    with pytest.raises(QueryError, match="exactly one series, got 2"):
        evaluate(tmp_path, data, "divideSeries(a.x, *.x)")


def test_divide_series_lists_pairs_by_position(tmp_path: Path) -> None:
    data = {
        "a.1": minutes_ago(2, 4),
        "a.2": minutes_ago(9, 9),
        "b.1": minutes_ago(1, 2),
        "b.2": minutes_ago(3, 0),
    }
    assert evaluate(tmp_path, data, "divideSeriesLists(a.*, b.*)", minutes=2) == [
        ("divideSeries(a.1,b.1)", [2, 2]),
        ("divideSeries(a.2,b.2)", [3, None]),
    ]
    with pytest.raises(QueryError, match="2 dividends but 1 divisors"):
        evaluate(tmp_path, data, "divideSeriesLists(a.*, b.1)")


def test_as_percent(tmp_path: Path) -> None:
    data = {"a.1": minutes_ago(1, 3, None), "a.2": minutes_ago(3, 1, 2)}
    assert evaluate(tmp_path, data, "asPercent(a.*)", minutes=3) == [
        ("asPercent(a.1,sumSeries(a.*))", [25, 75, None]),
        ("asPercent(a.2,sumSeries(a.*))", [75, 25, 100]),
    ]
    assert evaluate(tmp_path, data, "asPercent(a.1, 4)", minutes=3) == [
        ("asPercent(a.1,4)", [25, 75, None])
    ]
    assert evaluate(tmp_path, data, "asPercent(a.*, sumSeries(a.*))", minutes=3) == [
        ("asPercent(a.1,sumSeries(a.*))", [25, 75, None]),
        ("asPercent(a.2,sumSeries(a.*))", [75, 25, 100]),
    ]
    with pytest.raises(QueryError, match="one series or as many"):
        evaluate(tmp_path, {**data, "a.3": minutes_ago(1)}, "asPercent(a.*, a.{1,2})")


def test_as_percent_by_nodes_matches_groups_and_marks_missing_ones(tmp_path: Path) -> None:
    data = {
        "g.1.used": minutes_ago(1, 2),
        "g.2.used": minutes_ago(3, 3),
        "g.1.total": minutes_ago(4, 4),
        "g.3.total": minutes_ago(5, 5),
    }
    assert evaluate(tmp_path, data, "asPercent(g.*.used, g.*.total, 1)", minutes=2) == [
        ("asPercent(g.1.used,g.1.total)", [25, 50]),
        ("asPercent(g.2.used,MISSING)", [None, None]),
        ("asPercent(MISSING,g.3.total)", [None, None]),
    ]
    assert evaluate(tmp_path, data, "asPercent(g.1.*, None, 1)", minutes=2) == [
        ("asPercent(g.1.total,sumSeries(g.1.*))", [80, pytest.approx(200 / 3)]),
        ("asPercent(g.1.used,sumSeries(g.1.*))", [20, pytest.approx(100 / 3)]),
    ]


GROUPS = {
    "g.1.x": minutes_ago(1, 1),
    "g.1.y": minutes_ago(3, None),
    "g.2.x": minutes_ago(2, 6),
}


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("groupByNodes(g.*.*, 'sum', 1)", [("1", [4, 1]), ("2", [2, 6])]),
        (
            "groupByNodes(g.*.*, 'max', 2, 1)",
            [("x.1", [1, 1]), ("y.1", [3, None]), ("x.2", [2, 6])],
        ),
        ("groupByNodes(g.*.*, 'sumSeries', 2)", [("x", [3, 7]), ("y", [3, None])]),
        ("groupByNode(g.*.*, 2)", [("x", [1.5, 3.5]), ("y", [3, None])]),
        ("groupByNodes(g.*.*, 'sum')", [("", [6, 7])]),
    ],
)
def test_group_by_nodes_names_groups_by_their_joined_nodes(
    tmp_path: Path, target: str, expected: list[tuple[str, list[float | None]]]
) -> None:
    assert evaluate(tmp_path, GROUPS, target, minutes=2) == expected


def test_group_by_nodes_rejects_an_unknown_callback(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="'callback' takes an aggregation or series function"):
        evaluate(tmp_path, GROUPS, "groupByNodes(g.*.*, 'alias', 1)")


def test_group_is_a_plain_union(tmp_path: Path) -> None:
    names = [n for n, _ in evaluate(tmp_path, GROUPS, "group(g.2.x, g.1.*)")]
    assert names == ["g.2.x", "g.1.x", "g.1.y"]
