"""Options shared by every command: -p/--project and --profile."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from tallyflow.project import load_project

F = TypeVar("F", bound=Callable[..., Any])


def project_options(command: F) -> F:
    """Add -p/--project and --profile; the command receives `project: Project`."""

    @click.option(
        "-p",
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="current directory",
        help="Project directory (holds tallyflow.yaml).",
    )
    @click.option(
        "--profile",
        default=None,
        envvar="TALLYFLOW_PROFILE",
        help="Settings profile from tallyflow.yaml `profiles:` to apply.",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, project_dir: Path, profile: str | None, **kwargs: Any) -> Any:
        return command(*args, project=load_project(project_dir, profile), **kwargs)

    return wrapper  # type: ignore[return-value]
