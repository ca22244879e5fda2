"""Materialization: from a `current.yaml` to the versioned files of a schema directory.

Input: a current schema file and a `ToolsConfig`. Output: `<version>.<ct>` for each content type,
the extensionless `<version>` link (primary type), and the `latest.<ct>` / `latest` links.
Steps, as jsonschema-tools' `materializeSchema` / `materializeSchemaToPath`:
1. dereference `$ref`s and merge `allOf` (if `shouldDereference`); examples pulled in from
   fragments are dropped unless the schema itself has `examples`;
2. fill in missing `minimum`/`maximum` of every number/integer node with `enforcedNumericBounds`
   (existing bounds are kept, not clamped);
3. generate an example if `shouldGenerateExample` and the schema has none;
4. write each content type with jsonschema-tools' key order;
5. point `latest.<ct>` (and `latest`) at the new file when it is missing or its version is not
   newer than the new one.
`materialize_files` runs several current files in order and retries those whose `$ref` names a
fragment version that a later one writes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tallyflow.errors import SchemaError
from tallyflow.schemas.config import ToolsConfig
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.documents import dump_document, read_document
from tallyflow.schemas.example import generate_example
from tallyflow.schemas.inventory import SchemaFile, load_schema_file
from tallyflow.schemas.merge import merge_all_of
from tallyflow.schemas.versions import parse_strict, version_of_id

_SUBSCHEMA_MAPS = ("properties", "patternProperties", "definitions", "dependencies")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "items")
_SUBSCHEMAS = ("items", "additionalProperties", "additionalItems", "contains", "not")


def materialize_schema(
    schema: dict[str, Any], source: Path, config: ToolsConfig, resolver: RefResolver
) -> dict[str, Any]:
    """The materialized form of a current schema (steps 1-3)."""
    result: Any = schema
    if config.should_dereference:
        result = merge_all_of(resolver.dereference(schema, source))
        if "examples" not in schema and isinstance(result, dict):
            result.pop("examples", None)
    if not isinstance(result, dict):
        raise SchemaError(f"{source}: the schema does not materialize to a mapping")
    if config.enforced_numeric_bounds is not None:
        enforce_numeric_bounds(result, config.enforced_numeric_bounds)
    if config.should_generate_example and "examples" not in result:
        result["examples"] = [generate_example(result)]
    return result


def enforce_numeric_bounds(node: Any, bounds: tuple[int | float, int | float]) -> None:
    """Fill in missing `minimum`/`maximum` on every number/integer node, in place."""
    if isinstance(node, list):
        for item in node:
            enforce_numeric_bounds(item, bounds)
        return
    if not isinstance(node, dict):
        return
    kinds = node.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "number" in kinds or "integer" in kinds:
        node.setdefault("minimum", bounds[0])
        node.setdefault("maximum", bounds[1])
    for key in _SUBSCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            for sub in node[key].values():
                enforce_numeric_bounds(sub, bounds)
    for key in (*_SUBSCHEMA_LISTS, *_SUBSCHEMAS):
        if isinstance(node.get(key), dict | list):
            enforce_numeric_bounds(node[key], bounds)


@dataclass
class Materialized:
    """What materializing one current file wrote (or would write, in a dry run)."""

    source: Path
    root: Path
    schema_id: str
    dry_run: bool
    files: list[Path] = field(default_factory=list)
    links: list[tuple[Path, str]] = field(default_factory=list)


def materialize_file(
    current: Path, config: ToolsConfig, resolver: RefResolver, *, dry_run: bool = False
) -> Materialized:
    """Write the versioned files and links for one current file."""
    record = load_schema_file(current, config)
    schema = materialize_schema(record.schema, current, config, resolver)
    directory = current.parent
    version = str(record.version)
    dry_run = dry_run or config.dry_run
    done = Materialized(current, config.root, record.schema_id, dry_run)
    for content_type in config.content_types:
        target = directory / f"{version}.{content_type}"
        done.files.append(target)
        if not dry_run:
            target.write_text(dump_document(schema, content_type), encoding="utf-8")
        if config.should_symlink_latest and _should_point_latest(
            directory / f"latest.{content_type}", record
        ):
            done.links.append((directory / f"latest.{content_type}", target.name))
            if content_type == config.primary_type and config.should_symlink_extensionless:
                done.links.append((directory / "latest", target.name))
        if content_type == config.primary_type and config.should_symlink_extensionless:
            done.links.append((directory / version, target.name))
    if not dry_run:
        for link, target_name in done.links:
            replace_symlink(link, target_name)
    return done


def _should_point_latest(link: Path, record: SchemaFile) -> bool:
    if not link.exists():
        return True
    try:
        pointed = read_document(link)
    except SchemaError:
        return True
    pointed_id = pointed.get("$id") if isinstance(pointed, dict) else None
    pointed_version = version_of_id(pointed_id) if isinstance(pointed_id, str) else None
    if pointed_version is None:
        pointed_version = parse_strict(Path(os.readlink(link)).stem) if link.is_symlink() else None
    return pointed_version is None or record.version >= pointed_version


def replace_symlink(link: Path, target_name: str) -> None:
    """(Re)create `link` as a relative symlink to `target_name` in the same directory."""
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target_name)


def materialize_files(
    jobs: Sequence[tuple[ToolsConfig, Path]], *, dry_run: bool = False
) -> tuple[list[Materialized], list[SchemaError]]:
    """Materialize each (config, current file), in order. A schema may `$ref` a fragment
    version that a later job writes, so failed jobs are retried while a round makes progress.
    Returns what was written and the errors of the jobs that still fail."""
    resolvers: dict[Path, RefResolver] = {}
    results: list[Materialized] = []
    errors: list[SchemaError] = []
    pending = list(jobs)
    while pending:
        errors, failed = [], []
        for config, current in pending:
            resolver = resolvers.setdefault(config.root, RefResolver(config.schema_base_uris))
            try:
                results.append(materialize_file(current, config, resolver, dry_run=dry_run))
            except SchemaError as error:
                errors.append(error)
                failed.append((config, current))
        if len(failed) == len(pending):
            break
        pending = failed
    return results, errors
