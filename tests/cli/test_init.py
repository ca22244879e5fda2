"""`tallyflow init DIR`: the example project copied into a new or empty folder, from a source
checkout and from an installed wheel (setup.py bundles the example)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tallyflow
from tallyflow.project import load_project
from tests.conftest import skip_unless_ci

REPO = Path(__file__).parents[2]
ENV = {**os.environ, "PYTHONPATH": str(Path(tallyflow.__file__).parents[1])}
EXPECTED = [
    "tallyflow.yaml",
    "streams.yaml",
    "metrics/codemirror-toggle.yaml",
    "schemas/analytics/codemirror/toggle/current.yaml",
    "reports/codemirror/config.yaml",
    "reports/codemirror/toggles.hql",
    "dashboards/codemirror-toggle.json",
    ".gitignore",
]


def _init(target: Path, env: dict[str, str] = ENV) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tallyflow", "init", str(target)],
        env=env, capture_output=True, text=True, timeout=60, cwd=target.parent,
    )  # fmt: skip


@pytest.mark.parametrize("exists", [True, False])
def test_init_copies_the_example_and_says_what_to_run(tmp_path: Path, exists: bool) -> None:
    target = tmp_path / "my-analytics"
    if exists:
        target.mkdir()
    result = _init(target)
    assert result.returncode == 0, result.stderr
    assert all((target / name).is_file() for name in EXPECTED)
    assert not (target / ".tallyflow").exists()
    assert f"cd {target} && tallyflow up --traffic" in result.stdout
    assert load_project(target).settings.reports == "reports"


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = _init(target)
    assert result.returncode == 2
    assert f"{target} is not empty" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


@pytest.mark.slow
def test_init_works_from_an_installed_wheel(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(REPO / name, source / name)
    ignore = shutil.ignore_patterns(".tallyflow", "__pycache__", "*.egg-info", "bundled_example")
    shutil.copytree(REPO / "src", source / "src", ignore=ignore)
    shutil.copytree(
        REPO / "examples" / "codemirror", source / "examples" / "codemirror", ignore=ignore
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if built.returncode != 0 and "setuptools" in built.stderr and "Could not" in built.stderr:
        skip_unless_ci(f"the build backend could not be fetched: {built.stderr[-300:]}")
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("tallyflow-*.whl"))
    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    assert (site / "tallyflow" / "bundled_example" / "tallyflow.yaml").is_file()
    target = tmp_path / "fresh"
    result = _init(target, {**os.environ, "PYTHONPATH": str(site)})
    assert result.returncode == 0, result.stderr
    assert all((target / name).is_file() for name in EXPECTED)
