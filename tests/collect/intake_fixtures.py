"""Shared helpers of the intake tests: a project holding EventGate's own test schemas and
stream config, and an in-memory event sink.

The in-memory sink stands in for the event store's write-ahead log (a separate component
that implements the same EventSink protocol); the real-server tests use the real
JSON-lines sink and the store."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Sequence
from pathlib import Path

from tallyflow.project import Project, load_project
from tallyflow.records import AcceptedEvent

FIXTURES = Path(__file__).parents[1] / "fixtures"
EVENTGATE = FIXTURES / "eventgate"
TEST_EVENT = (EVENTGATE / "test_event_0.0.2.json").read_text()

STREAMS = """\
test.event:
  schema_title: test
/^test_draft4\\.+/:
  schema_title: test_draft4
test.draft6:
  schema_title: test_draft6
test.insecure:
  schema_title: test_insecure
test.untitled: {}
test.quiet:
  schema_title: test
  producers:
    eventgate:
      enrich_fields_from_http_headers: false
eventlogging_CodeMirrorUsage:
  schema_title: analytics/legacy/codemirrorusage
"""


def make_project(root: Path, settings: str = "", streams: str = STREAMS) -> Project:
    """A project with EventGate's test schemas, Wikimedia's legacy schemas and `streams`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EVENTGATE / "schemas", root / "schemas", symlinks=True)
    shutil.copytree(
        FIXTURES / "schemas" / "analytics", root / "schemas" / "analytics", symlinks=True
    )
    shutil.copytree(FIXTURES / "schemas" / "fragment", root / "schemas" / "fragment", symlinks=True)
    (root / "streams.yaml").write_text(streams)
    (root / "tallyflow.yaml").write_text(settings or "# defaults\n")
    return load_project(root)


class MemorySink:
    """Keeps written events in a list (in place of the write-ahead log)."""

    def __init__(self) -> None:
        self.events: list[AcceptedEvent] = []
        self.writes = 0

    async def write(self, events: Sequence[AcceptedEvent]) -> None:
        await asyncio.sleep(0)
        self.writes += 1
        self.events.extend(events)

    def streams(self) -> list[str]:
        return [e.stream for e in self.events]
