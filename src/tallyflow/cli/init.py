"""`tallyflow init DIR`: a new project from the bundled example."""

from __future__ import annotations

from pathlib import Path

import click

from tallyflow.errors import NotYetError


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new project in DIRECTORY from the bundled example (not built yet)."""
    raise NotYetError("`init` is not built yet")
