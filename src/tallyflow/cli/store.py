"""`tallyflow store import|prune`: add tables other than events; apply retention."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from tallyflow import pipeline
from tallyflow.cli.options import project_options
from tallyflow.project import Project
from tallyflow.store.imports import import_table, parse_table_name


@click.group()
def store() -> None:
    """Manage the event store."""


@store.command("import")
@project_options
@click.argument("name", metavar="DATABASE.TABLE")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--partition-by",
    "partition_by",
    multiple=True,
    metavar="COLUMN",
    help="Partition column (repeatable; default: those of year, month, day, hour present).",
)
@click.option("--replace", is_flag=True, help="Delete the table's existing data first.")
def import_(
    project: Project,
    name: str,
    files: tuple[Path, ...],
    partition_by: tuple[str, ...],
    replace: bool,
) -> int:
    """Import Parquet, CSV/TSV or JSON-lines FILES as table DATABASE.TABLE.

    Queries then see it under that name, e.g. `SELECT * FROM wmf.browser_general`.
    """
    parse_table_name(name)
    rows = import_table(
        project.store_root, name, files, partition_by=list(partition_by) or None, replace=replace
    )
    click.echo(f"{name}: {rows} rows imported into {project.store_root}")
    return 0


@store.command()
@project_options
@click.option(
    "--now",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Apply retention as if at this UTC time (default: now).",
)
def prune(project: Project, now: datetime | None) -> int:
    """Delete raw hour partitions past retention, after copying allowlisted columns to
    event_sanitized (events.sanitize_allowlist).

    Example: tallyflow store prune -p examples/codemirror
    """
    at = now.replace(tzinfo=UTC) if now else datetime.now(UTC)
    receipt = pipeline.prune_store(project, at)
    for table in sorted({*receipt.deleted, *receipt.sanitized}):
        click.echo(
            f"{table}: {receipt.sanitized.get(table, 0)} hour(s) sanitized, "
            f"{receipt.deleted.get(table, 0)} hour(s) deleted"
        )
    if not receipt.deleted:
        click.echo("nothing past retention")
    return 0
