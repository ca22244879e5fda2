"""`tallyflow query SQL`: query the event store."""

from __future__ import annotations

import csv
import sys
from typing import Any

import click
import duckdb
import orjson
import sqlglot
from sqlglot.errors import SqlglotError

from tallyflow import pipeline
from tallyflow.cli.options import project_options
from tallyflow.errors import QueryError
from tallyflow.project import Project


def _text(value: Any) -> str:
    """A value as Hive's CLI prints it: NULL, true/false, plain numbers."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return orjson.dumps(value, default=str).decode()
    return str(value)


def to_duckdb(sql: str, dialect: str) -> str:
    if dialect == "duckdb":
        return sql
    try:
        return ";\n".join(sqlglot.transpile(sql, read="hive", write="duckdb"))
    except SqlglotError as error:
        raise QueryError(f"cannot read the query as HiveQL: {error}") from None


@click.command()
@project_options
@click.argument("sql")
@click.option(
    "--dialect",
    type=click.Choice(["hive", "duckdb"]),
    default="hive",
    show_default=True,
    help="SQL dialect of the query (HiveQL is transpiled to DuckDB).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tsv", "csv", "json"]),
    default="tsv",
    show_default=True,
    help="Output format (tsv prints a header and NULL as Hive's CLI does).",
)
def query(project: Project, sql: str, dialect: str, fmt: str) -> int:
    """Run SQL over the store; tables are visible as event.<table>.

    Example: tallyflow query "select wiki, count(*) from event.codemirrorusage group by wiki"
    """
    statement = to_duckdb(sql, dialect)
    connection = pipeline.query_connection(project)
    try:
        result = connection.execute(statement)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchall()
    except duckdb.Error as error:
        raise QueryError(
            f"query failed: {error}",
            hint="tables are named event.<table>; list them with "
            '`tallyflow query "select * from information_schema.tables"`',
        ) from None
    finally:
        connection.close()
    out = sys.stdout
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        out.write(orjson.dumps(records, default=str).decode() + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(_text(value) for value in row) + "\n")
    return 0
