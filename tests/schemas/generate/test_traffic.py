"""Sessions look like real usage and honour the stream's client-side sampling."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from tallyflow.collect.sampling import ID_PATTERN, in_sample
from tallyflow.errors import ConfigError, SchemaError, UsageError
from tallyflow.schemas.generate.hints import SOURCES
from tallyflow.schemas.generate.population import web_host
from tallyflow.schemas.generate.sources import SOURCE_DOMAINS
from tallyflow.schemas.generate.traffic import generate
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.useragent import parse_user_agent

from .conftest import CODEMIRROR, events, plan, validator

LEGACY = {"schema_title": "analytics/legacy/codemirrorusage"}


def test_legacy_capsule_shape_as_the_client_sends_it() -> None:
    rows = events(plan(CODEMIRROR, LEGACY), per_day=300)
    for row in rows:
        assert row["$schema"] == "/analytics/legacy/codemirrorusage/1.1.0"
        assert row["meta"]["stream"] == CODEMIRROR
        assert row["schema"] == "CodeMirrorUsage"
        assert row["webHost"] == row["meta"]["domain"]
        assert row["webHost"] in (web_host(row["wiki"]), web_host(row["wiki"], mobile=True))
        assert row["http"]["request_headers"]["user-agent"]
        assert row["client_dt"] <= row["dt"] == row["meta"]["dt"]
        assert ID_PATTERN.match(row["event"]["session_token"])
        assert not {"ip", "recvFrom", "seqId", "uuid", "useragent", "revision"} & set(row)
        anonymous = row["event"]["user_id"] == 0
        assert anonymous == ("user_edit_count_bucket" not in row["event"])


def test_sessions_have_several_events_with_consistent_facts_and_increasing_times() -> None:
    rows = events(plan(CODEMIRROR, LEGACY), per_day=3000)
    sessions = defaultdict(list)
    for row in rows:
        sessions[row["event"]["session_token"]].append(row)
    sizes = [len(s) for s in sessions.values()]
    assert max(sizes) > 5 and 2 < sum(sizes) / len(sizes) < 4
    for session in sessions.values():
        assert len({(r["wiki"], r["webHost"], r["event"]["user_id"]) for r in session}) == 1
        assert len({r["http"]["request_headers"]["user-agent"] for r in session}) == 1
        assert len({r["event"]["edit_start_ts_ms"] for r in session}) == 1
        times = sorted(session, key=lambda r: r["meta"]["dt"])
        client = [r["client_dt"] for r in times]
        assert client == sorted(client) and len(set(client)) == len(client)


def test_volume_dates_wikis_and_bots_follow_the_hints() -> None:
    config = {
        **LEGACY,
        "generate": {"wikis": {"dewiki": 3, "frwiktionary": 1}, "bots": 0.3, "mobile": 0},
    }
    rows = events(plan(CODEMIRROR, config), per_day=2000, days=3)
    assert len(rows) == 6000  # no sampling: every event of every day
    days = Counter(r["meta"]["dt"][:10] for r in rows)
    assert sorted(days) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert all(1700 < n < 2300 for n in days.values())
    wikis = Counter(r["wiki"] for r in rows)
    assert set(wikis) == {"dewiki", "frwiktionary"} and wikis["dewiki"] > 2 * wikis["frwiktionary"]
    assert {r["webHost"] for r in rows} == {"de.wikipedia.org", "fr.wiktionary.org"}
    sessions = {r["event"]["session_token"]: r for r in rows}.values()
    bots = [
        r
        for r in sessions
        if parse_user_agent(r["http"]["request_headers"]["user-agent"])["is_bot"]
    ]
    assert 0.2 < len(bots) / len(sessions) < 0.4
    assert all(r["event"]["user_id"] == 0 for r in bots)


@pytest.mark.parametrize("unit", ["session", "pageview"])
def test_only_sessions_or_pageviews_in_sample_send_events(unit: str) -> None:
    config = {"schema_title": "analytics/legacy/editattemptstep",
              "sample": {"rate": 0.25, "unit": unit}}  # fmt: skip
    stream_plan = plan("eventlogging_EditAttemptStep", config)
    rows = events(stream_plan, per_day=4000)
    assert 600 < len(rows) < 1400
    for row in rows:
        session = row["event"]["editing_session_id"]
        page = row["event"].get("page_token", "")
        if unit == "session":
            assert in_sample(stream_plan.config, session, "")
        else:
            assert in_sample(stream_plan.config, "", page)


@pytest.mark.parametrize(
    "sample", [{"rate": 0.5, "unit": "device"}, {"rate": 0, "unit": "session"}]
)
def test_streams_the_clients_never_sample_in_send_nothing(sample: dict[str, object]) -> None:
    rows = events(plan(CODEMIRROR, {**LEGACY, "sample": sample}), per_day=500)
    assert rows == []


def test_zero_per_day_generates_nothing() -> None:
    assert events(plan(CODEMIRROR, LEGACY), per_day=0, days=2) == []


def test_same_seed_same_events_other_seed_other_events() -> None:
    stream_plan = plan(CODEMIRROR, LEGACY)
    first = events(stream_plan, per_day=500, seed=5)
    assert events(stream_plan, per_day=500, seed=5) == first
    assert events(stream_plan, per_day=500, seed=6) != first


def test_unconfigured_stream_and_wrong_schema_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="has no schema_title"):
        plan(CODEMIRROR, {})
    config = {**LEGACY, "generate": {"schema": "/analytics/legacy/templatewizard/1.3.0"}}
    with pytest.raises(ConfigError, match="has title 'analytics/legacy/templatewizard'"):
        plan(CODEMIRROR, config)
    with pytest.raises(SchemaError, match="no such file"):
        plan(CODEMIRROR, {"schema_title": "analytics/legacy/nothing"})
    with pytest.raises(UsageError, match="before --start"):
        list(generate(plan(CODEMIRROR, LEGACY), date(2026, 1, 2), date(2026, 1, 1), 1, 0))


def test_web_hosts_of_wiki_database_names() -> None:
    assert web_host("enwiki") == "en.wikipedia.org"
    assert web_host("enwiki", mobile=True) == "en.m.wikipedia.org"
    assert web_host("zh_yuewiki") == "zh-yue.wikipedia.org"
    assert web_host("commonswiki", mobile=True) == "commons.m.wikimedia.org"
    assert web_host("wikidatawiki", mobile=True) == "m.wikidata.org"
    assert web_host("dewikivoyage") == "de.wikivoyage.org"


def test_funnel_hint_orders_steps_inside_each_session() -> None:
    steps = ["init", "ready", "loaded", "saveIntent", "saveSuccess"]
    config = {
        "schema_title": "analytics/legacy/editattemptstep",
        "generate": {"fields": {"event.action": {"funnel": steps}}},
    }
    rows = events(plan("eventlogging_EditAttemptStep", config), per_day=3000)
    sessions = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["client_dt"]):
        sessions[row["event"]["editing_session_id"]].append(row["event"]["action"])
    for actions in sessions.values():
        assert actions == (steps + [steps[-1]] * len(actions))[: len(actions)]
    reached = Counter(a for actions in sessions.values() for a in set(actions))
    assert reached["init"] > reached["ready"] > reached["saveSuccess"] > 0


def test_metrics_platform_context_attributes_and_sample() -> None:
    root = Path(__file__).parents[2] / "fixtures" / "generate"
    config = {"schema_title": "analytics/mp", "sample": {"rate": 0.5, "unit": "pageview"},
              "generate": {"schema": "/analytics/mp/1.0.0"}}  # fmt: skip
    stream_plan = plan("mediawiki.mp", config, root)
    schema = SchemaRepository([root]).resolved("/analytics/mp/1.0.0")
    rows = events(stream_plan, per_day=500)
    assert rows
    for row in rows:
        assert validator(schema).is_valid(row)
        assert row["sample"] == {"rate": 0.5, "unit": "pageview"}
        assert row["agent"]["client_platform"] == "mediawiki_js"
        assert row["agent"]["client_platform_family"] in ("desktop_browser", "mobile_browser")
        assert row["mediawiki"]["database"] and row["meta"]["domain"]
        assert in_sample(stream_plan.config, "", row["performer"]["pageview_id"])
        assert row["performer"]["is_logged_in"] == (row["performer"]["id"] > 0)
        assert row["dt"] < row["meta"]["dt"]  # modern dt: the client's event time


def test_every_source_fills_a_field_of_its_type(tmp_path: Path) -> None:
    properties = {
        name: {"type": SOURCE_DOMAINS[name].json_type, **({"format": "date-time"}
               if SOURCE_DOMAINS[name].format == "date-time" else {})}
        for name in SOURCES
    }  # fmt: skip
    required = [name for name in SOURCES if not SOURCE_DOMAINS[name].nullable]
    schema = {
        "title": "analytics/sources",
        "$id": "/analytics/sources/1.0.0",
        "type": "object",
        "required": ["$schema", "event"],
        "properties": {
            "$schema": {"type": "string"},
            "event": {"type": "object", "required": required, "properties": properties},
        },
    }
    folder = tmp_path / "analytics" / "sources"
    folder.mkdir(parents=True)
    (folder / "1.0.0").write_text(json.dumps(schema))
    fields = {f"event.{name}": {"source": name} for name in SOURCES}
    hints = {"schema": "/analytics/sources/1.0.0", "fields": fields, "logged_in": 0.5}
    config = {"schema_title": "analytics/sources", "generate": hints}
    rows = events(plan("test.sources", config, tmp_path), per_day=300)
    check = validator(schema)
    assert all(check.is_valid(row) for row in rows)
    for name in SOURCES:
        assert any(name in row["event"] for row in rows), name
    for row in rows:
        event = row["event"]
        assert event["is_logged_in"] == ("user_name" in event) == (event["user_id"] > 0)
        assert event["event_dt"] < event["received_dt"]


def test_per_session_values_and_anonymous_flag_follow_the_session() -> None:
    config = {
        "schema_title": "analytics/legacy/editattemptstep",
        "generate": {"fields": {"event.editor_interface": {
            "weights": {"visualeditor": 1, "wikitext": 1}, "per": "session"}}},
    }  # fmt: skip
    rows = events(plan("eventlogging_EditAttemptStep", config), per_day=2000)
    editors = defaultdict(set)
    for row in rows:
        event = row["event"]
        editors[event["editing_session_id"]].add(event["editor_interface"])
        assert event["is_anon"] == (event["user_id"] == 0)
    assert all(len(e) == 1 for e in editors.values())
    assert {e for values in editors.values() for e in values} == {"visualeditor", "wikitext"}


def test_per_session_is_refused_where_it_cannot_apply() -> None:
    config = {
        "schema_title": "analytics/legacy/editattemptstep",
        "generate": {"fields": {"event": {"per": "session"}}},
    }
    with pytest.raises(ConfigError, match="only works on generated fields"):
        plan("eventlogging_EditAttemptStep", config)
