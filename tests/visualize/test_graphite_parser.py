"""Targets parse as graphite-web's grammar reads them; Grafana's template substitution."""

from __future__ import annotations

import pytest

from tallyflow.errors import QueryError
from tallyflow.visualize.graphite.parser import Call, Path, first_path, parse, substitute


def test_a_dashboard_target_parses_into_nested_calls() -> None:
    target = (
        "aliasByNode(divideSeriesLists(sortByName(groupByNodes("
        "MediaWiki.CodeMirror.toggles.byEditor.$editor.byEnabled.true.byWiki.*, 'sum', 7)), "
        "sortByName(groupByNodes(MediaWiki.CodeMirror.sessions.byEditor.$editor.byWiki.*, "
        "'sum', 5))), 0)"
    )
    toggles = Path("MediaWiki.CodeMirror.toggles.byEditor.$editor.byEnabled.true.byWiki.*")
    sessions = Path("MediaWiki.CodeMirror.sessions.byEditor.$editor.byWiki.*")
    assert parse(target) == Call(
        "aliasByNode",
        (
            Call(
                "divideSeriesLists",
                (
                    Call("sortByName", (Call("groupByNodes", (toggles, "sum", 7)),)),
                    Call("sortByName", (Call("groupByNodes", (sessions, "sum", 5)),)),
                ),
            ),
            0,
        ),
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("a.{x,y}.c", Path("a.{x,y}.c")),
        (
            "sumSeries(a.{x,y}.c, b.[0-9]?.*)",
            Call("sumSeries", (Path("a.{x,y}.c"), Path("b.[0-9]?.*"))),
        ),
        ('alias(a, "it\'s")', Call("alias", (Path("a"), "it's"))),
        ("aliasSub(a, 'a\\.(\\w+)', '\\1')", Call("aliasSub", (Path("a"), "a\\.(\\w+)", "\\1"))),
        ("scale(a, -1.5)", Call("scale", (Path("a"), -1.5))),
        ("scale(a, 2e3)", Call("scale", (Path("a"), 2000.0))),
        ("sortByName(a, true, False)", Call("sortByName", (Path("a"), True, False))),
        ("asPercent(a, None, 1)", Call("asPercent", (Path("a"), None, 1))),
        ("keepLastValue(a, inf)", Call("keepLastValue", (Path("a"), float("inf")))),
        ("a.true.b", Path("a.true.b")),
        ("2017.x", Path("2017.x")),
        ("f( a.b ,  3 )", Call("f", (Path("a.b"), 3))),
        ("f()", Call("f")),
        (
            "summarize(a, '1h', alignToFrom=true)",
            Call("summarize", (Path("a"), "1h"), (("alignToFrom", True),)),
        ),
        ("a.b | scale(2) | alias('x')", Call("alias", (Call("scale", (Path("a.b"), 2)), "x"))),
        ("a.b\\(1\\).c", Path("a.b\\(1\\).c")),
        ("host-1.cpu:user.$var", Path("host-1.cpu:user.$var")),
    ],
)
def test_parses(target: str, expected: object) -> None:
    assert parse(target) == expected


@pytest.mark.parametrize(
    ("target", "position", "expected"),
    [
        ("sumSeries(a.b", 14, "')'"),
        ("sumSeries(a.b))", 15, "the end of the target"),
        ("alias(a, 'open)", 10, "a closing '"),
        ("a..b", 2, "a path node"),
        ("sum(.a)", 5, "a path node"),
        ("sum(a.)", 6, "a path node"),
        ("sumSeries(a.{x,y)", 17, "'}' closing the '{' at position 13"),
        ("f(a, x=1, 2)", 11, "a keyword argument"),
        ("a | b", 5, "a function call after '|'"),
        ("", 1, "a function call, a path or a value"),
    ],
)
def test_syntax_errors_name_the_position(target: str, position: int, expected: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(target)
    assert f"position {position}:" in caught.value.message
    assert expected in caught.value.message
    assert caught.value.hint is not None and target in caught.value.hint


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("a.b.c", "a.b.c"),
        ("divideSeries(enwiki,enwiki)", "enwiki"),
        ("asPercent(wikitext_2010.true,sumSeries(MediaWiki.x.*))", "wikitext_2010.true"),
        ('summarize(a.b, "1h", "sum")', "a.b"),
        ("divideSeries(true,false)", "true"),
        ("divideSeries(2017,2018)", "2017"),
        ("Toggle (per session)", "Toggle (per session)"),
    ],
)
def test_first_path_strips_function_wrappers(name: str, path: str) -> None:
    assert first_path(name) == path


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"editor": ["wikitext_2010"]}, "a.wikitext_2010.b.$wiki.{x}"),
        (
            {"editor": ["wikitext_2010", "wikitext_2017"]},
            "a.{wikitext_2010,wikitext_2017}.b.$wiki.{x}",
        ),
        ({"editor": ["*"]}, "a.*.b.$wiki.{x}"),
        ({"editor": ["wikitext_2010", "*"]}, "a.*.b.$wiki.{x}"),
        ({"editor": []}, "a.*.b.$wiki.{x}"),
        ({"editor": ["v"], "wiki": ["enwiki"]}, "a.v.b.enwiki.{x}"),
    ],
)
def test_substitute_follows_grafana(variables: dict[str, list[str]], expected: str) -> None:
    assert substitute("a.$editor.b.$wiki.{x}", variables) == expected


def test_substitute_reads_every_variable_syntax_and_whole_names() -> None:
    variables = {"wiki": ["enwiki"], "wikis": ["x", "y"]}
    assert substitute("${wiki}.[[wiki]].$wiki.$wikis.$wikidata", variables) == (
        "enwiki.enwiki.enwiki.{x,y}.$wikidata"
    )
