"""`tallyflow schemas materialize|test|diff|install-hook`: schema repository tools."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.group()
def schemas() -> None:
    """Schema repository tools (jsonschema-tools rules)."""


@schemas.command()
@project_options
def materialize(project: Project) -> int:
    """Write versioned files from each current.yaml."""
    raise NotYetError("`schemas materialize` is not built yet")


@schemas.command()
@project_options
def test(project: Project) -> int:
    """Run the structure, robustness and compatibility rules."""
    raise NotYetError("`schemas test` is not built yet")


@schemas.command()
@project_options
@click.argument("old")
@click.argument("new")
def diff(project: Project, old: str, new: str) -> int:
    """Readable change list between two schema versions, with a verdict."""
    raise NotYetError("`schemas diff` is not built yet")


@schemas.command("install-hook")
@project_options
def install_hook(project: Project) -> int:
    """Install a git pre-commit hook that materializes and tests staged schemas."""
    raise NotYetError("`schemas install-hook` is not built yet")
