from pathlib import Path

import pytest

from tallyflow.cli import main
from tallyflow.store import catalog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "eventgate"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "tallyflow.yaml").write_text(f"schemas:\n  base_paths: [{FIXTURES / 'schemas'}]\n")
    (tmp_path / "streams.yaml").write_text("test.event:\n  schema_title: test\n")
    return tmp_path


def test_load_validates_stores_and_prints_a_receipt(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = project / "events.jsonl"
    good = '{"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": "ok"}'
    events.write_text(
        "\n".join(
            [
                good,
                good,
                '{"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}, "test": 5}',
                '{"$schema": "/test/0.0.2", "meta": {"stream": "nope"}, "test": "x"}',
                "{not json",
                "",
            ]
        )
    )
    with pytest.raises(SystemExit) as done:
        main(["events", "load", "-p", str(project), str(events)])
    assert done.value.code == 1
    out = capsys.readouterr().out
    assert f"{events}:3: invalid: '.test' should be string" in out
    assert f"{events}:4: error:" in out and "not a configured stream" in out
    assert f"{events}:5: not JSON" in out
    assert "test.event" in out
    con = catalog.connect(project / ".tallyflow")
    rows = con.execute("select test, test_default from event.test_event").fetchall()
    errors = con.execute(
        "select errored_stream_name from event.eventgate_analytics_external_error_validation"
    ).fetchall()
    con.close()
    assert rows == [("ok", "default_value"), ("ok", "default_value")]
    assert errors == [("test.event",)]


def test_all_accepted_exits_0(project: Path) -> None:
    events = project / "events.jsonl"
    events.write_text('{"$schema": "/test/0.0.2", "meta": {"stream": "test.event"}}\n')
    with pytest.raises(SystemExit) as done:
        main(["events", "load", "-p", str(project), str(events)])
    assert done.value.code == 0
