"""`tallyflow spec check|render|lifecycle`: metric specs."""

from __future__ import annotations

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.group()
def spec() -> None:
    """Metric specs: lint, render, lifecycle."""


@spec.command("check")
@project_options
def check_spec(project: Project) -> int:
    """Load every metric spec strictly and lint it."""
    raise NotYetError("`spec check` is not built yet")


@spec.command()
@project_options
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "wikitext", "html"]), default="markdown"
)
def render(project: Project, fmt: str) -> int:
    """Render the spec tables."""
    raise NotYetError("`spec render` is not built yet")


@spec.command()
@project_options
def lifecycle(project: Project) -> int:
    """What is due for deprecation, and its clean-up plan."""
    raise NotYetError("`spec lifecycle` is not built yet")
