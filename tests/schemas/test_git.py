"""The pre-commit hook in a real temporary git repository: a commit that bumps a schema gets its
materialized files added; a commit with a breaking change is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tallyflow.errors import SchemaError, UsageError
from tallyflow.schemas.documents import read_document
from tallyflow.schemas.git import HOOK_MARKER, install_hook, staged_files
from tests.conftest import FIXTURES
from tests.schemas.conftest import event_of

SRC = Path(__file__).resolve().parents[2] / "src"
TITLE = "analytics/legacy/referencepreviewspopups"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.fail("git is required for the hook tests")
    root = tmp_path / "repo"
    project = root / "analytics"
    project.mkdir(parents=True)
    (project / "tallyflow.yaml").write_text("schemas:\n  base_paths: [schemas]\n")
    shutil.copytree(FIXTURES / "schemas", project / "schemas", symlinks=True)
    # The fixture config finds the primary fragments in ../schemas-primary, as vendored.
    shutil.copytree(FIXTURES / "schemas-primary", project / "schemas-primary", symlinks=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "schemas")
    return root


def _edit_current(repo: Path, version: str, enum_value: str | None, drop: str | None) -> Path:
    current = repo / "analytics/schemas" / TITLE / "current.yaml"
    text = current.read_text()
    schema = read_document(current)
    action = event_of(schema)["properties"]["action"]
    if enum_value:
        text = text.replace(
            "- anonymousDisabled", f"- anonymousDisabled\n              - {enum_value}"
        )
    if drop:
        assert drop in action["enum"]
        text = text.replace(f"- {drop}\n", "", 1)
    current.write_text(text.replace(f"/{TITLE}/1.2.0", f"/{TITLE}/{version}"))
    assert read_document(current)["$id"].endswith(version)
    return current


def test_install_hook_writes_an_executable_hook(repo: Path) -> None:
    hook = install_hook(repo / "analytics")
    assert hook == repo / ".git/hooks/pre-commit"
    assert os.access(hook, os.X_OK)
    text = hook.read_text()
    assert HOOK_MARKER in text and "-p analytics" in text
    assert "schemas materialize --staged" in text and "schemas test --staged" in text
    install_hook(repo / "analytics")  # its own hook may be rewritten


def test_someone_elses_hook_is_kept_unless_forced(repo: Path) -> None:
    hook = repo / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    with pytest.raises(SchemaError, match="not written by tallyflow"):
        install_hook(repo / "analytics")
    install_hook(repo / "analytics", force=True)
    assert HOOK_MARKER in hook.read_text()


def test_commit_of_a_compatible_change_adds_the_materialized_files(repo: Path) -> None:
    install_hook(repo / "analytics")
    current = _edit_current(repo, "1.3.0", enum_value="closed", drop=None)
    git(repo, "add", str(current))
    assert staged_files(repo) == [current]
    done = git(repo, "commit", "-q", "-m", "popups: add closed", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").stdout.split()
    directory = f"analytics/schemas/{TITLE}"
    assert {
        f"{directory}/{name}"
        for name in ("current.yaml", "1.3.0.yaml", "1.3.0", "latest", "latest.yaml")
    } <= set(committed)
    assert git(repo, "status", "--porcelain").stdout == ""
    assert "closed" in (repo / directory / "latest.yaml").read_text()


def test_commit_of_a_breaking_change_is_refused(repo: Path) -> None:
    install_hook(repo / "analytics")
    current = _edit_current(repo, "1.3.0", enum_value=None, drop="scrolled")
    git(repo, "add", str(current))
    done = git(repo, "commit", "-q", "-m", "popups: drop scrolled", check=False)
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert f"{TITLE} 1.2.0 → 1.3.0: schema-version-compatibility at " in output
    assert "value 'scrolled' removed" in output
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"


def test_install_hook_outside_a_git_work_tree_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a git repository") as raised:
        install_hook(tmp_path)
    assert raised.value.exit_code == 2 and "git work tree" in (raised.value.hint or "")
