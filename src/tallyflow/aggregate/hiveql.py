"""HiveQL -> DuckDB / Spark SQL (aggregate stage: query text in, engine SQL text out).

sqlglot does the grammar (struct access, 0-based array subscripts, back-quoted identifiers,
`JOIN` without `ON`, `RLIKE`, `CAST` -> `TRY_CAST`); the fix-ups below close the semantic gaps
that still differ from Hive after transpiling (reference reportupdater.md §7.3):

- `SUBSTR(s, 0, n)`: Hive treats position 0 as 1; DuckDB would return one character less.
- `LPAD(<int>, 2, '0')` / `RPAD`: Hive converts the number to a string; DuckDB refuses.
- `DATE(x)` / `TO_DATE(x)` on a MediaWiki timestamp (`20210607000000`): parsed as
  `yyyyMMddHHmmss`; other strings and timestamps are cast as Hive does (NULL when unparseable).
- Column names: `SELECT event.enabled ... ORDER BY enabled` is named after the field, and an
  unnamed expression is `_c0`, `_c1`, ... by position, as Hive names them.
- `2.5`, `1e3`: DOUBLE literals, as in Hive (DuckDB and Spark read DECIMAL, printed otherwise).
- `date_sub`/`date_add`: a `yyyy-MM-dd` string, comparable with CONCAT'ed partition strings.
- `unix_timestamp(...)`: a BIGINT, not a DuckDB double.
- `a / b`: always a double, and NULL when `b` is 0 (Hive) instead of `inf` or an error.

Header case (Hive lowercases column names) and value rendering (`NULL`, `true`/`false`, Java
doubles) are applied to results, in `aggregate.render`.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from tallyflow.errors import QueryError

_MEDIAWIKI_TIMESTAMP = "^[0-9]{14}$"
_DATE_TEMPLATES = {
    "duckdb": (
        "CASE WHEN REGEXP_FULL_MATCH(CAST(__x AS VARCHAR), '[0-9]{14}') "
        "THEN CAST(TRY_STRPTIME(CAST(__x AS VARCHAR), '%Y%m%d%H%M%S') AS DATE) "
        "ELSE CAST(TRY_CAST(__x AS TIMESTAMP) AS DATE) END"
    ),
    "spark": (
        f"CASE WHEN CAST(__x AS STRING) RLIKE '{_MEDIAWIKI_TIMESTAMP}' "
        "THEN TO_DATE(CAST(__x AS STRING), 'yyyyMMddHHmmss') ELSE TO_DATE(__x) END"
    ),
}


def parse_hiveql(hiveql: str) -> list[exp.Expr]:
    """The statements of a HiveQL text (`;`-separated), as sqlglot trees."""
    try:
        return [tree for tree in sqlglot.parse(hiveql, read="hive") if tree is not None]
    except SqlglotError as error:
        raise QueryError(
            f"HiveQL does not parse: {error}",
            hint="check the query in Hive syntax; braces must be doubled ({{ }}) in templates",
        ) from None


def _date_of(node: exp.Expr, dialect: str) -> exp.Expr:
    template = sqlglot.parse_one(_DATE_TEMPLATES[dialect], read=dialect)
    for column in list(template.find_all(exp.Column)):
        if column.name == "__x":
            column.replace(node.copy())
    return template


def _hive_position(start: exp.Expr) -> exp.Expr:
    if isinstance(start, exp.Literal) and not start.is_string:
        return exp.Literal.number(1) if int(start.this) == 0 else start
    return exp.If(
        this=exp.EQ(this=start.copy(), expression=exp.Literal.number(0)),
        true=exp.Literal.number(1),
        false=start.copy(),
    )


def _name_columns(tree: exp.Expr) -> exp.Expr:
    """Name result columns as Hive does: `SELECT event.enabled` is `enabled` (and ORDER BY may
    use that name, which DuckDB would not resolve), an unnamed expression at position i is
    `_c<i>` (DuckDB would name it after its text)."""
    for select in tree.find_all(exp.Select):
        for index, projection in enumerate(list(select.expressions)):
            if isinstance(projection, exp.Column) and projection.table:
                projection.replace(exp.alias_(projection.copy(), projection.name))
            elif isinstance(projection, exp.Dot) and projection.name:
                projection.replace(exp.alias_(projection.copy(), projection.name))
            elif not isinstance(projection, exp.Alias | exp.Column | exp.Star | exp.Dot):
                projection.replace(exp.alias_(projection.copy(), f"_c{index}"))
    return tree


def _double_literal(node: exp.Expr) -> exp.Expr | None:
    """Hive reads `2.5` and `1e3` as DOUBLE; DuckDB and Spark would make them DECIMAL."""
    if isinstance(node, exp.Literal) and not node.is_string:
        text = str(node.this).lower()
        if "." in text or "e" in text:
            return exp.cast(node.copy(), exp.DataType.build("DOUBLE"))
    return None


def _fix_duckdb(node: exp.Expr) -> exp.Expr:
    if (double := _double_literal(node)) is not None:
        return double
    if isinstance(node, exp.TsOrDsAdd):
        # date_add/date_sub give 'yyyy-MM-dd' (a string before Hive 2.1); queries compare them
        # with CONCAT'ed partition strings, which DuckDB refuses for a DATE.
        node.set("return_type", exp.DataType.build("DATE"))
        return exp.cast(exp.cast(node, exp.DataType.build("DATE")), exp.DataType.build("VARCHAR"))
    if isinstance(node, exp.StrToUnix):
        return exp.cast(node, exp.DataType.build("BIGINT"))
    if isinstance(node, exp.Substring) and node.args.get("start") is not None:
        node.set("start", _hive_position(node.args["start"]))
    elif isinstance(node, exp.Pad):
        node.set("this", exp.cast(node.this.copy(), exp.DataType.build("VARCHAR")))
    elif isinstance(node, exp.Date | exp.TsOrDsToDate) and node.this is not None:
        return _date_of(node.this, "duckdb")
    elif isinstance(node, exp.Div):
        node.set("safe", True)
        node.set("typed", False)
    return node


def _fix_spark(node: exp.Expr) -> exp.Expr:
    if (double := _double_literal(node)) is not None:
        return double
    if isinstance(node, exp.Date | exp.TsOrDsToDate) and node.this is not None:
        if len(node.expressions) or node.args.get("format"):
            return node
        return _date_of(node.this, "spark")
    return node


def _transpile(hiveql: str, dialect: str) -> str:
    fix = _fix_duckdb if dialect == "duckdb" else _fix_spark
    statements = []
    for tree in parse_hiveql(hiveql):
        fixed = _name_columns(tree).transform(fix)
        try:
            statements.append(fixed.sql(dialect=dialect))
        except SqlglotError as error:
            raise QueryError(f"HiveQL cannot be written as {dialect} SQL: {error}") from None
    return ";\n".join(statements)


def to_duckdb(hiveql: str) -> str:
    """HiveQL (one or more statements) as DuckDB SQL with Hive's semantics.

    >>> to_duckdb("SELECT SUBSTR(s, 0, 2) FROM t")
    'SELECT SUBSTRING(s, 1, 2) FROM t'
    """
    return _transpile(hiveql, "duckdb")


def to_spark(hiveql: str) -> str:
    """HiveQL as Spark SQL (run with `spark.sql.ansi.enabled=false` for Hive's NULL rules)."""
    return _transpile(hiveql, "spark")
