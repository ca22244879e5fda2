"""Structure rules, per schema title (jsonschema-tools' `lib/tests/structure.js`).

Input: all records of one title, the `ToolsConfig` and a `RefResolver`. Output: `Outcome`s.
These cannot be skipped with `skipSchemaTestCases` (as in jsonschema-tools). Names:
- `structure-same-directory` (R-S1), `structure-directory-is-title` (R-S2),
- `structure-has-current-yaml` (R-S3), `structure-no-extensionless-current` (R-S4),
- `structure-current-exists` (R-S5), `structure-has-materialized-version` (R-S6),
- `structure-current-version-materialized` (R-S7), `structure-latest-matches-current` (R-S8),
- `structure-latest-links` (R-S9), `structure-version-files` (R-S10),
- `structure-content-types-equal` (R-S11).
A failure of R-S2, R-S5 or R-S6 stops the title's structure checks, as in jsonschema-tools.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from tallyflow.errors import SchemaError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.inventory import SchemaFile
from tallyflow.schemas.materialize import materialize_schema
from tallyflow.schemas.rules.outcome import FAILED, PASSED, Outcome

MATERIALIZE_HINT = (
    "edit only current.yaml, bump the version in its $id, then run `tallyflow schemas "
    "materialize`; never edit X.Y.Z.yaml by hand"
)


class _Title:
    """Collects the outcomes of one title."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.outcomes: list[Outcome] = []

    def check(
        self,
        rule: str,
        problems: Sequence[str],
        file: Path | None = None,
        version: str | None = None,
        hint: str | None = None,
    ) -> bool:
        if not problems:
            self.outcomes.append(Outcome(rule, self.title, PASSED, file, version))
        for problem in problems:
            self.outcomes.append(
                Outcome(rule, self.title, FAILED, file, version, message=problem, hint=hint)
            )
        return not problems


def check_structure(
    records: Sequence[SchemaFile], config: ToolsConfig, resolver: RefResolver
) -> list[Outcome]:
    title = records[0].title
    out = _Title(title)
    directories = sorted({record.path.parent for record in records})
    out.check(
        "structure-same-directory",
        []
        if len(directories) == 1
        else [
            f"files in {len(directories)} directories: " + ", ".join(str(d) for d in directories)
        ],
    )
    directory = records[0].path.parent
    relative = _relative(directory, config.root)
    wrong = [r for r in records if _relative(r.path.parent, config.root) != title]
    if not out.check(
        "structure-directory-is-title",
        [
            f"{r.path} has title {title!r} but lives in {_relative(r.path.parent, config.root)!r}"
            for r in wrong
        ],
        hint="move the schema to <root>/<title>/ or fix its title",
    ):
        return out.outcomes
    out.check(
        "structure-has-current-yaml",
        [] if (directory / "current.yaml").is_file() else [f"{relative}/current.yaml is missing"],
    )
    out.check(
        "structure-no-extensionless-current",
        [f"{relative}/current must not exist"] if os.path.lexists(directory / "current") else [],
    )
    currents = [r for r in records if r.current]
    if not out.check(
        "structure-current-exists",
        [] if currents else [f"{relative}/{config.current_file_name} is missing"],
    ):
        return out.outcomes
    current = currents[0]
    versioned = [r for r in records if not r.current and r.content_type == config.primary_type]
    if not out.check(
        "structure-has-materialized-version",
        [] if versioned else [f"no materialized {config.primary_type} version in {relative}"],
        hint=MATERIALIZE_HINT,
    ):
        return out.outcomes
    latest = max(versioned, key=lambda r: r.version)
    expected = directory / f"{current.version}.{config.primary_type}"
    out.check(
        "structure-current-version-materialized",
        []
        if latest.path == expected and expected.is_file()
        else [
            f"current.yaml is version {current.version} but the latest materialized file is "
            f"{latest.path.name}"
        ],
        current.path,
        str(current.version),
        hint=MATERIALIZE_HINT,
    )
    problems, hint = _latest_matches_current(current, latest, config, resolver)
    out.check("structure-latest-matches-current", problems, latest.path, str(latest.version), hint)
    if config.should_symlink_latest:
        out.check("structure-latest-links", _latest_links(directory, latest, config))
    for version_records in _by_version(records):
        out.check(
            "structure-version-files",
            list(_version_files(version_records, directory, title, config)),
            version=str(version_records[0].version),
        )
        out.check(
            "structure-content-types-equal",
            _content_types_equal(version_records, config),
            version=str(version_records[0].version),
        )
    return out.outcomes


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _latest_matches_current(
    current: SchemaFile, latest: SchemaFile, config: ToolsConfig, resolver: RefResolver
) -> tuple[list[str], str | None]:
    if current.version != latest.version:
        return [f"current.yaml is {current.version}, latest is {latest.version}"], MATERIALIZE_HINT
    try:
        materialized = materialize_schema(current.schema, current.path, config, resolver)
    except SchemaError as error:
        return [f"current.yaml cannot be materialized: {error.message}"], error.hint
    if materialized != latest.schema:
        where = _first_difference(materialized, latest.schema, "")
        return [
            f"{latest.path.name} differs from what current.yaml materializes to (first at "
            f"{where or '.'}): current.yaml was edited without a version bump, or "
            f"{latest.path.name} was edited by hand"
        ], MATERIALIZE_HINT
    return [], None


def _first_difference(a: object, b: object, path: str) -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                return f"{path}.{key}"
            found = _first_difference(a[key], b[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if a == b else path


def _latest_links(directory: Path, latest: SchemaFile, config: ToolsConfig) -> list[str]:
    names = [f"latest.{config.primary_type}"]
    if config.should_symlink_extensionless:
        names.append("latest")
    expected = (directory / f"{latest.version}.{config.primary_type}").resolve()
    problems = []
    for name in names:
        link = directory / name
        if not link.is_symlink():
            problems.append(f"{name} is missing or not a symlink (should point to {expected.name})")
        elif link.resolve() != expected:
            problems.append(f"{name} points to {os.readlink(link)}, not {expected.name}")
    return problems


def _by_version(records: Sequence[SchemaFile]) -> list[list[SchemaFile]]:
    groups: dict[str, list[SchemaFile]] = {}
    for record in records:
        groups.setdefault(str(record.version), []).append(record)
    return list(groups.values())


def _version_files(
    records: Sequence[SchemaFile], directory: Path, title: str, config: ToolsConfig
) -> Iterator[str]:
    version = str(records[0].version)
    for content_type in config.content_types:
        typed = [r for r in records if r.content_type == content_type]
        if not typed:
            yield f"{version}.{content_type} is missing"
            continue
        record = typed[0]
        if content_type == config.primary_type and config.should_symlink_extensionless:
            link = directory / version
            if not link.is_symlink() or os.readlink(link) != f"{version}.{content_type}":
                yield f"{version} must be a symlink to {version}.{content_type}"
        if record.title != title:
            yield f"{record.path.name} has title {record.title!r}, not {title!r}"
        if record.schema_id.lstrip("/") not in _relative(record.path, config.root):
            yield f"{record.path.name}: $id {record.schema_id!r} does not match its path"


def _content_types_equal(records: Sequence[SchemaFile], config: ToolsConfig) -> list[str]:
    versioned = [r for r in records if not r.current]
    primary = [r for r in versioned if r.content_type == config.primary_type]
    first = primary[0] if primary else (versioned[0] if versioned else None)
    return [
        f"{r.path.name} differs from {first.path.name}"
        for r in versioned
        if first is not None and r is not first and r.schema != first.schema
    ]
