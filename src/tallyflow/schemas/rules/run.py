"""Running every rule over a schema repository, as jsonschema-tools' `tests.all` does.

Input: a `ToolsConfig`, a `RefResolver`, and optionally the titles to check. Output: a
`RuleReport` with structure outcomes per title, robustness outcomes per file, and
compatibility outcomes per pair of versions, in that order.
"""

from __future__ import annotations

from collections.abc import Collection

from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.inventory import by_title, find_schema_files
from tallyflow.schemas.rules.compatibility import check_compatibility
from tallyflow.schemas.rules.outcome import RuleReport
from tallyflow.schemas.rules.robustness import check_robustness
from tallyflow.schemas.rules.structure import check_structure


def run_rules(
    config: ToolsConfig,
    resolver: RefResolver,
    titles: Collection[str] | None = None,
    report: RuleReport | None = None,
) -> RuleReport:
    """Structure, robustness and compatibility rules for every (or each selected) title."""
    report = report if report is not None else RuleReport()
    groups = by_title(find_schema_files(config))
    if titles is not None:
        groups = {title: records for title, records in groups.items() if title in titles}
    for records in groups.values():
        for outcome in check_structure(records, config, resolver):
            report.add(outcome)
    for records in groups.values():
        for record in records:
            for outcome in check_robustness(record, config):
                report.add(outcome)
    for records in groups.values():
        for outcome in check_compatibility(records, config):
            report.add(outcome)
    return report
