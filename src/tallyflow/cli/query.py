"""`tallyflow query SQL`: query the event store."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.command()
@project_options
@click.argument("sql")
def query(project: Project, sql: str) -> None:
    """Run SQL over the store; tables are visible as event.<table>."""
    raise NotYetError("`query` is not built yet")
