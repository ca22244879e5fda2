"""Generated events in the store through its columnar bulk path: Hive layout partitioned by
meta.dt, Refine columns and useragent, queryable through DuckDB like intake data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from tallyflow.schemas.generate.store import StoreWriter
from tallyflow.schemas.generate.traffic import generate
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.catalog import connect
from tallyflow.store.events import EventStore
from tallyflow.store.useragent import parse_user_agent

from .conftest import CODEMIRROR, FIXTURE_SCHEMAS, plan


def fill(store: Path, per_day: int, seed: int = 1) -> StoreWriter:
    stream_plan = plan(CODEMIRROR, {"schema_title": "analytics/legacy/codemirrorusage"})
    repository = SchemaRepository([FIXTURE_SCHEMAS])
    writer = StoreWriter(
        lambda: EventStore(store, repository), {CODEMIRROR: stream_plan.schema_uri}
    )
    writer.write(generate(stream_plan, date(2026, 1, 30), date(2026, 2, 1), per_day, seed))
    return writer


def test_partitions_follow_meta_dt_and_counts_are_queryable(tmp_path: Path) -> None:
    writer = fill(tmp_path, per_day=1000)
    assert writer.written == {CODEMIRROR: 3000}
    table = tmp_path / "events" / "event" / "codemirrorusage"
    hours = sorted(p.relative_to(table).parts[:4] for p in table.rglob("*.parquet"))
    assert len(hours) == writer.files
    assert hours[0] == ("year=2026", "month=1", "day=30", "hour=0")
    assert hours[-1][:3] == ("year=2026", "month=2", "day=1")
    con = connect(tmp_path)
    per_day = con.execute(
        "SELECT month, day, count(*) FROM event.codemirrorusage GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert [row[:2] for row in per_day] == [(1, 30), (1, 31), (2, 1)]
    assert sum(row[2] for row in per_day) == 3000
    mismatched = con.execute(
        "SELECT count(*) FROM event.codemirrorusage WHERE hour != hour(CAST(meta.dt AS TIMESTAMP))"
        " OR day != day(CAST(meta.dt AS TIMESTAMP))"
    ).fetchone()
    assert mismatched == (0,)
    editors = dict(
        con.execute(
            "SELECT event.editor, count(*) FROM event.codemirrorusage GROUP BY 1"
        ).fetchall()
    )
    assert set(editors) == {"wikitext", "wikitext-2017"}
    con.close()


def test_refine_column_names_and_useragent_struct(tmp_path: Path) -> None:
    fill(tmp_path, per_day=300)
    first = next((tmp_path / "events").rglob("*.parquet"))
    names = pq.read_schema(first).names
    assert {"_schema", "webhost", "client_dt", "meta", "event", "http", "useragent"} <= set(names)
    assert "webHost" not in names and "$schema" not in names
    con = connect(tmp_path)
    bots, humans, unparsed = con.execute(
        "SELECT count(*) FILTER (useragent.is_bot), count(*) FILTER (NOT useragent.is_bot), "
        "count(*) FILTER (useragent IS NULL) FROM event.codemirrorusage"
    ).fetchone() or (0, 0, 0)
    assert 0 < bots < humans and unparsed == 0
    con.close()


def test_useragent_is_what_the_intake_path_derives(tmp_path: Path) -> None:
    fill(tmp_path, per_day=400)
    con = connect(tmp_path)
    rows = con.execute(
        "SELECT DISTINCT http.request_headers['user-agent'], to_json(useragent) "
        "FROM event.codemirrorusage"
    ).fetchall()
    con.close()
    assert len(rows) > 5
    for agent, struct in rows:
        assert json.loads(struct) == parse_user_agent(agent)
