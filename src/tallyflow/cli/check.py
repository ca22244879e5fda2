"""`tallyflow check`: spec, schemas, streams, reports and dashboards agree."""

from __future__ import annotations

from datetime import datetime

import click

from tallyflow.cli.options import project_options
from tallyflow.cli.spec import today_option
from tallyflow.clock import SystemClock
from tallyflow.collect.streams import load_streams
from tallyflow.project import Project
from tallyflow.spec.crosscheck import crosscheck
from tallyflow.spec.findings import errors
from tallyflow.spec.lint import LintContext, lint
from tallyflow.spec.load import load_specs


@click.command()
@project_options
@today_option
def check(project: Project, today: datetime | None) -> int:
    """Verify that spec, schemas, streams, reports and dashboards agree (the closed loop).

    Runs the spec lint rules, then the cross-checks; each finding names the file, the line and
    the fix. Exit 1 when any error is found.
    """
    specs = load_specs(project)
    streams = load_streams(project.streams_path)

    def schema_of(stream: str) -> str | None:
        config = streams.lookup(stream)
        return config.schema_title if config else None

    day = today.date() if today else SystemClock().now().date()
    findings = lint(specs, LintContext(today=day, stream_schema=schema_of))
    findings += crosscheck(project, specs)
    for finding in findings:
        click.echo(str(finding))
    failed = len(errors(findings))
    click.echo(
        f"checked {len(specs)} spec(s) against streams, schemas, reports and dashboards: "
        f"{failed} error(s), {len(findings) - failed} warning(s)"
    )
    return 1 if failed else 0
