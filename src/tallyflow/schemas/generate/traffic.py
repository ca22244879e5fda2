"""Realistic sessions for one stream, day by day, as batches of Arrow rows.

Inputs: a stream's config and schema (`plan_stream`), a date range, the events per day before
sampling, and a seed. Output: `Batch`es of events (one Arrow struct row per event) with the
facts the outputs need (receive time for partitions, session for client-like batching).

Per day: sessions start at times that follow `population.HOURLY`; each has a geometric number of
events spread over an exponential duration, strictly increasing client times, a 20-hex session
id, pageviews (a new 20-hex pageview id every few events), a wiki, a user agent (bots with
crawler agents, phones with mobile agents and `*.m.*` hosts), and a user (anonymous: user id 0,
no edit-count bucket). Sessions, or pageviews for `unit: pageview`, that the Metrics Platform
client would not sample in are dropped: only what a real client sends is generated.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from tallyflow.collect import sampling
from tallyflow.collect.streams import StreamConfig, Streams
from tallyflow.errors import ConfigError, UsageError
from tallyflow.schemas.generate import columns, population
from tallyflow.schemas.generate.facts import Facts, Population, weights
from tallyflow.schemas.generate.hints import GenerateHints, Spread
from tallyflow.schemas.generate.nodes import Batch as DrawBatch
from tallyflow.schemas.generate.nodes import ObjectNode
from tallyflow.schemas.generate.values import compile_schema, rows_to_json
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.layout import LEGACY_PREFIX

DEFAULT_PER_DAY = 1000
BATCH_EVENTS = 262_144
"""Events per generated batch (fixed, so a seed always gives the same output)."""
_DAY_MS = 86_400_000


@dataclass(frozen=True)
class StreamPlan:
    """Everything needed to generate one stream's events."""

    stream: str
    schema_uri: str
    root: ObjectNode
    config: StreamConfig
    hints: GenerateHints

    def to_json(self, events: pa.StructArray) -> list[dict[str, Any]]:
        """The events of a batch as JSON-shaped dicts."""
        return rows_to_json(self.root, events)


@dataclass(frozen=True)
class Batch:
    """One batch of generated events of one stream, ordered by receive hour, then session."""

    stream: str
    events: pa.StructArray
    received_ms: np.ndarray
    """EventGate's receive time (`meta.dt`) per event, epoch ms; it picks the partition."""
    session: np.ndarray
    """A number per event that is the same for the events of one session (client batching)."""
    user_agent: pa.Array


def plan_stream(stream: str, streams: Streams, repository: SchemaRepository) -> StreamPlan:
    """Look up the stream, load its schema and compile the generator (errors name both)."""
    config = streams.lookup(stream)
    where = streams.path or "streams.yaml"
    if config is None:
        raise ConfigError(
            f"{where}: stream {stream!r} is not configured",
            hint="add it to streams.yaml with its schema_title (unconfigured streams are never "
            "in sample, so clients send nothing)",
        )
    hints = config.generate
    uri = hints.schema_uri
    if uri is None:
        if not config.schema_title:
            raise ConfigError(
                f"{where}: stream {stream!r} has no schema_title",
                hint=f"set {stream}.schema_title, or {stream}.generate.schema to a $schema URI",
            )
        uri = f"/{config.schema_title}/latest"
    schema = repository.resolved(uri)
    schema_id = str(schema.get("$id") or uri)
    title = schema.get("title")
    if config.schema_title and title != config.schema_title:
        raise ConfigError(
            f"{where}: {stream}: schema {schema_id} has title {title!r}, "
            f"but the stream's schema_title is {config.schema_title!r}",
            hint="point generate.schema at a version of the stream's schema",
        )
    constants: dict[str, Any] = {"$schema": schema_id, "meta.stream": stream}
    if config.sample is not None and _unit_ok(config):
        # The Metrics Platform client copies a valid `sample` into the event (T310693).
        constants["sample.rate"] = config.sample.rate
        constants["sample.unit"] = config.sample.unit
    constants["agent.client_platform"] = "mediawiki_js"
    properties = schema.get("properties") or {}
    if "schema" in properties and "client_dt" in properties and stream.startswith(LEGACY_PREFIX):
        constants["schema"] = stream[len(LEGACY_PREFIX) :]
    root = compile_schema(
        schema,
        schema_id,
        hints.fields,
        {k: v for k, v in constants.items() if _has_path(schema, k)},
        hints_where=f"{stream}.generate.fields",
    )
    return StreamPlan(stream, schema_id, root, config, hints)


