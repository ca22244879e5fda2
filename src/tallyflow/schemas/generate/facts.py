"""Per-event facts of a batch of sessions: the columns fields take as `source:`.

`Population` holds the tables sessions index into (wikis, hosts, user agents, titles);
`Facts` turns the session and event arrays of one batch into Arrow columns on first use, so a
schema that has no `page_title` never pays for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tallyflow.errors import SchemaError
from tallyflow.schemas.generate import columns, population
from tallyflow.schemas.generate.hints import GenerateHints
from tallyflow.schemas.generate.sources import BUCKETS

_BUCKET_EDGES = np.array([1, 5, 100, 1000])


def weights(pairs: tuple[tuple[Any, float], ...]) -> tuple[list[Any], np.ndarray]:
    """(values, probabilities) of (value, relative weight) pairs."""
    values = [v for v, _ in pairs]
    raw = np.array([w for _, w in pairs], dtype=np.float64)
    return values, raw / raw.sum()


class Population:
    """Per-stream tables (wikis, hosts, agents) that sessions index into."""

    def __init__(self, hints: GenerateHints) -> None:
        wikis = hints.wikis or population.DEFAULT_WIKIS
        pairs = tuple((w, 1.0) for w in wikis) if isinstance(wikis, list) else tuple(wikis.items())
        self.wikis, self.wiki_p = weights(pairs)
        self.hosts = [population.web_host(w, m) for w in self.wikis for m in (False, True)]
        desktop, self.desktop_p = weights(population.DESKTOP_AGENTS)
        mobile, self.mobile_p = weights(population.MOBILE_AGENTS)
        bots, self.bot_p = weights(population.BOT_AGENTS)
        self.agents = desktop + mobile + bots
        self.mobile_at, self.bot_at = len(desktop), len(desktop) + len(mobile)
        self.titles = list(population.PAGE_TITLES)
        self.wiki_names = pa.array(self.wikis, pa.string())
        self.host_names = pa.array(self.hosts, pa.string())
        self.agent_names = pa.array(self.agents, pa.string())
        self.title_names = pa.array(self.titles, pa.string())
        self.namespaces, self.namespace_p = weights(population.NAMESPACES)


class Facts:
    """The per-event source columns of one batch, computed on first use."""

    def __init__(
        self,
        people: Population,
        rng: np.random.Generator,
        sessions: dict[str, np.ndarray],
        owner: np.ndarray,
        page: np.ndarray,
        page_ids: np.ndarray,
        event_ms: np.ndarray,
        received_ms: np.ndarray,
        rank: np.ndarray,
    ) -> None:
        self.people, self.rng, self.sessions = people, rng, sessions
        self.owner, self.page, self.page_ids = owner, page, page_ids
        self.event_ms, self.received_ms, self.rank = event_ms, received_ms, rank
        self.cache: dict[str, pa.Array] = {}

    def per_session(self, name: str) -> np.ndarray:
        values: np.ndarray = self.sessions[name][self.owner]
        return values

    def get(self, name: str) -> pa.Array:
        if name not in self.cache:
            self.cache[name] = self.compute(name)
        return self.cache[name]

    def compute(self, name: str) -> pa.Array:  # noqa: C901 - one branch per source
        people, count = self.people, len(self.owner)
        if name == "session_id":
            return columns.hex_from_bytes(self.sessions["raw_ids"][self.owner])
        if name == "pageview_id":
            return columns.hex_from_bytes(self.page_ids[self.page])
        if name == "user_id":
            return pa.array(self.per_session("user_id"))
        if name == "edit_count":
            return pa.array(self.per_session("edits"))
        if name == "is_logged_in":
            return pa.array(self.per_session("logged_in"))
        if name == "is_anonymous":
            return pa.array(~self.per_session("logged_in"))
        if name == "session_number":
            return pa.array(self.owner.astype(np.int64))
        if name == "is_bot":
            return pa.array(self.per_session("bot"))
        if name == "edit_count_bucket":
            bucket = np.searchsorted(_BUCKET_EDGES, self.per_session("edits"), side="right")
            return pa.DictionaryArray.from_arrays(
                pa.array(bucket, pa.int32(), mask=~self.per_session("logged_in")),
                pa.array(BUCKETS, pa.string()),
            )
        if name == "user_name":
            names = pc.binary_join_element_wise(
                "User", pa.array(self.per_session("user_id")).cast(pa.string()), " "
            )
            return pc.if_else(pa.array(self.per_session("logged_in")), names, None)
        if name == "wiki":
            return columns.from_table(people.wiki_names, self.per_session("wiki"))
        if name == "webhost":
            index = self.per_session("wiki") * 2 + self.per_session("mobile")
            return columns.from_table(people.host_names, index)
        if name == "user_agent":
            return columns.from_table(people.agent_names, self.per_session("agent"))
        if name in ("platform", "platform_family"):
            labels = ["desktop", "phone"] if name == "platform" else [
                "desktop_browser", "mobile_browser"]  # fmt: skip
            return columns.from_table(pa.array(labels), self.per_session("mobile").astype(np.int64))
        if name in ("page_title", "page_id", "namespace_id"):
            # One page per pageview, stable inside it: derived from the pageview id bytes.
            key = self.page_ids[self.page][:, 4:8].astype(np.int64)
            mixed = (key[:, 0] << 24) | (key[:, 1] << 16) | (key[:, 2] << 8) | key[:, 3]
            if name == "page_title":
                return columns.from_table(people.title_names, mixed % len(people.titles))
            if name == "page_id":
                return pa.array(mixed % 80_000_000 + 1)
            ns = np.minimum(
                np.searchsorted(np.cumsum(people.namespace_p), (mixed % 10_000) / 10_000.0,
                                side="right"),
                len(people.namespaces) - 1,
            )  # fmt: skip
            return pa.array(np.asarray(people.namespaces, dtype=np.int64)[ns])
        if name == "event_dt":
            return columns.iso_times(self.event_ms)
        if name == "received_dt":
            return columns.iso_times(self.received_ms)
        if name == "session_start_ts_ms":
            return columns.compact_times(self.per_session("start"))
        if name == "event_id":
            return columns.uuid4s(self.rng, count)
        if name == "sequence":
            return pa.array(self.rank + 1)
        raise SchemaError(f"unknown source {name!r}")
