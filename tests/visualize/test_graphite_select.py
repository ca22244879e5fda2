"""Naming, ordering and picking series; constantLine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite import render
from tests.visualize.graphite_data import NOW, evaluate, minutes_ago, write

DATA = {
    "s.host2.cpu": minutes_ago(5, 0),
    "s.host10.cpu": minutes_ago(2, 9),
    "s.host1.cpu": minutes_ago(3, 3),
    "s.empty.cpu": {NOW - 3600: 1.0},
}


def names(tmp_path: Path, target: str) -> list[str]:
    return [name for name, _ in evaluate(tmp_path, DATA, target, minutes=2)]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("alias(s.host1.cpu, 'CPU one')", ["CPU one"]),
        ("aliasByNode(s.host1.cpu, 1)", ["host1"]),
        ("aliasByNode(s.host1.cpu, 1, -1)", ["host1.cpu"]),
        ("aliasByNode(s.host1.cpu, 7)", [""]),
        ("aliasByNode(divideSeries(s.host1.cpu, s.host2.cpu), 1)", ["host1"]),
        ("aliasByNode(scale(sumSeries(s.host1.cpu), 2), 0, 2)", ["s.cpu"]),
        ("aliasSub(s.host1.cpu, 's\\.(\\w+)\\.cpu', 'cpu of \\1')", ["cpu of host1"]),
        ("aliasByMetric(scale(s.host1.cpu, 2))", ["cpu"]),
        ("sortByName(s.*.cpu)", ["s.empty.cpu", "s.host1.cpu", "s.host10.cpu", "s.host2.cpu"]),
        (
            "sortByName(s.*.cpu, true, true)",
            ["s.host10.cpu", "s.host2.cpu", "s.host1.cpu", "s.empty.cpu"],
        ),
        (
            "sortBy(s.*.cpu, 'max', true)",
            ["s.host10.cpu", "s.host2.cpu", "s.host1.cpu", "s.empty.cpu"],
        ),
        ("highestAverage(s.*.cpu, 2)", ["s.host10.cpu", "s.host1.cpu"]),
        ("highestMax(s.*.cpu, 1)", ["s.host10.cpu"]),
        ("highestCurrent(s.*.cpu, 2)", ["s.host10.cpu", "s.host1.cpu"]),
        ("highest(s.*.cpu, 1, 'min')", ["s.host1.cpu"]),
        ("lowestAverage(s.*.cpu, 2)", ["s.empty.cpu", "s.host2.cpu"]),
        ("lowest(s.host*.cpu, 1, 'max')", ["s.host1.cpu"]),
        ("limit(s.*.cpu, 2)", ["s.empty.cpu", "s.host1.cpu"]),
        ("exclude(s.*.cpu, 'host1')", ["s.empty.cpu", "s.host2.cpu"]),
        ("grep(s.*.cpu, 'host1')", ["s.host1.cpu", "s.host10.cpu"]),
        ("removeEmptySeries(s.*.cpu)", ["s.host1.cpu", "s.host10.cpu", "s.host2.cpu"]),
    ],
)
def test_names_order_and_choice(tmp_path: Path, target: str, expected: list[str]) -> None:
    assert names(tmp_path, target) == expected


def test_an_alias_keeps_the_expression_an_aggregate_names(tmp_path: Path) -> None:
    assert names(tmp_path, "sumSeries(alias(s.host1.cpu, 'x'), s.host2.cpu)") == [
        "sumSeries(s.host1.cpu,s.host2.cpu)"
    ]


def test_a_bad_regular_expression_is_a_query_error(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=r"grep: bad regular expression '\('"):
        names(tmp_path, "grep(s.*.cpu, '(')")


def test_constant_line_spans_the_range(tmp_path: Path) -> None:
    [line] = render(write(tmp_path, DATA), ["constantLine(100)"], NOW - 3600, NOW, now=NOW)
    assert (line.name, line.start, line.step, line.values) == (
        "100.0",
        NOW - 3600,
        1800,
        (100, 100, 100),
    )
