"""`tallyflow dashboards build`: Grafana dashboard JSON from the spec."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from tallyflow.cli.options import project_options
from tallyflow.project import Project
from tallyflow.spec.load import load_specs
from tallyflow.visualize.grafana import Datasource, dashboard_filename, dashboard_json


@click.group()
def dashboards() -> None:
    """Grafana dashboards generated from the metric specs."""


@dashboards.command()
@project_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory for the JSON files (default: `dashboards` of tallyflow.yaml).",
)
@click.option(
    "--datasource",
    type=click.Choice(["graphite", "prometheus"]),
    default="graphite",
    show_default=True,
    help="Targets as Graphite expressions or as PromQL.",
)
def build(project: Project, out: Path | None, datasource: str) -> int:
    """Write one Grafana dashboard JSON file per metric spec into --out DIR.

    Output is deterministic (stable uids and order), so regenerated files diff cleanly.
    """
    target = out if out is not None else project.path(project.settings.dashboards)
    target.mkdir(parents=True, exist_ok=True)
    for sf in load_specs(project):
        path = target / dashboard_filename(sf)
        text = dashboard_json(sf, cast(Datasource, datasource))
        changed = not path.exists() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        click.echo(f"{'wrote' if changed else 'unchanged'} {path}")
    return 0
