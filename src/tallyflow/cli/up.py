"""`tallyflow up`: every service of the embedded pipeline at once."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.command()
@project_options
def up(project: Project) -> None:
    """Run everything at once: intake, StatsD, carbon, scheduler, web UI (not built yet)."""
    raise NotYetError("`up` is not built yet")
