"""The command line. This module is the one place where errors become messages and exit codes:
0 success, 1 a check or a report failed, 2 bad usage or bad configuration.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click
from rich.console import Console

from tallyflow import __version__
from tallyflow.cli.check import check
from tallyflow.cli.dashboards import dashboards
from tallyflow.cli.events import events
from tallyflow.cli.init import init
from tallyflow.cli.query import query
from tallyflow.cli.reports import reports
from tallyflow.cli.schemas import schemas
from tallyflow.cli.serve import serve
from tallyflow.cli.spec import spec
from tallyflow.cli.store import store
from tallyflow.cli.up import up
from tallyflow.errors import TallyflowError

DEBUG_ENV = "TALLYFLOW_DEBUG"


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tallyflow")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short messages.")
def cli(debug: bool) -> None:
    """Product analytics as code: metric specs, schema-validated events, StatsD counters,
    ReportUpdater-compatible reports and Grafana dashboards, compatible with the Wikimedia
    analytics stack.

    Every command takes -p/--project DIR (default: the current directory).
    """
    if debug:
        os.environ[DEBUG_ENV] = "1"


for command in (init, up, serve, events, query, reports, schemas, spec, dashboards, check):
    cli.add_command(command)
cli.add_command(store)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line and exit with its status."""
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        status = cli.main(args=argv, prog_name="tallyflow", standalone_mode=False)
    except click.exceptions.Abort:
        stderr.print("aborted")
        sys.exit(130)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2 if isinstance(error, click.UsageError) else error.exit_code)
    except TallyflowError as error:
        if os.environ.get(DEBUG_ENV):
            raise
        stderr.print(f"[bold red]error:[/] {error.message}", markup=True, highlight=False)
        if error.hint:
            stderr.print(f"[yellow]hint:[/] {error.hint}", markup=True, highlight=False)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(status if isinstance(status, int) else 0)
