"""Self-metrics of one intake process: requests by HTTP status, events by stream and outcome,
error events produced. Output: Prometheus text exposition (GET /_metrics).

Stream names come from clients, so only configured streams are counted by name; the others
are counted together as `(unconfigured)` and events without a stream as `(none)`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tallyflow.collect.streams import Streams
from tallyflow.records import EventOutcome

UNCONFIGURED = "(unconfigured)"
NO_STREAM = "(none)"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class IntakeMetrics:
    """Counters since the process started."""

    def __init__(self, streams: Streams) -> None:
        self.streams = streams
        self.requests: Counter[int] = Counter()
        self.events: Counter[tuple[str, str]] = Counter()
        self.error_events = 0
        self._names: dict[str | None, str] = {}

    def request(self, status: int) -> None:
        self.requests[status] += 1

    def outcomes(self, outcomes: Iterable[EventOutcome], error_events: int) -> None:
        events, names = self.events, self._names
        for outcome in outcomes:
            events[(names.get(outcome.stream) or self._name(outcome.stream), outcome.status)] += 1
        self.error_events += error_events

    def _name(self, stream: str | None) -> str:
        """The label of `stream` (remembered for configured streams)."""
        if stream is None:
            return NO_STREAM
        if self.streams.lookup(stream) is None:
            return UNCONFIGURED
        if len(self._names) < 10_000:
            self._names[stream] = stream
        return stream

    def render(self) -> str:
        lines = [
            "# HELP tallyflow_intake_requests_total POST /v1/events requests by HTTP status.",
            "# TYPE tallyflow_intake_requests_total counter",
        ]
        lines += [
            f'tallyflow_intake_requests_total{{code="{code}"}} {count}'
            for code, count in sorted(self.requests.items())
        ]
        lines += [
            "# HELP tallyflow_intake_events_total Events by stream and outcome.",
            "# TYPE tallyflow_intake_events_total counter",
        ]
        lines += [
            f'tallyflow_intake_events_total{{stream="{_label(stream)}",status="{status}"}} {count}'
            for (stream, status), count in sorted(self.events.items())
        ]
        lines += [
            "# HELP tallyflow_intake_error_events_total Error events stored for invalid events.",
            "# TYPE tallyflow_intake_error_events_total counter",
            f"tallyflow_intake_error_events_total {self.error_events}",
        ]
        return "\n".join(lines) + "\n"
