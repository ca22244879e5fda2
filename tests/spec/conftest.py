"""Spec fixtures: a project holding a copy of the example's CodeMirror spec, editable."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tallyflow.project import load_project
from tallyflow.spec.crosscheck import Check, context, crosscheck
from tallyflow.spec.findings import Finding
from tallyflow.spec.load import load_specs

EXAMPLE = Path(__file__).parents[2] / "examples" / "codemirror"
TOGGLE = EXAMPLE / "metrics" / "codemirror-toggle.yaml"

WriteSpec = Callable[..., Path]


def toggle_spec() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TOGGLE.read_text())
    return data


def copy_example(tmp_path: Path) -> Path:
    """A copy of examples/codemirror (symlinks kept) under `tmp_path`."""
    target = tmp_path / "codemirror"
    shutil.copytree(EXAMPLE, target, symlinks=True, ignore=shutil.ignore_patterns(".tallyflow"))
    return target


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_example(tmp_path)


@pytest.fixture
def write_spec(project_dir: Path) -> WriteSpec:
    """Write metrics/<name>.yaml into an empty project: the toggle spec, edited by `edit`."""

    def write(edit: Callable[[dict[str, Any]], None] | None = None, name: str = "toggle") -> Path:
        data = toggle_spec()
        if edit is not None:
            edit(data)
        folder = project_dir / "metrics"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return path

    return write


def findings(root: Path, *checks: Check) -> list[Finding]:
    """The closed-loop findings of the project at `root` (of `checks`, or of every check)."""
    project = load_project(root)
    specs = load_specs(project)
    if not checks:
        return crosscheck(project, specs)
    ctx = context(project, specs)
    return [finding for check in checks for finding in check(ctx)]


def replace(path: Path, old: str, new: str) -> None:
    """Edit a file of a test project (the old text must be there)."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
