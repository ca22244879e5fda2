import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tallyflow.cli import cli, main
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.events import EventStore
from tests.store.conftest import FIXTURES, codemirror_event


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "tallyflow.yaml").write_text(f"schemas:\n  base_paths: [{FIXTURES / 'schemas'}]\n")
    (root / "streams.yaml").write_text(
        "eventlogging_CodeMirrorUsage:\n  schema_title: analytics/legacy/codemirrorusage\n"
    )
    return root


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["query", "-p", str(project), *args])
    return result.exit_code, result.output


def test_empty_store_answers_from_declared_tables(project: Path) -> None:
    code, out = run(project, "select count(*) as n from event.codemirrorusage")
    assert (code, out) == (0, "n\n0\n")


def test_hiveql_over_stored_events_in_every_format(project: Path) -> None:
    store = EventStore(project / ".tallyflow", SchemaRepository([FIXTURES / "schemas"]))
    store.write_batch([codemirror_event(n) for n in range(4)])
    sql = (
        "SELECT wiki, event.toggled AS toggled, COUNT(*) AS n FROM event.CodeMirrorUsage "
        "WHERE year = 2026 AND month = 1 GROUP BY wiki, event.toggled ORDER BY toggled"
    )
    assert run(project, sql) == (0, "wiki\ttoggled\tn\nenwiki\tfalse\t2\nenwiki\ttrue\t2\n")
    code, out = run(project, sql, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {"wiki": "enwiki", "toggled": False, "n": 2},
        {"wiki": "enwiki", "toggled": True, "n": 2},
    ]
    code, out = run(project, sql, "--format", "csv")
    assert out.splitlines()[0] == "wiki,toggled,n"


def test_unknown_table_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["query", "-p", str(project), "select * from event.nope"])
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "query failed" in err and "nope" in err and "hint:" in err