def _has_path(schema: dict[str, Any], path: str) -> bool:
    node: Any = schema
    for part in path.split("."):
        if not isinstance(node, dict) or part not in (node.get("properties") or {}):
            return False
        node = node["properties"][part]
    return True


def days(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    if end < start:
        raise UsageError(f"--end {end} is before --start {start}")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _spread_counts(rng: np.random.Generator, spread: Spread, count: int) -> np.ndarray:
    sizes = rng.geometric(min(1.0, 1.0 / spread.mean), size=count)
    return np.minimum(sizes, int(spread.max)).astype(np.int64)


def _session_sizes(rng: np.random.Generator, spread: Spread, total: int) -> np.ndarray:
    """Events per session, summing to exactly `total`."""
    parts, have = [], 0
    while have < total:
        sizes = _spread_counts(rng, spread, int((total - have) / spread.mean * 1.2) + 16)
        parts.append(sizes)
        have += int(sizes.sum())
    sizes = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, total, side="left")) + 1 if total else 0
    sizes = sizes[:count].copy()
    if count:
        sizes[-1] -= int(ends[count - 1]) - total
    return sizes


def _pick(rng: np.random.Generator, p: np.ndarray, count: int) -> np.ndarray:
    return np.minimum(np.searchsorted(np.cumsum(p), rng.random(count), side="right"), len(p) - 1)


def generate(plan: StreamPlan, start: date, end: date, per_day: int, seed: int) -> Iterator[Batch]:
    """Batches of `plan`'s events for every day from `start` to `end` (both included)."""
    people = Population(plan.hints)
    range_end = int(datetime.combine(end, datetime.min.time(), UTC).timestamp() * 1000) + _DAY_MS
    stream_key = zlib.crc32(plan.stream.encode())
    for day in days(start, end):
        rng = np.random.default_rng([seed, stream_key, day.toordinal()])
        day_ms = int(datetime.combine(day, datetime.min.time(), UTC).timestamp() * 1000)
        yield from _day(plan, people, rng, day_ms, range_end, per_day)


def _day(
    plan: StreamPlan,
    people: Population,
    rng: np.random.Generator,
    day_ms: int,
    range_end: int,
    per_day: int,
) -> Iterator[Batch]:
    hints = plan.hints
    sizes = _session_sizes(rng, hints.events_per_session, per_day)
    count = len(sizes)
    raw_ids = rng.integers(0, 256, size=(count, 10), dtype=np.uint8)
    hours = _pick(rng, weights(tuple((h, w) for h, w in enumerate(population.HOURLY)))[1], count)
    start = day_ms + hours * 3_600_000 + rng.integers(0, 3_600_000, size=count)
    duration = np.minimum(
        rng.exponential(hints.session_minutes.mean * 60_000, size=count),
        hints.session_minutes.max * 60_000,
    ).astype(np.int64)
    delay = rng.integers(80, 2000, size=count)
    latest = range_end - 1 - delay - sizes
    start = np.minimum(start, latest)
    duration = np.where(sizes > 1, np.clip(np.minimum(duration, latest - start), 0, None), 0)
    bot = rng.random(count) < hints.bots
    mobile = ~bot & (rng.random(count) < hints.mobile)
    logged_in = ~bot & (rng.random(count) < hints.logged_in)
    wiki = _pick(rng, people.wiki_p, count)
    agent = np.where(
        bot,
        people.bot_at + _pick(rng, people.bot_p, count),
        np.where(
            mobile,
            people.mobile_at + _pick(rng, people.mobile_p, count),
            _pick(rng, people.desktop_p, count),
        ),
    )
    user_id = np.where(logged_in, np.floor(columns.log_uniform(rng, count, 1, 50_000_000)), 0)
    edits = np.where(logged_in, np.floor(columns.log_uniform(rng, count, 0, 200_000)), 0)
    sessions = {
        "raw_ids": raw_ids,
        "start": start,
        "duration": duration,
        "delay": delay,
        "bot": bot,
        "mobile": mobile,
        "logged_in": logged_in,
        "wiki": wiki,
        "agent": agent,
        "user_id": user_id.astype(np.int64),
        "edits": edits.astype(np.int64),
    }
    keep = _sessions_in_sample(plan.config, raw_ids)
    ends = np.cumsum(sizes)
    first = 0
    while first < count:
        last = int(np.searchsorted(ends, ends[first] - sizes[first] + BATCH_EVENTS, side="right"))
        last = max(last, first + 1)
        chosen = np.arange(first, last)[keep[first:last]]
        first = last
        batch = _events(plan, people, rng, sessions, chosen, sizes[chosen])
        if batch is not None:
            yield batch


