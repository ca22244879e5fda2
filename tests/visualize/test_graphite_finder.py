"""Graphite glob patterns over a real whisper tree, as graphite-web's standard finder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.visualize.graphite import expand, expand_json, find, find_json
from tallyflow.visualize.graphite.finder import Node, expand_braces
from tests.visualize.graphite_data import NOW, write


@pytest.fixture
def root(tmp_path: Path) -> Path:
    paths = [
        "a.b.c",
        "a.b.d",
        "a.bb.c",
        "a.x",
        "a.x.y",
        "host-1.cpu",
        "host-2.cpu",
        "host-10.cpu",
    ]
    return write(tmp_path / "store", {p: {NOW: 1.0} for p in paths})


def paths(root: Path, query: str) -> list[tuple[str, bool]]:
    return [(n.path, n.is_leaf) for n in find(root, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("*", [("a", False), ("host-1", False), ("host-10", False), ("host-2", False)]),
        ("a.*", [("a.b", False), ("a.bb", False), ("a.x", False), ("a.x", True)]),
        ("a.b.c", [("a.b.c", True)]),
        ("a.b", [("a.b", False)]),
        ("a.?.*", [("a.b.c", True), ("a.b.d", True), ("a.x.y", True)]),
        ("a.b*.c", [("a.b.c", True), ("a.bb.c", True)]),
        ("a.b.[cx]", [("a.b.c", True)]),
        ("a.b.[!c]", [("a.b.d", True)]),
        ("a.{b,x}.{c,y}", [("a.b.c", True), ("a.x.y", True)]),
        ("host-{1,2}.cpu", [("host-1.cpu", True), ("host-2.cpu", True)]),
        ("host-1{,0}.cpu", [("host-1.cpu", True), ("host-10.cpu", True)]),
        ("A.*", []),
        ("a.b.c.d", []),
        ("nothing.*", []),
    ],
)
def test_find(root: Path, query: str, expected: list[tuple[str, bool]]) -> None:
    assert paths(root, query) == expected


@pytest.mark.parametrize(
    "query", ["..", "a...", "a./etc", "a../..", "*./*", ".*", "a.b/../../x", "a.\0", "a/b.c"]
)
def test_a_query_never_leaves_the_root(tmp_path: Path, query: str) -> None:
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "x.wsp").write_bytes(b"")
    (tmp_path / "store" / "whisper" / "a" / ".hidden").mkdir(parents=True)
    root = tmp_path / "store" / "whisper"
    assert find(root, query) == []
    assert find(root, "a.*") == []  # hidden entries are skipped


def test_find_on_a_missing_root_is_empty(tmp_path: Path) -> None:
    assert find(tmp_path / "none", "*") == []


def test_expand_braces() -> None:
    assert expand_braces("a{b,c}d{e,f}") == ["abde", "abdf", "acde", "acdf"]
    assert expand_braces("x") == ["x"]


def test_find_json_is_graphite_webs_treejson(root: Path) -> None:
    query = "a.*"
    assert find_json(find(root, query), query) == [
        {"text": "b", "id": "a.b", "allowChildren": 1, "expandable": 1, "leaf": 0},
        {"text": "bb", "id": "a.bb", "allowChildren": 1, "expandable": 1, "leaf": 0},
        {"text": "x", "id": "a.x", "allowChildren": 1, "expandable": 1, "leaf": 0},
    ]
    leaves = find(root, "a.?.*")
    assert find_json(leaves, "a.?.*") == [
        {"text": "c", "id": "a.?.c", "allowChildren": 0, "expandable": 0, "leaf": 1},
        {"text": "d", "id": "a.?.d", "allowChildren": 0, "expandable": 0, "leaf": 1},
        {"text": "y", "id": "a.?.y", "allowChildren": 0, "expandable": 0, "leaf": 1},
    ]
    assert find_json([Node("a.b.c", True)])[0]["id"] == "a.b.c"


def test_expand(root: Path) -> None:
    expanded = expand(root, ["a.*", "a.b.*"], leaves_only=True)
    assert expanded == {"a.*": ["a.x"], "a.b.*": ["a.b.c", "a.b.d"]}
    assert expand_json(expanded) == {"results": ["a.b.c", "a.b.d", "a.x"]}
    assert expand_json(expanded, group_by_expr=True) == {"results": expanded}
    assert expand(root, ["a.*"]) == {"a.*": ["a.b", "a.bb", "a.x"]}
