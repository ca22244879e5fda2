"""`up --traffic` helpers: history seeded once per day (a restart does not double it), the
StatsD counter names filled from events, and invalid events that really are invalid."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tallyflow.collect.process import EventProcessor, RequestContext
from tallyflow.project import load_project
from tallyflow.schemas.generate.live import CounterRule, LiveFeed, missing_days, seed_history

EXAMPLE = Path(__file__).parents[3] / "examples" / "codemirror"


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".tallyflow"))
    streams = root / "streams.yaml"
    streams.write_text(
        streams.read_text().replace(
            "  sample: {rate: 0.0625, unit: session}",
            "  sample: {rate: 0.0625, unit: session}\n  generate: {per_day: 400}",
            1,
        )
    )
    return root


def test_history_is_seeded_for_missing_days_only(tmp_path: Path) -> None:
    project = load_project(_example(tmp_path))
    today = dt.date(2026, 3, 4)
    days = [dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
    assert missing_days(project, "codemirror.toggle", days) == days
    first = seed_history(project, ["codemirror.toggle"], today, 2)
    assert first["codemirror.toggle"] > 0
    assert missing_days(project, "codemirror.toggle", days) == []
    assert seed_history(project, ["codemirror.toggle"], today, 2) == {"codemirror.toggle": 0}
    assert seed_history(project, ["codemirror.toggle"], today, 3)["codemirror.toggle"] > 0


def test_counter_names_are_filled_from_the_event() -> None:
    rule = CounterRule("codemirror.toggle", "MediaWiki.CodeMirror.events.byWiki.{wiki}")
    assert rule.fill({"wiki": "enwiki"}) == "MediaWiki.CodeMirror.events.byWiki.enwiki"
    assert rule.fill({"wiki": "a.b c"}) == "MediaWiki.CodeMirror.events.byWiki.a_b_c"
    assert rule.fill({"editor": "x"}) is None
    assert CounterRule("s", "x.{enabled}").fill({"enabled": True}) == "x.true"


def test_live_events_validate_and_the_spoiled_ones_do_not(tmp_path: Path) -> None:
    project = load_project(_example(tmp_path))
    feed = LiveFeed(project, ["codemirror.toggle"], "http://127.0.0.1:9/v1/events", None, [])
    processor = EventProcessor.from_project(project)
    stream, template, _ = feed._pool[0]
    event = feed.prepare(template, spoil=False)
    assert processor.process(event, RequestContext.now()).outcome.status == "success"
    spoiled = feed.prepare(template, spoil=True)
    assert processor.process(spoiled, RequestContext.now()).outcome.status == "invalid"
