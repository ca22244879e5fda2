"""The `generate:` section of a stream in streams.yaml: how synthetic traffic should look.

    eventlogging_CodeMirrorUsage:
      schema_title: analytics/legacy/codemirrorusage
      sample: {rate: 0.5, unit: session}
      generate:
        wikis: {enwiki: 5, dewiki: 2, frwiki: 1}
        bots: 0.05
        events_per_session: {mean: 4, max: 40}
        fields:
          event.editor: {weights: {wikitext: 3, wikitext-2017: 1}}
          event.enabled: {weights: {true: 1, false: 4}}

Every key is optional and checked strictly (unknown keys are errors). Field paths and values are
checked against the schema when events are generated (`values.compile_schema`).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

Scalar = bool | int | float | str


Source = Literal[
    "session_id",
    "pageview_id",
    "user_id",
    "user_name",
    "is_logged_in",
    "is_anonymous",
    "session_number",
    "is_bot",
    "edit_count",
    "edit_count_bucket",
    "wiki",
    "webhost",
    "user_agent",
    "platform",
    "platform_family",
    "page_title",
    "page_id",
    "namespace_id",
    "event_dt",
    "received_dt",
    "session_start_ts_ms",
    "event_id",
    "sequence",
]
"""Session and event facts a field can take its value from (`source:`)."""
SOURCES: tuple[str, ...] = get_args(Source)


class _Hint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Spread(_Hint):
    """A positive count or duration: geometric/exponential around `mean`, capped at `max`."""

    mean: float = Field(gt=0)
    max: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> Spread:
        if self.max < self.mean:
            raise ValueError(f"max ({self.max}) must be at least mean ({self.mean})")
        return self


class FieldHint(_Hint):
    """How one field (a dotted path such as `event.editor`) gets its values."""

    weights: dict[Scalar, float] | None = None
    """Relative weight per value (enum values, `true`/`false`, numbers, strings)."""
    values: list[Scalar] | None = None
    """Pick uniformly among these values."""
    source: Source | None = None
    """Take the value from the session or event (see docs/generate.md)."""
    funnel: list[Scalar] | None = None
    """Steps in order: a session's n-th event takes the n-th value (the last one repeats), so
    short sessions stop early in the funnel, as real users drop off."""
    min: float | None = None
    """Lowest number (or shortest string, or fewest array/map items)."""
    max: float | None = None
    """Highest number (or longest string, or most array/map items)."""
    distribution: Literal["uniform", "log"] = "uniform"
    """`log`: log-uniform between min and max, many small values and a long tail."""
    per: Literal["event", "session"] = "event"
    """`session`: one value per session (e.g. the editor a user works in), not per event."""
    present: float | None = Field(None, ge=0, le=1)
    """Share of events that carry this optional field (default 0.5; context fields 1)."""

    @model_validator(mode="after")
    def _consistent(self) -> FieldHint:
        choices = ("weights", "values", "source", "funnel")
        chosen = [k for k in choices if getattr(self, k) is not None]
        if len(chosen) > 1:
            raise ValueError(f"use only one of {', '.join(choices)} (got {', '.join(chosen)})")
        if self.weights is not None:
            if not self.weights or any(w < 0 for w in self.weights.values()):
                raise ValueError("weights must be non-negative numbers, at least one")
            if sum(self.weights.values()) <= 0:
                raise ValueError("weights must not all be 0")
        if self.values is not None and not self.values:
            raise ValueError("values must list at least one value")
        if self.funnel is not None and not self.funnel:
            raise ValueError("funnel must list at least one step")
        if self.per == "session" and (self.funnel is not None or self.source is not None):
            raise ValueError("per: session goes with weights, values or min/max, not funnel/source")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class GenerateHints(_Hint):
    """What `tallyflow events generate` makes for a stream."""

    schema_uri: str | None = Field(None, alias="schema")
    """`$schema` of the generated events (default: `/<schema_title>/latest`)."""
    per_day: int | None = Field(None, ge=0)
    """Events per day before sampling when `--per-day` is not given (default 1000)."""
    wikis: dict[str, float] | list[str] | None = None
    """Wiki database names (`enwiki`), with relative weights or equally likely."""
    bots: float = Field(0.05, ge=0, le=1)
    """Share of sessions from bots (crawler user agents, never logged in)."""
    logged_in: float = Field(0.25, ge=0, le=1)
    """Share of human sessions with a registered user."""
    mobile: float = Field(0.35, ge=0, le=1)
    """Share of human sessions on a phone (mobile user agent and `*.m.*` host)."""
    events_per_session: Spread = Spread(mean=3, max=50)
    """Events of one session (at least 1)."""
    events_per_pageview: float = Field(2.0, ge=1)
    """Mean events per page load inside a session (the pageview id changes between them)."""
    session_minutes: Spread = Spread(mean=6, max=120)
    """Time from a session's first to its last event."""
    fields: dict[str, FieldHint] = Field(default_factory=dict)
    """Per-field hints keyed by dotted path (`event.editor`, `meta.domain`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _whole_events(self) -> GenerateHints:
        if self.events_per_session.max < 1:
            raise ValueError("events_per_session.max must be at least 1")
        return self

    @model_validator(mode="before")
    @classmethod
    def _wikis(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("wikis"), dict | list):
            if not data["wikis"]:
                raise ValueError("wikis must name at least one wiki")
        return data