def _sessions_in_sample(config: StreamConfig, raw_ids: np.ndarray) -> np.ndarray:
    """Vectorised `sampling.in_sample` for unit session (pageviews are checked per event)."""
    count = len(raw_ids)
    sample = config.sample
    if sample is None or sample.unit == "pageview":
        return np.ones(count, dtype=bool) if _unit_ok(config) else np.zeros(count, dtype=bool)
    if not _unit_ok(config):
        return np.zeros(count, dtype=bool)
    return _normalized(raw_ids) < sample.rate


def _unit_ok(config: StreamConfig) -> bool:
    sample = config.sample
    if sample is None:
        return True
    return sampling.valid_sample(sample.rate, sample.unit) and sample.unit in sampling.UNITS


def _normalized(raw_ids: np.ndarray) -> np.ndarray:
    """First 32 bits of each id over 2^32 - 1, as `normalizeId` computes it."""
    top = raw_ids[:, :4].astype(np.uint64)
    value = (top[:, 0] << 24) | (top[:, 1] << 16) | (top[:, 2] << 8) | top[:, 3]
    return value.astype(np.float64) / sampling.MAX_TOKEN


def _events(
    plan: StreamPlan,
    people: Population,
    rng: np.random.Generator,
    sessions: dict[str, np.ndarray],
    chosen: np.ndarray,
    sizes: np.ndarray,
) -> Batch | None:
    total = int(sizes.sum())
    if total == 0:
        return None
    owner = np.repeat(chosen, sizes)  # session (day index) of each event
    local = np.repeat(np.arange(len(chosen)), sizes)
    offsets = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    rank = np.arange(total) - np.repeat(offsets[:-1], sizes)
    spread = rng.random(total)
    spread = spread[np.lexsort((spread, local))]
    event_ms = (
        sessions["start"][owner] + np.floor(spread * sessions["duration"][owner]).astype(np.int64)
    ) + rank
    received_ms = event_ms + sessions["delay"][owner]
    new_page = rng.random(total) < 1.0 / plan.hints.events_per_pageview
    new_page[rank == 0] = True
    page = np.cumsum(new_page) - 1
    pages = int(page[-1]) + 1
    page_ids = rng.integers(0, 256, size=(pages, 10), dtype=np.uint8)
    sample = plan.config.sample
    if sample is not None and sample.unit == "pageview":
        wanted = (_normalized(page_ids) < sample.rate)[page]
        if not wanted.any():
            return None
        owner, local, rank = owner[wanted], local[wanted], rank[wanted]
        event_ms, received_ms, page = event_ms[wanted], received_ms[wanted], page[wanted]
        total = len(owner)
    by_hour = np.argsort(received_ms // 3_600_000, kind="stable")  # partitions stay contiguous
    owner, page, rank = owner[by_hour], page[by_hour], rank[by_hour]
    event_ms, received_ms = event_ms[by_hour], received_ms[by_hour]
    facts = Facts(people, rng, sessions, owner, page, page_ids, event_ms, received_ms, rank)
    draw = DrawBatch(rng, total, int(event_ms.min()), int(event_ms.max()) + 1, facts.get)
    events = plan.root.draw(draw)
    return Batch(plan.stream, events, received_ms, owner, facts.get("user_agent"))
