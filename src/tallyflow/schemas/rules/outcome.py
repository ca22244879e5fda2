"""What a rule run produces: one `Outcome` per rule per file (or per title / version pair).

Input: nothing (records only). Output: `Outcome` and `RuleReport`, shared by the three rule
modules, the CLI's text and JSON output, and the git hook.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True)
class Outcome:
    """One rule applied to one schema file (or one pair of versions)."""

    rule: str
    title: str
    status: str
    file: Path | None = None
    version: str | None = None
    message: str = ""
    json_path: str = ""
    old_version: str | None = None
    hint: str | None = None

    def describe(self) -> str:
        """`title old → new: rule at path: message` for output and CheckFailed messages."""
        versions = f"{self.old_version} → {self.version}" if self.old_version else self.version
        head = f"{self.title} {versions}" if versions else self.title
        where = f" at {self.json_path}" if self.json_path else ""
        return f"{head}: {self.rule}{where}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["file"] = str(self.file) if self.file else None
        return data


@dataclass
class RuleReport:
    """All outcomes of a run, in the order the rules ran."""

    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == FAILED]
