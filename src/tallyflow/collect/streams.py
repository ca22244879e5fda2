"""Stream configuration (`streams.yaml`), as Wikimedia's EventStreamConfig describes streams.

A mapping from stream name — or a `/regex/` matched unanchored, as EventGate does — to its
settings. Keys are tried in file order; the first match wins.

    eventlogging_CodeMirrorUsage:
      schema_title: analytics/legacy/codemirrorusage
      sample: {rate: 0.0625, unit: session}
    /^mediawiki\\.client\\..+/:
      schema_title: analytics/mediawiki/client/metrics_event
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tallyflow.errors import ConfigError
from tallyflow.project import describe_validation_error
from tallyflow.schemas.generate.hints import GenerateHints
from tallyflow.yamlfile import Locations, load_yaml


class Sample(BaseModel):
    """Client-side sampling, as the Metrics Platform client reads it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rate: float = Field(ge=0, le=1)
    unit: Literal["session", "pageview", "device"] = "session"


class StreamConfig(BaseModel):
    """Settings of one stream (or of every stream a regex key matches)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_title: str | None = None
    """The `title` every event's schema must have."""
    sample: Sample | None = None
    retention_days: int | None = Field(None, ge=1)
    """Raw partitions older than this are deleted (default: events.retention_days)."""
    producers: dict[str, Any] = Field(default_factory=dict)
    """Producer settings (`eventgate`, `metrics_platform_client`), as in EventStreamConfig."""
    description: str | None = None
    generate: GenerateHints = GenerateHints()
    """How `tallyflow events generate` makes synthetic traffic for the stream (docs/generate.md)."""
    # EventStreamConfig keys accepted so production configs load unchanged; not used here.
    stream: str | None = None
    destination_event_service: str | None = None
    canary_events_enabled: bool | None = None
    topic_prefixes: list[str] | None = None
    topics: list[str] | None = None
    consumers: dict[str, Any] | None = None
    message_key_fields: dict[str, Any] | None = None


@dataclass(frozen=True)
class StreamEntry:
    key: str
    pattern: re.Pattern[str] | None
    config: StreamConfig
    line: int | None

    def matches(self, stream: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(stream) is not None
        return self.key == stream


class Streams:
    """The stream configuration of a project, looked up by stream name."""

    def __init__(self, entries: list[StreamEntry], path: Path | None = None) -> None:
        self.entries = entries
        self.path = path
        self._cache: dict[str, StreamConfig | None] = {}

    def lookup(self, stream: str) -> StreamConfig | None:
        """The config of the first key matching `stream`, or None if it is not configured."""
        try:
            return self._cache[stream]
        except KeyError:
            pass
        found = next((e.config for e in self.entries if e.matches(stream)), None)
        if len(self._cache) < 10_000:
            self._cache[stream] = found
        return found

    def names(self) -> list[str]:
        """The exact (non-regex) stream names, in file order."""
        return [entry.key for entry in self.entries if entry.pattern is None]


def _is_regex_key(key: str) -> bool:
    return len(key) >= 2 and key.startswith("/") and key.endswith("/")


def parse_streams(data: Any, locations: Locations) -> Streams:
    """Check and index parsed streams.yaml data."""
    if data is None:
        return Streams([], locations.path)
    if not isinstance(data, dict):
        raise ConfigError(
            f"{locations.where(())}: expected a mapping of stream name to settings",
            hint="see docs/streams.md",
        )
    entries = []
    for key, value in data.items():
        key = str(key)
        pattern = None
        if _is_regex_key(key):
            try:
                pattern = re.compile(key[1:-1])
            except re.error as error:
                raise ConfigError(
                    f"{locations.where((key,))}: stream key {key} is not a valid regex: {error}"
                ) from None
        try:
            config = StreamConfig.model_validate(value if value is not None else {})
        except ValidationError as error:
            raise ConfigError(
                describe_validation_error(error, StreamConfig, locations, prefix=(key,)),
                hint="see docs/streams.md for the stream settings",
            ) from None
        entries.append(StreamEntry(key, pattern, config, locations.line((key,))))
    return Streams(entries, locations.path)


def load_streams(path: Path) -> Streams:
    """Read streams.yaml; a missing file is an empty configuration (every stream unknown)."""
    if not path.exists():
        return Streams([], path)
    data, locations = load_yaml(path)
    return parse_streams(data, locations)
