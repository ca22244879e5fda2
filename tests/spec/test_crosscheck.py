"""The closed loop as a whole: the example agrees, and the checks run in pipeline order."""

from __future__ import annotations

from pathlib import Path

from tallyflow.spec.crosscheck import CHECKS
from tests.spec.conftest import findings


def test_the_example_agrees(example_project: Path) -> None:
    assert findings(example_project) == []


def test_checks_run_from_collection_to_visualization() -> None:
    names = list(CHECKS)
    assert names.index("streams") < names.index("query-columns") < names.index("dashboard-targets")
