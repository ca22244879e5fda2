"""`tallyflow reports run`: ReportUpdater-compatible runs."""

from __future__ import annotations

from pathlib import Path

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.group()
def reports() -> None:
    """Run ReportUpdater query folders."""


@reports.command()
@project_options
@click.argument("query_folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("output_folder", type=click.Path(file_okay=False, path_type=Path))
def run(project: Project, query_folder: Path, output_folder: Path) -> int:
    """Run the reports of QUERY_FOLDER, writing into OUTPUT_FOLDER."""
    raise NotYetError("`reports run` is not built yet")
