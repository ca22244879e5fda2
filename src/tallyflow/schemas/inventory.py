"""The files of a schema repository, as jsonschema-tools' `findSchemaPaths` sees them.

Input: a `ToolsConfig` (its root and content types). Output: `SchemaFile` records, one per
`current.<ct>` or `X.Y.Z.<ct>` file, sorted like `schemaInfoCompare` (titles containing `common`
first, then shallower paths, then by version, non-current before current). `latest.yaml`, the
extensionless links and anything else are never schema files.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tallyflow.errors import SchemaError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.documents import read_document
from tallyflow.schemas.versions import Version, parse_strict, version_of_id


@dataclass(frozen=True)
class SchemaFile:
    """One schema file and what its content says about it."""

    path: Path
    title: str
    version: Version
    current: bool
    content_type: str
    schema: Any

    @property
    def schema_id(self) -> str:
        value = self.schema.get("$id") if isinstance(self.schema, dict) else None
        return value if isinstance(value, str) else ""


def field_at(document: Any, dotted: str) -> Any:
    """lodash `_.get(document, dotted)` for the version and title fields."""
    value = document
    for part in dotted.split(".") if dotted != "$id" else ["$id"]:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def is_schema_file_name(path: Path, config: ToolsConfig) -> bool:
    """Kept if its extension is a content type and it is current or its stem is semver."""
    extension = path.suffix[1:]
    if extension not in config.content_types:
        return False
    return path.name == config.current_file_name or parse_strict(path.stem) is not None


def load_schema_file(path: Path, config: ToolsConfig) -> SchemaFile:
    """Read one schema file into a record; a missing title or version is an error."""
    schema = read_document(path)
    if not isinstance(schema, dict):
        raise SchemaError(f"{path}: a schema must be a mapping, not {type(schema).__name__}")
    title = field_at(schema, config.schema_title_field)
    raw_version = field_at(schema, config.schema_version_field)
    version = version_of_id(raw_version) if isinstance(raw_version, str) else None
    if not isinstance(title, str) or version is None:
        missing = config.schema_title_field if not isinstance(title, str) else "a version"
        raise SchemaError(
            f"{path}: the schema has no {missing} "
            f"({config.schema_title_field!r} and {config.schema_version_field!r} are read)",
            hint="set `title: <path/of/the/schema>` and `$id: /<title>/<X.Y.Z>`",
        )
    return SchemaFile(
        path=path,
        title=title,
        version=version,
        current=path.name == config.current_file_name,
        content_type=path.suffix[1:],
        schema=schema,
    )


_SKIPPED_DIRECTORIES = frozenset({".git", "node_modules"})


def walk_files(directory: Path) -> list[Path]:
    """Every file under `directory`, sorted, skipping `.git` and `node_modules`."""
    found: list[Path] = []
    for parent, directories, files in os.walk(directory):
        directories[:] = [d for d in directories if d not in _SKIPPED_DIRECTORIES]
        found.extend(Path(parent) / name for name in files)
    return sorted(found)


def find_schema_files(config: ToolsConfig) -> list[SchemaFile]:
    """Every schema file under the root, minus `ignoreSchemas`, sorted as jsonschema-tools."""
    paths = [
        path
        for path in walk_files(config.root)
        if is_schema_file_name(path, config) and path.is_file()
    ]
    records = [load_schema_file(path, config) for path in paths]
    records = [record for record in records if not config.ignored(record.schema_id)]
    return sort_records(records)


def sort_records(records: Iterable[SchemaFile]) -> list[SchemaFile]:
    return sorted(
        records,
        key=lambda r: (
            "common" not in r.title,
            len(r.path.parts),
            r.version,
            r.current,
        ),
    )


def by_title(records: Iterable[SchemaFile]) -> dict[str, list[SchemaFile]]:
    """Records grouped by title, each group in sorted order."""
    groups: dict[str, list[SchemaFile]] = defaultdict(list)
    for record in sort_records(records):
        groups[record.title].append(record)
    return dict(groups)
