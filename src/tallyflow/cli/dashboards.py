"""`tallyflow dashboards build`: Grafana dashboard JSON from the spec."""

from __future__ import annotations

from pathlib import Path

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import NotYetError
from tallyflow.project import Project


@click.group()
def dashboards() -> None:
    """Grafana dashboards generated from the metric specs."""


@dashboards.command()
@project_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None)
def build(project: Project, out: Path | None) -> int:
    """Write Grafana dashboard JSON into --out DIR."""
    raise NotYetError("`dashboards build` is not built yet")
