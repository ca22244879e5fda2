"""A new project from the bundled example (`tallyflow init DIR`).

Input: a target folder (new or empty). Output: a copy of the example project (spec, schemas,
streams, report folders, dashboards), without any store. A wheel carries the example as
`tallyflow/bundled_example` (copied there by setup.py); a source checkout uses
`examples/codemirror` directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tallyflow.errors import TallyflowError, UsageError
from tallyflow.project import PROJECT_FILE

BUNDLED = Path(__file__).parent / "bundled_example"
CHECKOUT = Path(__file__).parents[2] / "examples" / "codemirror"
_IGNORE = shutil.ignore_patterns(".tallyflow", "__pycache__", "*.pyc")


def example_source() -> Path:
    """The example project this installation carries."""
    for candidate in (BUNDLED, CHECKOUT):
        if (candidate / PROJECT_FILE).is_file():
            return candidate
    raise TallyflowError(
        f"the bundled example project is missing ({BUNDLED})",
        hint="reinstall tallyflow from its wheel or source checkout",
    )


def create_project(directory: Path) -> Path:
    """Copy the example into `directory` (created if needed; refused if not empty)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is a file, not a folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise UsageError(
            f"{directory} is not empty; init writes a new project into a new or empty folder only",
            hint="choose another folder, e.g. `tallyflow init my-analytics`",
        )
    shutil.copytree(example_source(), directory, ignore=_IGNORE, dirs_exist_ok=True)
    return directory
