"""`tallyflow check`: spec, schemas, streams, reports and dashboards agree."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.command()
@project_options
def check(project: Project) -> int:
    """Verify that spec, schemas, streams, reports and dashboards agree."""
    raise NotYetError("`check` is not built yet")
