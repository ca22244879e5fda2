"""`schemas diff OLD NEW`: the change list between two schema versions, with a verdict.

Input: two references, each a file path (a `current.yaml` is materialized first) or a
repository name: `<title>/<X.Y.Z>` (also as a `$id` with a leading `/`), `<title>/latest`, or
`<title>/current`. Output: a `SchemaDiff` with the `Change` list (see `changes`) and a verdict:
`compatible`, or `breaking` (which a new major version is allowed to be).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tallyflow.errors import UsageError
from tallyflow.schemas.changes import Change, breaking, compare
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.inventory import SchemaFile, load_schema_file
from tallyflow.schemas.materialize import materialize_schema
from tallyflow.schemas.workspace import config_for


@dataclass(frozen=True)
class SchemaDiff:
    old: SchemaFile
    new: SchemaFile
    changes: list[Change]

    @property
    def breaking(self) -> list[Change]:
        return breaking(self.changes)

    @property
    def new_major(self) -> bool:
        return self.new.version.major != self.old.version.major

    @property
    def verdict(self) -> str:
        return "breaking" if self.breaking else "compatible"

    def as_json(self) -> dict[str, Any]:
        return {
            "old": {
                "title": self.old.title,
                "version": str(self.old.version),
                "file": str(self.old.path),
            },
            "new": {
                "title": self.new.title,
                "version": str(self.new.version),
                "file": str(self.new.path),
            },
            "verdict": self.verdict,
            "new_major": self.new_major,
            "changes": [
                {
                    "path": c.path,
                    "kind": c.kind,
                    "summary": c.summary,
                    "breaking": c.breaking,
                    "stricter_than_jsonschema_tools": c.strict,
                }
                for c in self.changes
            ],
        }


def locate(reference: str, configs: list[ToolsConfig]) -> Path:
    """The file a diff argument names."""
    given = Path(reference)
    if given.is_file():
        return given
    name = reference.strip("/")
    for config in configs:
        base = config.root / name
        for candidate in (
            base.with_name(config.current_file_name) if base.name == "current" else None,
            base.parent / f"{base.name}.{config.primary_type}",
            base / config.current_file_name,
        ):
            if candidate is not None and candidate.is_file():
                return candidate
    raise UsageError(
        f"no schema file {reference!r}",
        hint="give a file path, or <title>/<X.Y.Z>, <title>/latest or <title>/current",
    )


def load_for_diff(path: Path, configs: list[ToolsConfig]) -> SchemaFile:
    """A schema file, materialized when it is a current file."""
    config = config_for(path, configs)
    record = load_schema_file(path, config)
    if not record.current:
        return record
    resolver = RefResolver(config.schema_base_uris)
    schema = materialize_schema(record.schema, path, config, resolver)
    return SchemaFile(path, record.title, record.version, True, record.content_type, schema)


def diff_schemas(old_ref: str, new_ref: str, configs: list[ToolsConfig]) -> SchemaDiff:
    old = load_for_diff(locate(old_ref, configs), configs)
    new = load_for_diff(locate(new_ref, configs), configs)
    return SchemaDiff(old, new, compare(old.schema, new.schema))
