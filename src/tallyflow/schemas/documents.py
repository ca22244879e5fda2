"""Schema documents on disk: reading YAML/JSON schema files and writing them back.

Input: a file path (or text). Output: plain JSON values (dict/list/str/int/float/bool/None).
YAML is read with YAML 1.2 scalars, as js-yaml reads it: only `true`/`false` are booleans and
timestamps stay strings, so `2021-01-01T00:00:00Z` in an example is the string a client sends.
Writing sorts keys the way jsonschema-tools does (see `ordered`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from tallyflow.errors import SchemaError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 core-schema booleans and no timestamp type."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

# Keys written first, in this order, at every level (jsonschema-tools' `schemaKeyOrder`).
KEY_ORDER = (
    "title",
    "description",
    "$id",
    "$schema",
    "type",
    "additionalProperties",
    "required",
    "properties",
    "allOf",
    "examples",
)
_RANK = {key: rank for rank, key in enumerate(KEY_ORDER)}


def parse_document(text: str, source: str, content_type: str = "yaml") -> Any:
    """Parse schema text; errors name `source` and the line."""
    try:
        if content_type == "json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader subclass
    except json.JSONDecodeError as error:
        raise SchemaError(f"{source}:{error.lineno}: not valid JSON: {error.msg}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise SchemaError(f"{where}: not valid YAML: {error.problem}") from None


def content_type_of(path: Path) -> str:
    """`json` for *.json files, else `yaml` (extensionless links are read as YAML, a superset)."""
    return "json" if path.suffix == ".json" else "yaml"


def read_document(path: Path) -> Any:
    """Read one schema file (following symlinks)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SchemaError(f"{path}: cannot be read: {error}") from None
    return parse_document(text, str(path), content_type_of(path))


def ordered(value: Any) -> Any:
    """A copy with keys sorted at every level: `KEY_ORDER` first, then alphabetically."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (_RANK.get(key, len(_RANK)), key))
        return {key: ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Close to js-yaml's `dump`: indented block sequences, long or multi-line strings folded,
    strings holding YAML indicators single-quoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_WIDTH = 80
_QUOTE_IF = re.compile(r"[:#,\[\]{}]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value.rstrip("\n") or len(value) > _WIDTH:
        if value == value.strip(" ") and "\t" not in value and "  " not in value:
            style = ">"
    elif _QUOTE_IF.search(value):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_document(value: Any, content_type: str) -> str:
    """Serialize a materialized schema as jsonschema-tools lays it out."""
    value = ordered(value)
    if content_type == "json":
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH)
    return text
