"""The `schema-version-compatibility` rule (jsonschema-tools' `lib/tests/compatibility.js`).

Input: the records of one title and the `ToolsConfig`. Output: one `Outcome` per consecutive
pair of materialized versions (primary content type) within the same major version; the pair
is skipped when `skipSchemaTestCases` matches the newer file's `$id`. A breaking change needs a
new major version, which starts a new chain.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tallyflow.schemas.changes import breaking, compare
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.inventory import SchemaFile
from tallyflow.schemas.rules.outcome import FAILED, PASSED, SKIPPED, Outcome

RULE = "schema-version-compatibility"


def version_pairs(
    records: Sequence[SchemaFile], config: ToolsConfig
) -> Iterator[tuple[SchemaFile, SchemaFile]]:
    """Consecutive (old, new) materialized versions sharing a major version."""
    versioned = [r for r in records if not r.current and r.content_type == config.primary_type]
    versioned.sort(key=lambda r: r.version)
    for old, new in zip(versioned, versioned[1:], strict=False):
        if old.version.major == new.version.major:
            yield old, new


def check_compatibility(records: Sequence[SchemaFile], config: ToolsConfig) -> Iterator[Outcome]:
    for old, new in version_pairs(records, config):
        versions = {"version": str(new.version), "old_version": str(old.version)}
        if config.skips(new.schema_id, RULE):
            yield Outcome(RULE, new.title, SKIPPED, new.path, **versions)
            continue
        problems = breaking(compare(old.schema, new.schema))
        if not problems:
            yield Outcome(RULE, new.title, PASSED, new.path, **versions)
        for change in problems:
            yield Outcome(
                RULE,
                new.title,
                FAILED,
                new.path,
                message=change.summary
                + (" (a tallyflow rule stricter than jsonschema-tools)" if change.strict else ""),
                json_path=change.path,
                hint=_hint(change.kind, old, new),
                **versions,
            )


def _hint(kind: str, old: SchemaFile, new: SchemaFile) -> str:
    major = f"{new.version.major + 1}.0.0"
    instead = {
        "removed-field": "keep the field (say it is deprecated in its description) and add "
        "new fields beside it",
        "new-required": "add the field as optional instead",
        "added-constraint": "leave existing fields as they were; put new rules on new fields",
        "enum-removed": "keep the old enum values (document them as unused)",
    }.get(kind, f"keep what {old.version} had")
    return (
        f"{instead}; or, if the break is intended, publish it as a new major version "
        f"(set $id to /{new.title}/{major} in current.yaml and materialize)"
    )
