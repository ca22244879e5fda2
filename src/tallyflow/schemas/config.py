"""The schema repository's options: jsonschema-tools' `.jsonschema-tools.yaml`.

Inputs: a schema root (one of tallyflow.yaml's `schemas.base_paths`), the project directory,
and command-line overrides. Output: a frozen `ToolsConfig`.

Precedence, lowest first (as jsonschema-tools' `readConfig`): built-in defaults, then each config
file in order (`<project>/.jsonschema-tools.yaml`, then `<root>/.jsonschema-tools.yaml`, or the
files given with `--config`), then command-line options. Each source sets only the keys it names.
Relative `schemaBaseUris` are resolved against the directory of the file that names them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tallyflow.errors import ConfigError
from tallyflow.yamlfile import load_yaml

CONFIG_NAME = ".jsonschema-tools.yaml"
MAX_SAFE_INTEGER = 9007199254740991

# Accepted for compatibility with existing files; they configure jsonschema-tools' logging, its
# git-diff command and its materialize-modified command (tallyflow's `--staged` flag instead).
_IGNORED_KEYS = frozenset({"logLevel", "diffCommand", "gitDiffCommit", "configPaths", "gitStaged"})


@dataclass(frozen=True)
class ToolsConfig:
    """Every option tallyflow honours, with jsonschema-tools' defaults."""

    root: Path
    schema_base_uris: tuple[str, ...]
    content_types: tuple[str, ...] = ("yaml", "json")
    current_name: str = "current"
    schema_version_field: str = "$id"
    schema_title_field: str = "title"
    should_dereference: bool = True
    should_symlink_extensionless: bool = True
    should_symlink_latest: bool = True
    should_generate_example: bool = False
    enforced_numeric_bounds: tuple[int | float, int | float] | None = (
        -MAX_SAFE_INTEGER,
        MAX_SAFE_INTEGER,
    )
    ignore_schemas: tuple[str, ...] = ()
    skip_schema_test_cases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dry_run: bool = False
    should_git_add: bool = True
    sources: tuple[Path, ...] = ()

    @property
    def primary_type(self) -> str:
        return self.content_types[0]

    @property
    def current_file_name(self) -> str:
        """`current` + `.<contentTypes[0]>` unless the name already has an extension."""
        if "." in self.current_name:
            return self.current_name
        return f"{self.current_name}.{self.primary_type}"

    def skips(self, schema_id: str, test_case: str) -> bool:
        """Whether `skipSchemaTestCases` skips `test_case` for the schema with this `$id`."""
        return any(
            test_case in cases and re.search(pattern, schema_id)
            for pattern, cases in self.skip_schema_test_cases.items()
        )

    def ignored(self, schema_id: str) -> bool:
        return any(re.search(pattern, schema_id) for pattern in self.ignore_schemas)


_KEYS: dict[str, str] = {
    "contentTypes": "content_types",
    "currentName": "current_name",
    "schemaVersionField": "schema_version_field",
    "schemaTitleField": "schema_title_field",
    "shouldDereference": "should_dereference",
    "shouldSymlinkExtensionless": "should_symlink_extensionless",
    "shouldSymlinkLatest": "should_symlink_latest",
    "shouldGenerateExample": "should_generate_example",
    "enforcedNumericBounds": "enforced_numeric_bounds",
    "ignoreSchemas": "ignore_schemas",
    "skipSchemaTestCases": "skip_schema_test_cases",
    "schemaBaseUris": "schema_base_uris",
    "dryRun": "dry_run",
    "shouldGitAdd": "should_git_add",
}
_BOOLEANS = {
    "should_dereference",
    "should_symlink_extensionless",
    "should_symlink_latest",
    "should_generate_example",
    "dry_run",
    "should_git_add",
}
_STRINGS = {"current_name", "schema_version_field", "schema_title_field"}


def config_files(root: Path, project_root: Path) -> list[Path]:
    """The default config files for a root, in precedence order (existing ones only)."""
    candidates = [project_root / CONFIG_NAME, root / CONFIG_NAME]
    found: list[Path] = []
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve() not in [p.resolve() for p in found]:
            found.append(candidate)
    return found


def load_config(
    root: Path,
    *,
    project_root: Path,
    extra_roots: Sequence[Path] = (),
    files: Sequence[Path] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> ToolsConfig:
    """Defaults < config files < `overrides` (already in ToolsConfig field names)."""
    root = root.resolve()
    config = ToolsConfig(root=root, schema_base_uris=tuple(str(r) for r in (root, *extra_roots)))
    chosen = config_files(root, project_root) if files is None else list(files)
    for path in chosen:
        config = _apply_file(config, path)
    if overrides:
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if not config.content_types or any(ct not in ("yaml", "json") for ct in config.content_types):
        raise ConfigError(
            f"contentTypes must be a non-empty list of yaml and/or json, not "
            f"{list(config.content_types)}",
            hint="write e.g. `contentTypes: [yaml]`",
        )
    return config


def _apply_file(config: ToolsConfig, path: Path) -> ToolsConfig:
    data, locations = load_yaml(path)
    if data is None:
        return config
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of jsonschema-tools options")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        where = locations.where((key,))
        if key in _IGNORED_KEYS:
            continue
        if key == "schemaBasePath":
            _check_base_path(config.root, path.parent, value, where)
            continue
        name = _KEYS.get(str(key))
        if name is None:
            close = difflib.get_close_matches(str(key), [*_KEYS, "schemaBasePath"], n=1)
            raise ConfigError(
                f"{where}: unknown jsonschema-tools option {key!r}",
                hint=f"did you mean {close[0]!r}?" if close else "see docs/schemas.md",
            )
        changes[name] = _coerce(name, value, where, path.parent)
    return replace(config, sources=(*config.sources, path), **changes)


def _check_base_path(root: Path, base: Path, value: Any, where: str) -> None:
    if not isinstance(value, str) or (base / value).resolve() != root:
        raise ConfigError(
            f"{where}: schemaBasePath {value!r} is not the schema root {root}",
            hint="tallyflow scans the roots in tallyflow.yaml `schemas.base_paths`; "
            "set them there or remove schemaBasePath",
        )


def _coerce(name: str, value: Any, where: str, base: Path) -> Any:
    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{where}: {name} must be {expected}, not {value!r}")

    if name in _BOOLEANS:
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if name in _STRINGS:
        if not isinstance(value, str) or not value:
            raise bad("a non-empty string")
        return value
    if name == "enforced_numeric_bounds":
        if value is False or value is None:
            return None
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            raise bad("a list [min, max] of two numbers, or false")
        return (value[0], value[1])
    if name == "skip_schema_test_cases":
        if not isinstance(value, dict) or not all(
            isinstance(cases, list) and all(isinstance(c, str) for c in cases)
            for cases in value.values()
        ):
            raise bad("a mapping from $id regex to a list of test-case names")
        for pattern in value:
            _check_regex(str(pattern), where)
        return {str(pattern): tuple(cases) for pattern, cases in value.items()}
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad("a list of strings")
    if name == "ignore_schemas":
        for pattern in value:
            _check_regex(pattern, where)
    if name == "schema_base_uris":
        return tuple(resolve_base_uri(item, base) for item in value)
    return tuple(value)


def resolve_base_uri(uri: str, base: Path) -> str:
    """A URL stays as it is; a path becomes absolute against `base`."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", uri, re.IGNORECASE):
        return uri
    return str((base / uri).resolve())


def _check_regex(pattern: str, where: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ConfigError(
            f"{where}: {pattern!r} is not a valid regular expression: {error}"
        ) from None
