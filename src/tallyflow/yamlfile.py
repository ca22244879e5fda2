"""YAML reading that remembers where each key came from, so errors can say `file:line`.

`load_yaml` returns plain Python data plus a `Locations` map from key paths to line numbers.
Every YAML file tallyflow reads (tallyflow.yaml, streams.yaml, metric specs, report configs)
goes through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tallyflow.errors import ConfigError

KeyPath = tuple[str | int, ...]


@dataclass
class Locations:
    """Line numbers (1-based) of the keys and items of one YAML document."""

    path: Path
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, key_path: KeyPath) -> int | None:
        """The line of `key_path`, or of its closest ancestor that has one."""
        probe = tuple(key_path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), None)

    def where(self, key_path: KeyPath) -> str:
        """`file:line` for messages."""
        line = self.line(key_path)
        return f"{self.path}:{line}" if line else str(self.path)


class _Loader(yaml.SafeLoader):
    """SafeLoader; YAML 1.1 booleans kept as YAML defines them (yes/no are booleans)."""


def _to_python(node: yaml.Node, key_path: KeyPath, locations: Locations, loader: _Loader) -> Any:
    locations.lines.setdefault(key_path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise ConfigError(
                    f"{locations.path}:{key_node.start_mark.line + 1}: a mapping key must be a "
                    "plain value, not a list or a mapping"
                )
            child = (*key_path, key if isinstance(key, str | int) else str(key))
            locations.lines[child] = key_node.start_mark.line + 1
            result[key] = _to_python(value_node, child, locations, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*key_path, index), locations, loader)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, path: Path) -> tuple[Any, Locations]:
    """Parse YAML text read from `path`; errors name the file and line."""
    locations = Locations(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, locations
        return _to_python(node, (), locations, loader), locations
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(
            f"{where}: not valid YAML: {error.problem}",
            hint="fix the syntax at that line (indentation, a missing colon, an unclosed quote)",
        ) from None
    finally:
        loader.dispose()


def load_yaml(path: Path) -> tuple[Any, Locations]:
    """Read and parse a YAML (or JSON) file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    return parse_yaml(text, path)
