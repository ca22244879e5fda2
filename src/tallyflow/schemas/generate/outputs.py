"""Where generated events go besides the store: a JSON-lines file, or an intake URL.

Input: `(plan, batch)` pairs from `traffic.generate`. Both outputs turn rows into JSON-shaped
dicts (`StreamPlan.to_json`) and serialise them with orjson, so a seed gives byte-identical files.

Posting mimics the clients: each request carries events of one session only, with that
session's `User-Agent` header; the body is one JSON object (`batch_size` 1, as EventLogging's
sendBeacon sends) or a JSON array (as the Metrics Platform submitter sends), as `text/plain`
(sendBeacon's content type) or `application/json`. The URL is used as given, so `?hasty=true`
gets EventGate's immediate 202 (and then nothing is known about validity).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import httpx
import numpy as np
import orjson

from tallyflow.errors import PublishError
from tallyflow.schemas.generate.traffic import Batch, StreamPlan

TEXT_PLAIN = "text/plain;charset=UTF-8"


def write_jsonl(items: Iterable[tuple[StreamPlan, Batch]], out: IO[bytes]) -> dict[str, int]:
    """Write one JSON event per line; returns events written per stream."""
    written: dict[str, int] = {}
    for plan, batch in items:
        rows = plan.to_json(batch.events)
        out.write(b"".join(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE) for row in rows))
        written[batch.stream] = written.get(batch.stream, 0) + len(rows)
    return written


@dataclass
class PostReport:
    """What the intake said, per event."""

    requests: int = 0
    sent: int = 0
    accepted: int = 0
    """Events acknowledged as valid (201, or the successes of a 207)."""
    hasty: int = 0
    """Events answered 202 (`?hasty=true`): received, validity unknown."""
    invalid: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    first_problem: str | None = None

    @property
    def failed(self) -> int:
        return self.invalid + self.errors


def client_requests(batch: Batch, size: int) -> Iterator[tuple[int, int]]:
    """(first, last) row ranges of one session each, at most `size` events long."""
    sessions = batch.session
    boundaries = np.flatnonzero(np.r_[True, sessions[1:] != sessions[:-1]])
    ends = np.r_[boundaries[1:], len(sessions)]
    for first, last in zip(boundaries.tolist(), ends.tolist(), strict=True):
        for start in range(first, last, size):
            yield start, min(start + size, last)


def post_events(
    items: Iterable[tuple[StreamPlan, Batch]],
    url: str,
    batch_size: int = 20,
    content_type: str = TEXT_PLAIN,
    client: httpx.Client | None = None,
) -> PostReport:
    """POST every event to `url` the way browsers do; returns the intake's answers."""
    report = PostReport()
    own = client is None
    http = client or httpx.Client(timeout=30.0)
    try:
        for plan, batch in items:
            rows = plan.to_json(batch.events)
            agents = batch.user_agent.to_pylist()
            for first, last in client_requests(batch, batch_size):
                chunk: Any = rows[first] if batch_size == 1 else rows[first:last]
                body = orjson.dumps(chunk)
                headers = {"content-type": content_type, "user-agent": str(agents[first])}
                try:
                    response = http.post(url, content=body, headers=headers)
                except httpx.HTTPError as error:
                    raise PublishError(
                        f"cannot POST events to {url}: {error}",
                        hint="is the intake running? (`tallyflow serve intake`)",
                    ) from None
                _count(report, response, last - first)
    finally:
        if own:
            http.close()
    return report


def _count(report: PostReport, response: httpx.Response, events: int) -> None:
    status = response.status_code
    report.requests += 1
    report.sent += events
    report.statuses[status] = report.statuses.get(status, 0) + 1
    if status == 201:
        report.accepted += events
    elif status == 202:
        report.hasty += events
    elif status in (207, 400):
        try:
            body = response.json()
            invalid = len(body.get("invalid") or [])
            errors = len(body.get("error") or [])
        except (ValueError, AttributeError):
            invalid, errors = (events if status == 400 else 0), (0 if status == 400 else events)
        report.invalid += invalid
        report.errors += errors
        report.accepted += max(0, events - invalid - errors)
        if report.first_problem is None:
            report.first_problem = f"HTTP {status}: {response.text[:500]}"
    else:
        report.errors += events
        if report.first_problem is None:
            report.first_problem = f"HTTP {status}: {response.text[:500]}"
