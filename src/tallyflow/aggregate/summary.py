"""What a report run did (aggregate stage: interval outcomes in, counts per report out), for the
CLI's summary table and exit status."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReportSummary:
    key: str
    variants: int = 0
    computed: int = 0
    empty: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)


@dataclass
class RunSummary:
    reports: dict[str, ReportSummary] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)
    graphite_sent: int = 0
    graphite_pending: int = 0
    locked: bool = False

    @property
    def failed(self) -> bool:
        return any(report.failed for report in self.reports.values())

    def report(self, key: str) -> ReportSummary:
        return self.reports.setdefault(key, ReportSummary(key))
