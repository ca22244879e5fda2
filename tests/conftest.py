"""Shared fixtures: a temporary project, the fixture schema repository."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_unless_ci(reason: str) -> None:
    """Skip on a laptop that lacks a service; in CI a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """An empty project: a tallyflow.yaml with defaults only."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "tallyflow.yaml").write_text("# defaults\n")
    return root


@pytest.fixture
def schema_repo(tmp_path: Path) -> Path:
    """A copy of the Wikimedia schema fixtures (symlinks kept)."""
    target = tmp_path / "schemas"
    shutil.copytree(FIXTURES / "schemas", target, symlinks=True)
    return target
