"""Session and event facts that fields take their values from, and which fields do by default.

A source (`source: user_id` in a field hint) is a column the traffic stage computes per event,
consistent inside a session: the session id, the user, the wiki, the user agent, the event and
receive times. `SOURCE_DOMAINS` says what values each one can take, so the compiler can check a
field accepts all of them; `default_source` maps well-known field names (the legacy capsule, the
Metrics Platform context attributes, common instrument fields) to their source.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

BUCKETS = ("0 edits", "1-4 edits", "5-99 edits", "100-999 edits", "1000+ edits")


@dataclass(frozen=True)
class SourceDomain:
    json_type: str
    arrow_type: pa.DataType
    examples: tuple[object, ...]
    """Typical values; each must validate against a field that takes this source."""
    nullable: bool = False
    """Absent for some sessions (anonymous users): only optional fields can take it."""
    values: tuple[object, ...] | None = None
    """Every possible value, when there are few (so enums can take the source)."""
    low: int | None = None
    high: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    format: str | None = None


def _string(*examples: str, **extra: object) -> SourceDomain:
    return SourceDomain("string", pa.string(), examples, **extra)  # type: ignore[arg-type]


def _integer(low: int, high: int, *examples: int) -> SourceDomain:
    return SourceDomain("integer", pa.int64(), (low, high, *examples), low=low, high=high)


_ID = {"min_length": 20, "max_length": 20}
_DT = {"min_length": 24, "max_length": 24, "format": "date-time"}

SOURCE_DOMAINS: dict[str, SourceDomain] = {
    "session_id": _string("0123456789abcdef0123", "ffffffffffffffffffff", **_ID),
    "pageview_id": _string("0123456789abcdef0123", "ffffffffffffffffffff", **_ID),
    "user_id": _integer(0, 50_000_000),
    "user_name": _string("Example User 1", nullable=True, min_length=6, max_length=40),
    "is_logged_in": SourceDomain("boolean", pa.bool_(), (True, False), values=(True, False)),
    "is_anonymous": SourceDomain("boolean", pa.bool_(), (True, False), values=(True, False)),
    "is_bot": SourceDomain("boolean", pa.bool_(), (True, False), values=(True, False)),
    "edit_count": _integer(0, 500_000),
    "edit_count_bucket": _string(*BUCKETS, nullable=True, values=BUCKETS),
    "wiki": _string("enwiki", "commonswiki", "zh_yuewiki", min_length=4, max_length=24),
    "webhost": _string("en.wikipedia.org", "en.m.wikipedia.org", min_length=9, max_length=30),
    "user_agent": _string(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        min_length=10,
        max_length=200,
    ),
    "platform": _string("desktop", "phone", values=("desktop", "phone")),
    "platform_family": _string(
        "desktop_browser", "mobile_browser", values=("desktop_browser", "mobile_browser")
    ),
    "page_title": _string("Main_Page", "Albert_Einstein", min_length=1, max_length=40),
    "page_id": _integer(1, 80_000_000),
    "namespace_id": SourceDomain(
        "integer", pa.int64(), (0, 1, 2, 4, 10, 14), values=(0, 1, 2, 4, 10, 14), low=0, high=14
    ),
    "event_dt": _string("2026-01-01T00:00:00.000Z", **_DT),
    "received_dt": _string("2026-01-01T00:00:00.000Z", **_DT),
    "session_start_ts_ms": _integer(19700101000000000, 99991231235959999, 20210223205005000),
    "event_id": _string(
        "b0caf18d-6c7f-4403-947d-2712bbe28610", min_length=36, max_length=36, format="uuid"
    ),
    "sequence": _integer(1, 1_000_000),
    "session_number": _integer(0, 100_000_000),
}

_BY_PATH = {
    "meta.dt": "received_dt",
    "meta.id": "event_id",
    "meta.domain": "webhost",
    "client_dt": "event_dt",
    "wiki": "wiki",
    "webHost": "webhost",
    "agent.client_platform_family": "platform_family",
    "agent.ua_string": "user_agent",
    "mediawiki.database": "wiki",
    "performer.session_id": "session_id",
    "performer.pageview_id": "pageview_id",
    "performer.id": "user_id",
    "performer.name": "user_name",
    "performer.is_logged_in": "is_logged_in",
    "performer.is_bot": "is_bot",
    "performer.edit_count": "edit_count",
    "performer.edit_count_bucket": "edit_count_bucket",
    "page.title": "page_title",
    "page.id": "page_id",
    "page.namespace_id": "namespace_id",
}

_BY_NAME = {
    "sessiontoken": "session_id",
    "sessionid": "session_id",
    "editingsessionid": "session_id",
    "pagetoken": "pageview_id",
    "pageviewtoken": "pageview_id",
    "pageviewid": "pageview_id",
    "userid": "user_id",
    "username": "user_name",
    "usereditcount": "edit_count",
    "editcount": "edit_count",
    "usereditcountbucket": "edit_count_bucket",
    "editcountbucket": "edit_count_bucket",
    "pagetitle": "page_title",
    "pageid": "page_id",
    "namespaceid": "namespace_id",
    "pagens": "namespace_id",
    "pagenamespace": "namespace_id",
    "isbot": "is_bot",
    "isanon": "is_anonymous",
    "wiki": "wiki",
    "platform": "platform",
    "editstarttsms": "session_start_ts_ms",
}


def default_source(path: str, capsule: bool) -> str | None:
    """The source a field takes unless a hint says otherwise (None: generic values)."""
    if path == "dt":
        # The legacy capsule's dt is EventGate's receive time; elsewhere it is the event time.
        return "received_dt" if capsule else "event_dt"
    if path in _BY_PATH:
        return _BY_PATH[path]
    name = path.rsplit(".", 1)[-1].replace("_", "").lower()
    return _BY_NAME.get(name)
