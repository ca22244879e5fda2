"""`tallyflow spec check|render|lifecycle`: metric specs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import cast

import click

from tallyflow.cli.options import project_options
from tallyflow.clock import SystemClock
from tallyflow.collect.streams import load_streams
from tallyflow.project import Project
from tallyflow.spec.diagram import diagram
from tallyflow.spec.findings import errors
from tallyflow.spec.lifecycle import format_plan, plan
from tallyflow.spec.lint import LintContext, lint
from tallyflow.spec.load import load_specs
from tallyflow.spec.render import EXTENSIONS, Format, page, render_spec, slug
from tallyflow.spec.report_index import report_locator

today_option = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge dates as of this day (YYYY-MM-DD; default: today, UTC).",
)


def _today(value: datetime | None) -> date:
    return value.date() if value else SystemClock().now().date()


@click.group()
def spec() -> None:
    """Metric specs (metrics/*.yaml): lint, render, lifecycle."""


@spec.command("check")
@project_options
@today_option
def check_spec(project: Project, today: datetime | None) -> int:
    """Load every metric spec strictly and lint it against the seed's rules.

    Exit 1 when a rule finds an error (warnings are printed only).
    """
    specs = load_specs(project)
    streams = load_streams(project.streams_path)

    def schema_of(stream: str) -> str | None:
        config = streams.lookup(stream)
        return config.schema_title if config else None

    findings = lint(specs, LintContext(today=_today(today), stream_schema=schema_of))
    for finding in findings:
        click.echo(str(finding))
    failed = len(errors(findings))
    warned = len(findings) - failed
    click.echo(f"{len(specs)} spec(s) checked: {failed} error(s), {warned} warning(s)")
    return 1 if failed else 0


@spec.command()
@project_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "wikitext", "html"]),
    default="markdown",
    show_default=True,
    help="Markdown for a README, wikitext for a MediaWiki page, HTML for a browser.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write <spec>.<md|wiki|html> and one <spec>-<metric>.svg data-flow diagram per "
    "metric into DIR (default: print the tables to stdout).",
)
def render(project: Project, fmt: str, out: Path | None) -> int:
    """Render the spec tables (dimensions, metrics, data flow) and data-flow diagrams."""
    form = cast(Format, fmt)
    specs = load_specs(project)
    if out is None:
        click.echo(page([render_spec(sf.spec, form) for sf in specs], form), nl=False)
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for sf in specs:
        images = {}
        for metric in sf.spec.metrics:
            name = f"{sf.id}-{slug(metric.name)}.svg"
            (out / name).write_text(diagram(sf.spec, metric), encoding="utf-8")
            images[metric.name] = name
        target = out / f"{sf.id}.{EXTENSIONS[form]}"
        target.write_text(page([render_spec(sf.spec, form, images)], form), encoding="utf-8")
        click.echo(f"wrote {target} and {len(images)} diagram(s)")
    return 0


@spec.command()
@project_options
@today_option
@click.option(
    "--within",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Also list specs whose sunset date is at most this many days ahead.",
)
def lifecycle(project: Project, today: datetime | None, within: int) -> int:
    """What is due for deprecation, and its clean-up checklist: visualization, then
    aggregation, then collection, naming the files to change."""
    specs = load_specs(project)
    entries = report_locator(project)
    click.echo(format_plan(plan(project, specs, _today(today), within, entries)), nl=False)
    return 0
