"""Targets are evaluated in order; a wrong call is a QueryError that says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite import render, supported_functions
from tests.visualize.graphite_data import MINUTE, NOW, evaluate, minutes_ago, write

DATA = {"a.x": minutes_ago(1, 2), "a.y": minutes_ago(3, 4)}


def test_targets_come_back_in_order_and_blank_ones_are_skipped(tmp_path: Path) -> None:
    root = write(tmp_path, DATA)
    series = render(root, ["a.y", " ", "a.*"], NOW - 2 * MINUTE, NOW, now=NOW)
    assert [s.name for s in series] == ["a.y", "a.x", "a.y"]
    assert [s.values for s in series] == [(3, 4), (1, 2), (3, 4)]


def test_a_reversed_range_is_swapped_and_an_empty_one_refused(tmp_path: Path) -> None:
    root = write(tmp_path, DATA)
    [forward] = render(root, ["a.x"], NOW - 2 * MINUTE, NOW, now=NOW)
    [backward] = render(root, ["a.x"], NOW, NOW - 2 * MINUTE, now=NOW)
    assert forward == backward
    with pytest.raises(QueryError, match="empty time range"):
        render(root, ["a.x"], NOW, NOW)


def test_keyword_arguments_skip_optional_parameters(tmp_path: Path) -> None:
    assert evaluate(tmp_path, DATA, "summarize(a.x, '2min', alignToFrom=true)", 2) == [
        ('summarize(a.x, "2min", "sum", true)', [3])
    ]
    assert evaluate(tmp_path, DATA, "sortByName(a.*, reverse=true)", 2)[0][0] == "a.y"


def test_an_unknown_function_lists_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(QueryError) as caught:
        evaluate(tmp_path, DATA, "aliasByNode(sumSeriez(a.*), 0)")
    assert caught.value.message == "unknown function 'sumSeriez' (at position 13)"
    assert caught.value.hint is not None
    for name in ("sumSeries", "groupByNodes", "asPercent", "divideSeriesLists", "movingAverage"):
        assert name in caught.value.hint
        assert name in supported_functions()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("scale(a.x, 'two')", "scale: parameter 'factor' takes a number, got 'two'"),
        ("scale(a.x, b.y)", "scale: parameter 'factor' takes a number, got the path 'b.y'"),
        (
            "alias(a.x, sumSeries(a.*))",
            "parameter 'newName' takes a string, got a call of sumSeries()",
        ),
        ("sumSeries('a.x')", "parameter 'seriesLists' takes a series list, got 'a.x'"),
        ("aliasByNode(a.x, 1.5)", "parameter 'nodes' takes a node index, got 1.5"),
        ("limit(a.x, 2, 3)", "limit: too many arguments (3); it takes seriesList, n"),
        ("limit(a.x)", "limit: missing required argument 'n'"),
        ("aliasByNode(a.x)", "aliasByNode: missing required argument 'nodes'"),
        ("limit(a.x, count=2)", "limit: unexpected keyword argument 'count'"),
        ("sortByName(a.x, 'maybe')", "parameter 'natural' takes a boolean, got 'maybe'"),
        ("aggregate(a.x, 'mean')", "parameter 'func' takes an aggregation function, got 'mean'"),
        ("movingAverage(a.x, 'soon')", "takes an integer or interval, got 'soon'"),
        ("3", "target '3' is a value, not a series"),
    ],
)
def test_wrong_arguments_are_named(tmp_path: Path, target: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        evaluate(tmp_path, DATA, target)
    assert message in caught.value.message


def test_arguments_in_graphite_forms_are_converted(tmp_path: Path) -> None:
    assert evaluate(tmp_path, DATA, "scale(a.x, '2')", 2) == [("scale(a.x,2)", [2, 4])]
    assert evaluate(tmp_path, DATA, "sortByName(a.*, 1, 'true')", 2)[0][0] == "a.y"
    assert evaluate(tmp_path, DATA, "keepLastValue(a.x, inf)", 2)[0][1] == [1, 2]


def test_docs_list_every_supported_function() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "dashboards.md").read_text()
    section = docs.split("## Graphite render API", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in supported_functions() if f"`{name}`" not in section]
    assert missing == []
