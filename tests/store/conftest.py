from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tallyflow.records import AcceptedEvent
from tallyflow.schemas.repository import SchemaRepository

FIXTURES = Path(__file__).parents[1] / "fixtures"
CODEMIRROR = "/analytics/legacy/codemirrorusage/1.1.0"
STREAM = "eventlogging_CodeMirrorUsage"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"


@pytest.fixture
def repository() -> SchemaRepository:
    return SchemaRepository([FIXTURES / "schemas"])


def codemirror_event(
    n: int = 0, dt: str = "2026-01-02T03:04:05.678Z", agent: str | None = FIREFOX, **event: Any
) -> AcceptedEvent:
    body: dict[str, Any] = {
        "$schema": CODEMIRROR,
        "meta": {"stream": STREAM, "dt": dt, "id": f"00000000-0000-4000-8000-{n:012d}"},
        "dt": dt,
        "client_dt": dt,
        "wiki": "enwiki",
        "webHost": "en.wikipedia.org",
        "schema": "CodeMirrorUsage",
        "event": {
            "editor": "wikitext",
            "enabled": True,
            "toggled": n % 2 == 0,
            "session_token": f"s{n}",
            "user_edit_count_bucket": "1-4 edits",
            **event,
        },
    }
    if agent:
        body["http"] = {"request_headers": {"user-agent": agent}}
    return AcceptedEvent(STREAM, CODEMIRROR, body)
