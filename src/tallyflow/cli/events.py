"""`tallyflow events load|generate`: put events into the store."""

from __future__ import annotations

from pathlib import Path

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.group()
def events() -> None:
    """Load or generate events."""


@events.command()
@project_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def load(project: Project, files: tuple[Path, ...]) -> int:
    """Push JSON-lines FILES through validation into the store and print a receipt."""
    raise NotYetError("`events load` is not built yet")


@events.command()
@project_options
def generate(project: Project) -> int:
    """Synthetic traffic from schemas and spec."""
    raise NotYetError("`events generate` is not built yet")
