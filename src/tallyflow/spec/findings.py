"""Findings: what `spec check` and `tallyflow check` report, each with a place and a fix.

A finding is an `error` (the command exits 1) or a `warning` (printed, exit 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    rule: str
    """Short rule name, e.g. `sunset-passed`."""
    where: str
    """`file:line`."""
    message: str
    fix: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity} [{self.rule}] {self.message}\n    fix: {self.fix}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
