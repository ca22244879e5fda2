"""Query columns resolved against the tables derived from schemas (sqlglot scopes)."""

from __future__ import annotations

import yaml

from tallyflow.spec.querycheck import TableColumns, table_columns, unknown_names
from tests.spec.conftest import EXAMPLE

SCHEMA = EXAMPLE / "schemas" / "analytics" / "codemirror" / "toggle" / "1.0.0.yaml"


def tables() -> dict[str, TableColumns]:
    table = table_columns("event.codemirror_toggle", yaml.safe_load(SCHEMA.read_text()))
    return {table.name: table}


def test_refine_columns_of_a_schema() -> None:
    table = tables()["event.codemirror_toggle"]
    assert {"_schema", "meta", "dt", "wiki", "editor", "session_token", "useragent"} <= set(
        table.columns
    )
    assert {"year", "month", "day", "hour"} <= set(table.columns)
    assert table.has(["meta", "dt"]) and table.has(["useragent", "is_bot"])
    assert not table.has(["meta", "nope"])


def test_the_example_queries_resolve() -> None:
    for name in ("toggles", "sessions"):
        sql = (EXAMPLE / "reports" / "codemirror" / f"{name}.hql").read_text()
        sql = sql.format(from_date="2026-02-20", year="2026", month="02", day="20")
        assert unknown_names(sql, tables(), "hive") == []


def test_a_misspelt_column_is_named_with_its_line() -> None:
    sql = (
        "SELECT\n  wiki,\n  edtor,\n  COUNT(*) AS n\n"
        "FROM event.codemirror_toggle\nGROUP BY wiki\nORDER BY n"
    )
    [unknown] = unknown_names(sql, tables(), "hive")
    assert (unknown.kind, unknown.name, unknown.table, unknown.line) == (
        "column",
        "edtor",
        "event.codemirror_toggle",
        3,
    )


def test_struct_fields_aliases_and_qualified_columns() -> None:
    sql = (
        "SELECT t.meta.dt, meta.domain, useragent.is_bot, t.wiki AS w "
        "FROM event.codemirror_toggle t"
        " WHERE t.meta.stream = 'x' AND meta.nope = 1 AND t.editr = 'a' AND year = 2026"
    )
    names = sorted((u.kind, u.name) for u in unknown_names(sql, tables(), "hive"))
    assert names == [("column", "editr"), ("column", "meta.nope")]


def test_unknown_table_and_syntax_errors() -> None:
    unknown = unknown_names("SELECT a FROM event.nothing", tables(), "hive")
    assert [(u.kind, u.name) for u in unknown] == [("table", "event.nothing")]
    assert unknown_names("SELECT FROM WHERE (", tables(), "hive")[0].kind == "syntax"


def test_subqueries_are_not_guessed() -> None:
    sql = "SELECT n FROM (SELECT wiki, COUNT(*) AS n FROM event.codemirror_toggle GROUP BY wiki) s"
    assert unknown_names(sql, tables(), "hive") == []
