"""`tallyflow schemas materialize|test|diff|install-hook`: schema repository tools.

The roots are tallyflow.yaml's `schemas.base_paths`; each root's options come from
`.jsonschema-tools.yaml` (project directory, then the root), overridden by the options here.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tallyflow.cli.options import project_options
from tallyflow.errors import CheckFailed, SchemaError, UsageError
from tallyflow.project import Project
from tallyflow.schemas.config import ToolsConfig, resolve_base_uri
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.diff import diff_schemas
from tallyflow.schemas.git import git_add, install_hook, staged_files
from tallyflow.schemas.inventory import load_schema_file, sort_records, walk_files
from tallyflow.schemas.materialize import Materialized, materialize_files
from tallyflow.schemas.rules.outcome import FAILED, PASSED, SKIPPED, RuleReport
from tallyflow.schemas.rules.run import run_rules
from tallyflow.schemas.workspace import config_for, root_configs

F = TypeVar("F", bound=Callable[..., Any])


def repository_options(command: F) -> F:
    """--config and --base-uri, turned into `configs: list[ToolsConfig]` (needs `project`)."""

    @click.option(
        "--config",
        "config_files",
        multiple=True,
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="Read these .jsonschema-tools.yaml files (in order) instead of the default ones.",
    )
    @click.option(
        "-u",
        "--base-uri",
        "base_uris",
        multiple=True,
        help="Where `$ref`s are looked up, in order (directory or http(s) URL); replaces "
        "schemaBaseUris. Repeat for several.",
    )
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        config_files: tuple[Path, ...],
        base_uris: tuple[str, ...],
        overrides: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        settings = dict(overrides or {})
        if base_uris:
            settings["schema_base_uris"] = tuple(
                resolve_base_uri(uri, Path.cwd()) for uri in base_uris
            )
        configs = root_configs(
            kwargs["project"], files=list(config_files) or None, overrides=settings
        )
        return command(*args, configs=configs, **kwargs)

    return wrapper  # type: ignore[return-value]


@click.group()
def schemas() -> None:
    """Schema repository tools (jsonschema-tools layout and rules).

    Workflow: edit <title>/current.yaml, bump the version in its $id, run `schemas materialize`,
    then `schemas test`; commit current.yaml with the new X.Y.Z.yaml and links.
    """


def _materialize_overrides(command: F) -> F:
    @click.option(
        "-c",
        "--content-types",
        default=None,
        help="Comma-separated output formats, the first is primary (e.g. yaml or yaml,json); "
        "replaces contentTypes.",
    )
    @click.option(
        "-D", "--no-dereference", is_flag=True, help="Do not resolve $ref or merge allOf."
    )
    @click.option(
        "-S",
        "--no-symlink-extensionless",
        is_flag=True,
        help="Do not create X.Y.Z and latest links.",
    )
    @click.option("-L", "--no-symlink-latest", is_flag=True, help="Do not create latest links.")
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        content_types: str | None,
        no_dereference: bool,
        no_symlink_extensionless: bool,
        no_symlink_latest: bool,
        **kwargs: Any,
    ) -> Any:
        overrides: dict[str, Any] = {}
        if content_types:
            overrides["content_types"] = tuple(t.strip() for t in content_types.split(",") if t)
        if no_dereference:
            overrides["should_dereference"] = False
        if no_symlink_extensionless:
            overrides["should_symlink_extensionless"] = False
        if no_symlink_latest:
            overrides["should_symlink_latest"] = False
        return command(*args, overrides=overrides, **kwargs)

    return wrapper  # type: ignore[return-value]


@schemas.command()
@project_options
@_materialize_overrides
@repository_options
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--staged", is_flag=True, help="Only current files staged in git (for the hook).")
@click.option("-n", "--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.option(
    "-G", "--no-git-add", is_flag=True, help="With --staged: do not `git add` what is written."
)
def materialize(
    project: Project,
    configs: list[ToolsConfig],
    paths: tuple[Path, ...],
    staged: bool,
    dry_run: bool,
    no_git_add: bool,
) -> int:
    """Write X.Y.Z.yaml (and .json) files and links from each current.yaml.

    PATHS are current files or directories holding them (default: every current file).
    """
    jobs = _current_files(project, configs, paths, staged)
    results, errors = materialize_files(jobs, dry_run=dry_run)
    written: list[Path] = []
    for done in results:
        _print_materialized(done)
        written.extend([*done.files, *(link for link, _ in done.links)])
    if (
        staged
        and written
        and not dry_run
        and not no_git_add
        and all(c.should_git_add for c in configs)
    ):
        git_add(written, project.root)
    if not jobs:
        click.echo("no current schema files to materialize")
    if errors:
        raise SchemaError(
            f"{len(errors)} of {len(jobs)} schema(s) could not be materialized:\n"
            + "\n".join(f"  {error.message}" for error in errors),
            hint=errors[0].hint,
        )
    return 0


def _current_files(
    project: Project, configs: list[ToolsConfig], paths: tuple[Path, ...], staged: bool
) -> list[tuple[ToolsConfig, Path]]:
    """The current files to materialize, fragments first (see `sort_records`)."""
    candidates: list[Path] = []
    if staged:
        candidates = staged_files(project.root)
    for given in paths:
        path = given.resolve()
        candidates.extend(walk_files(path) if path.is_dir() else [path])
    if not staged and not paths:
        candidates = [file for config in configs for file in walk_files(config.root)]
    chosen: dict[Path, ToolsConfig] = {}
    for path in candidates:
        try:
            config = config_for(path, configs)
        except UsageError:
            if staged:
                continue
            raise
        if path.name == config.current_file_name and path.is_file():
            record = load_schema_file(path, config)
            if not config.ignored(record.schema_id):
                chosen[path] = config
    records = sort_records(load_schema_file(path, config) for path, config in chosen.items())
    return [(chosen[record.path], record.path) for record in records]


def _print_materialized(done: Materialized) -> None:
    verb = "would write" if done.dry_run else "wrote"
    where = done.source.parent.relative_to(done.root).as_posix()
    files = ", ".join(path.name for path in done.files)
    links = ", ".join(f"{link.name} -> {target}" for link, target in done.links)
    click.echo(
        f"{done.schema_id}: {verb} {where}/{{{files}}}" + (f"; links {links}" if links else "")
    )


@schemas.command()
@project_options
@repository_options
@click.argument("selection", nargs=-1)
@click.option("--staged", is_flag=True, help="Only the schemas with files staged in git.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: counts and the failed outcomes as one object (every outcome with -v).",
)
@click.option("-v", "--verbose", is_flag=True, help="List passed and skipped checks too.")
def test(
    project: Project,
    configs: list[ToolsConfig],
    selection: tuple[str, ...],
    staged: bool,
    output: str,
    verbose: bool,
) -> int:
    """Run the structure, robustness and compatibility rules.

    SELECTION: schema titles or directories to check (default: all). Exit status 1 if a rule
    fails; skip cases per $id with skipSchemaTestCases in .jsonschema-tools.yaml.
    """
    started = time.perf_counter()
    report = RuleReport()
    for config in configs:
        if verbose and output == "text":
            read = ", ".join(str(path) for path in config.sources) or "defaults only"
            click.echo(f"{config.root}: options from {read}")
        titles = _selected_titles(project, config, selection, staged)
        if titles is not None and not titles:
            continue
        run_rules(config, RefResolver(config.schema_base_uris), titles, report)
    checked = {(o.title, o.version) for o in report.outcomes if o.version}
    currents = len([version for _, version in checked if version.endswith("(current)")])
    versions = len(checked) - currents
    elapsed = time.perf_counter() - started
    if output == "json":
        click.echo(
            json.dumps(
                {
                    "passed": report.count(PASSED),
                    "failed": report.count(FAILED),
                    "skipped": report.count(SKIPPED),
                    "seconds": round(elapsed, 3),
                    "outcomes": [
                        o.as_json() for o in report.outcomes if verbose or o.status == FAILED
                    ],
                },
                indent=2,
            )
        )
    else:
        for outcome in report.outcomes:
            if outcome.status == FAILED:
                click.echo(f"FAIL {outcome.describe()}")
                if outcome.file:
                    click.echo(f"     file: {outcome.file}")
                if outcome.hint:
                    click.echo(f"     what to do: {outcome.hint}")
            elif verbose:
                click.echo(f"{outcome.status[:4].upper()} {outcome.describe()}")
        click.echo(
            f"{report.count(PASSED)} passed, {report.count(FAILED)} failed, "
            f"{report.count(SKIPPED)} skipped ({versions} schema versions and {currents} current "
            f"files, {elapsed:.2f}s)"
        )
    if report.failures:
        raise CheckFailed(
            f"{len(report.failures)} schema rule check(s) failed",
            hint="see the FAIL lines above; docs/schemas.md lists every rule",
        )
    return 0


def _selected_titles(
    project: Project, config: ToolsConfig, selection: tuple[str, ...], staged: bool
) -> set[str] | None:
    if not selection and not staged:
        return None
    titles: set[str] = set()
    files = staged_files(project.root) if staged else []
    for item in selection:
        path = Path(item)
        if path.exists():
            files.append(path / "current.yaml" if path.is_dir() else path)
        else:
            titles.add(item.strip("/"))
    for file in files:
        directory = file.resolve().parent
        if config.root in directory.parents:
            titles.add(directory.relative_to(config.root).as_posix())
    return titles


@schemas.command()
@project_options
@repository_options
@click.argument("old")
@click.argument("new")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def diff(project: Project, configs: list[ToolsConfig], old: str, new: str, output: str) -> int:
    """Readable change list between two schema versions, with a verdict.

    OLD and NEW are files or <title>/<X.Y.Z>, <title>/latest, <title>/current (current.yaml,
    materialized first). Exit status 1 if NEW breaks OLD within the same major version.
    """
    result = diff_schemas(old, new, configs)
    if output == "json":
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        click.echo(
            f"{result.old.title} {result.old.version} -> {result.new.title} {result.new.version}"
        )
        for change in result.changes:
            mark = "!" if change.breaking else "+" if "added" in change.kind else "~"
            tail = "  [breaking]" if change.breaking else ""
            click.echo(f"  {mark} {change.path or '.'}: {change.summary}{tail}")
        if not result.changes:
            click.echo("  (no changes)")
        count = len(result.breaking)
        verdict = f"verdict: {result.verdict}"
        if count:
            verdict += f" ({count} breaking change{'s' if count != 1 else ''})"
            if result.new_major:
                verdict += "; allowed, because the major version changed"
        click.echo(verdict)
    return 1 if result.breaking and not result.new_major else 0


@schemas.command("install-hook")
@project_options
@click.option("--force", is_flag=True, help="Replace an existing pre-commit hook.")
def install_hook_command(project: Project, force: bool) -> int:
    """Install a git pre-commit hook that materializes and tests staged schemas."""
    hook = install_hook(project.root, force=force)
    click.echo(f"installed {hook}")
    click.echo("it runs `tallyflow schemas materialize --staged` then `schemas test --staged`")
    return 0
