"""`tallyflow init DIR`: a new project from the bundled example."""

from __future__ import annotations

import shlex
from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> int:
    """Create a new project in DIRECTORY (new or empty) from the bundled example: the seed's
    CodeMirror toggle metric with its spec, schemas, streams, reports and dashboards."""
    from tallyflow.scaffold import create_project

    create_project(directory)
    click.echo(f"created a tallyflow project in {directory}")
    click.echo("next:")
    click.echo(f"  cd {shlex.quote(str(directory))} && tallyflow up --traffic")
    click.echo("then open the web UI at the URL it prints (http://127.0.0.1:8080/ by default)")
    return 0
