"""`tallyflow query SQL`: query the event store."""

from __future__ import annotations

import csv
import sys

import click
import duckdb
import orjson

from tallyflow import pipeline
from tallyflow.aggregate.hiveql import to_duckdb
from tallyflow.aggregate.render import hive_text
from tallyflow.cli.options import project_options
from tallyflow.errors import QueryError
from tallyflow.project import Project


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
    statement = to_duckdb(sql) if dialect == "hive" else sql
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
            out.write("\t".join(hive_text(value) for value in row) + "\n")
    return 0
