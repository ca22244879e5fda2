"""Synthetic traffic for a running pipeline (`tallyflow up --traffic`).

Input: a project, its streams and the spec's StatsD counters. Output: history in the event store
(the days before today, written as `events generate` writes them; days already present are
skipped, so a restart does not double them), then a live feed: events with current timestamps
POSTed over HTTP to the intake a few per second (one in `invalid_every` made invalid, so the
invalid-event view has content), and for each event the spec's counters of its stream sent over
UDP to StatsD (`name:1|c`, placeholders filled from the event's fields). A plain UDP socket is
the StatsD client: it is all the line protocol needs, and the `statsd` package stays a test
dependency.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from tallyflow.collect.process import now_iso
from tallyflow.collect.streams import load_streams
from tallyflow.project import Project
from tallyflow.schemas.generate import traffic
from tallyflow.schemas.generate.run import generate_events
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.layout import table_dir, table_for_stream

log = logging.getLogger(__name__)
SEED_PER_DAY = 4000
"""Events per day before sampling when a stream has no `generate.per_day` hint."""
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def missing_days(project: Project, stream: str, days: list[dt.date]) -> list[dt.date]:
    """The days without a partition of `stream` in the store."""
    root = table_dir(project.store_root, table_for_stream(stream))
    return [
        day
        for day in days
        if not (root / f"year={day.year}" / f"month={day.month}" / f"day={day.day}").is_dir()
    ]


def _runs(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """Contiguous (first, last) ranges of sorted days."""
    for _, group in itertools.groupby(enumerate(days), lambda item: item[1].toordinal() - item[0]):
        members = [day for _, day in group]
        yield members[0], members[-1]


def seed_history(
    project: Project, streams: list[str], today: dt.date, days: int, seed: int = 0
) -> dict[str, int]:
    """Events of the `days` days before `today` for each stream, into the store; days already
    present are skipped. Returns the events written per stream."""
    config = load_streams(project.streams_path)
    wanted = [today - dt.timedelta(days=n) for n in range(days, 0, -1)]
    written: dict[str, int] = {}
    for stream in streams:
        stream_config = config.lookup(stream)
        hint = stream_config.generate.per_day if stream_config else None
        per_day = SEED_PER_DAY if hint is None else hint
        written[stream] = 0
        for first, last in _runs(missing_days(project, stream, wanted)):
            summary = generate_events(project, [stream], first, last, per_day, seed)
            written[stream] += summary.sent.get(stream, 0)
    return written


@dataclass(frozen=True)
class CounterRule:
    """A StatsD counter sent for each event of `stream` (`{key}` filled from the event)."""

    stream: str
    name: str

    def fill(self, event: dict[str, Any]) -> str | None:
        missing = False

        def value(match: re.Match[str]) -> str:
            nonlocal missing
            found = event.get(match.group(1))
            if found is None:
                missing = True
                return ""
            text = str(found).lower() if isinstance(found, bool) else str(found)
            return re.sub(r"[^A-Za-z0-9_-]", "_", text)

        name = _PLACEHOLDER.sub(value, self.name)
        return None if missing else name


@dataclass
class FeedCounts:
    """What the live feed sent, and what the intake said."""

    posted: int = 0
    accepted: int = 0
    invalid: int = 0
    failed: int = 0
    counters: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def _make_invalid(event: dict[str, Any]) -> None:
    """Give the first plain string property a number: invalid against any typed schema."""
    for key, value in event.items():
        if key not in ("$schema", "meta", "dt") and isinstance(value, str):
            event[key] = 42
            return


class LiveFeed:
    """Posts events and sends counters in a background thread until stopped."""

    def __init__(
        self,
        project: Project,
        streams: list[str],
        intake_url: str,
        statsd: tuple[str, int] | None,
        counters: list[CounterRule],
        per_second: float = 4.0,
        invalid_every: int = 7,
        seed: int = 0,
    ) -> None:
        self.url = intake_url
        self.statsd = statsd
        self.counters = counters
        self.interval = 1.0 / per_second
        self.invalid_every = invalid_every
        self.counts = FeedCounts()
        self._pool = self._events(project, streams, seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="live-traffic", daemon=True)

    @staticmethod
    def _events(
        project: Project, streams: list[str], seed: int
    ) -> list[tuple[str, dict[str, Any], str]]:
        """(stream, event, user agent) of one generated day per stream, interleaved."""
        config = load_streams(project.streams_path)
        repository = SchemaRepository(project.schema_paths, project.settings.schemas.file_extension)
        per_stream: list[list[tuple[str, dict[str, Any], str]]] = []
        day = dt.date.today()
        for stream in streams:
            plan = traffic.plan_stream(stream, config, repository)
            rows: list[tuple[str, dict[str, Any], str]] = []
            for batch in traffic.generate(plan, day, day, 4000, seed + 1):
                agents = batch.user_agent.to_pylist()
                rows += zip(
                    itertools.repeat(stream), plan.to_json(batch.events), agents, strict=False
                )
                if len(rows) >= 500:
                    break
            per_stream.append(rows[:500])
        mixed = itertools.chain.from_iterable(itertools.zip_longest(*per_stream))
        return [row for row in mixed if row is not None]

    def _loop(self) -> None:
        if not self._pool:
            return
        udp = socket.socket(
            socket.AF_INET6 if self.statsd and ":" in self.statsd[0] else socket.AF_INET,
            socket.SOCK_DGRAM,
        )
        with httpx.Client(timeout=5.0) as client, udp:
            for number, (stream, template, agent) in enumerate(itertools.cycle(self._pool), 1):
                if self._stop.wait(self.interval):
                    return
                bad = number % self.invalid_every == 0
                event = self.prepare(template, bad)
                self._post(client, event, agent)
                if not bad and self.statsd is not None:
                    self._count(udp, stream, event)

    @staticmethod
    def prepare(template: dict[str, Any], spoil: bool) -> dict[str, Any]:
        """A copy of a generated event sent now: current times, a new id from the intake, and
        (`spoil`) a string field turned into a number."""
        event: dict[str, Any] = orjson.loads(orjson.dumps(template))
        moment = now_iso()
        event["dt"] = moment
        event["meta"] = {**event.get("meta", {}), "dt": moment}
        event["meta"].pop("id", None)
        if spoil:
            _make_invalid(event)
        return event

    def _post(self, client: httpx.Client, event: dict[str, Any], agent: str) -> None:
        headers = {"content-type": "application/json", "user-agent": agent}
        try:
            response = client.post(self.url, content=orjson.dumps(event), headers=headers)
        except httpx.HTTPError:
            self.counts.failed += 1
            return
        status = response.status_code
        self.counts.posted += 1
        self.counts.by_status[status] = self.counts.by_status.get(status, 0) + 1
        if status == 201:
            self.counts.accepted += 1
        elif status in (207, 400):
            self.counts.invalid += 1
        else:
            self.counts.failed += 1

    def _count(self, udp: socket.socket, stream: str, event: dict[str, Any]) -> None:
        assert self.statsd is not None
        lines = [
            f"{name}:1|c"
            for rule in self.counters
            if rule.stream == stream and (name := rule.fill(event)) is not None
        ]
        if lines:
            try:
                udp.sendto("\n".join(lines).encode(), self.statsd)
                self.counts.counters += len(lines)
            except OSError:
                pass

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
