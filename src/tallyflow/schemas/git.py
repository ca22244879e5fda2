"""Git integration: staged schema files, `git add` of generated files, and the pre-commit hook.

Inputs: a directory inside a git work tree. Outputs: staged paths (absolute), side effects on
the index, and `.git/hooks/pre-commit` (or wherever `core.hooksPath` points). The hook runs
`tallyflow schemas materialize --staged` (which git-adds what it writes, as jsonschema-tools'
`materialize-modified --staged` does) and then `tallyflow schemas test --staged`.
"""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tallyflow.errors import SchemaError, UsageError

HOOK_MARKER = "# tallyflow schemas pre-commit hook"


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed", hint="install git to use --staged") from None
    if done.returncode != 0:
        raise UsageError(
            f"`git {' '.join(args)}` failed in {cwd}: {done.stderr.strip()}",
            hint="run this inside a git work tree",
        )
    return done.stdout


def top_level(directory: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], directory).strip()).resolve()


def staged_files(directory: Path) -> list[Path]:
    """Files added, copied or modified in the index (`git diff --cached --diff-filter=ACM`)."""
    top = top_level(directory)
    out = _git(["diff", "--cached", "--name-only", "--diff-filter=ACM", "-z"], top)
    return [top / name for name in out.split("\0") if name]


def git_add(paths: Sequence[Path], directory: Path) -> None:
    if paths:
        _git(["add", "--", *(str(path) for path in paths)], top_level(directory))


def hook_script(project_dir: Path, top: Path, python: str = sys.executable) -> str:
    """The pre-commit hook's text for a project inside the work tree at `top`."""
    project = os.path.relpath(project_dir.resolve(), top) or "."
    command = f"{shlex.quote(python)} -m tallyflow"
    return f"""#!/bin/sh
{HOOK_MARKER} (installed by `tallyflow schemas install-hook`).
# Materializes staged current.yaml files, stages what that writes, then runs the schema rules
# on the schemas this commit touches. Skip it once with `git commit --no-verify`.
unset GIT_DIR
cd "$(git rev-parse --show-toplevel)" || exit 1
TALLYFLOW="${{TALLYFLOW:-{command}}}"
$TALLYFLOW schemas materialize --staged -p {shlex.quote(project)} || exit $?
exec $TALLYFLOW schemas test --staged -p {shlex.quote(project)}
"""


def install_hook(project_dir: Path, *, force: bool = False) -> Path:
    """Write the pre-commit hook; refuse to replace someone else's hook unless `force`."""
    top = top_level(project_dir)
    hook = Path(_git(["rev-parse", "--git-path", "hooks/pre-commit"], top).strip())
    hook = hook if hook.is_absolute() else top / hook
    if hook.exists() and not force and HOOK_MARKER not in hook.read_text(errors="replace"):
        raise SchemaError(
            f"{hook} already exists and was not written by tallyflow",
            hint="merge it by hand, or pass --force to replace it",
        )
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(hook_script(project_dir, top), encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return hook
