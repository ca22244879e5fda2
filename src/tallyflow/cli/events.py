"""`tallyflow events load|generate`: put events into the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from tallyflow.cli.options import project_options
from tallyflow.project import Project


@click.group()
def events() -> None:
    """Load or generate events."""


@events.command()
@project_options
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--show-failures",
    type=int,
    default=10,
    show_default=True,
    help="How many failed events to print with their messages.",
)
def load(project: Project, files: tuple[Path, ...], show_failures: int) -> int:
    """Push JSON-lines FILES through validation into the store and print a receipt.

    Every line is one event, processed exactly as the intake processes a POSTed event (stream
    config, schema validation, defaults); accepted events and the error events of invalid
    ones are written to the store. Exits 1 when any event was not accepted.

    Example: tallyflow events load events.jsonl
    """
    from tallyflow.cli.load import load_files

    receipt, failures = load_files(project, files, show_failures)
    console = Console()
    for failure in failures:
        click.echo(failure)
    table = Table(title="events load")
    for column in ("stream", "accepted", "invalid", "error"):
        table.add_column(column, justify="left" if column == "stream" else "right")
    for stream in sorted({*receipt.accepted, *receipt.invalid, *receipt.error}):
        table.add_row(
            stream,
            str(receipt.accepted.get(stream, 0)),
            str(receipt.invalid.get(stream, 0)),
            str(receipt.error.get(stream, 0)),
        )
    console.print(table)
    return 1 if receipt.total_failed else 0


@events.command()
@project_options
@click.option(
    "--stream",
    "streams",
    multiple=True,
    required=True,
    help="Stream to generate (repeatable); it must be in streams.yaml with its schema_title.",
)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First day.")
@click.option(
    "--end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day (included)."
)
@click.option(
    "--per-day",
    type=click.IntRange(min=0),
    default=None,
    help="Events per day per stream before client sampling "
    "[default: the stream's generate.per_day, else 1000].",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same events.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default=None,
    help="Write JSON lines to this file ('-': standard output) instead of the store.",
)
@click.option(
    "--to",
    "url",
    default=None,
    help="POST to this intake URL instead of the store, e.g. "
    "http://127.0.0.1:8192/v1/events?hasty=true.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="With --to: events per request (one session's; 1 sends a single object, as sendBeacon).",
)
@click.option(
    "--content-type",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="With --to: text/plain (as sendBeacon) or application/json.",
)
def generate(
    project: Project,
    streams: tuple[str, ...],
    start: datetime,
    end: datetime,
    per_day: int | None,
    seed: int,
    out: Path | None,
    url: str | None,
    batch_size: int,
    content_type: str,
) -> int:
    """Synthetic traffic from the streams' schemas and their generate: hints (docs/generate.md).

    Sessions with several events, consistent ids and increasing times, spread over --start to
    --end; only sessions the clients would sample in send events. Output goes into the store,
    or to a JSON-lines file (--out), or to an intake (--to).
    """
    # Imported here: numpy, pyarrow and httpx would slow down every other command's start.
    from tallyflow.schemas.generate.outputs import TEXT_PLAIN
    from tallyflow.schemas.generate.run import generate_events

    summary = generate_events(
        project, list(streams), start.date(), end.date(), per_day, seed, out, url, batch_size,
        TEXT_PLAIN if content_type == "text" else "application/json",
    )  # fmt: skip
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for note in summary.notes:
        err.print(f"[yellow]note:[/] {note}")
    for stream, generated in summary.generated.items():
        sent = summary.sent.get(stream, 0)
        err.print(
            f"{stream}: {generated} events generated, {sent} in sample -> {summary.destination}"
        )
    report = summary.post
    if report is None:
        return 0
    err.print(
        f"{report.requests} requests: {report.accepted} accepted, {report.hasty} hasty (202), "
        f"{report.invalid} invalid, {report.errors} errors"
    )
    if report.first_problem:
        err.print(f"first problem: {report.first_problem}")
    return 1 if report.failed else 0
