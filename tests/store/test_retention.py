from datetime import UTC, datetime
from pathlib import Path

import pytest

from tallyflow.errors import ConfigError
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store import catalog
from tallyflow.store.events import EventStore
from tallyflow.store.retention import load_allowlist, prune
from tests.store.conftest import codemirror_event

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def fill(root: Path, repository: SchemaRepository) -> None:
    EventStore(root, repository).write_batch(
        [
            codemirror_event(1, dt="2026-01-01T10:00:00Z"),  # 151 days old
            codemirror_event(2, dt="2026-05-20T10:00:00Z"),  # 12 days old
        ]
    )


def test_partitions_past_retention_are_deleted(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    fill(tmp_path, repository)
    receipt = prune(tmp_path, NOW, lambda table: 90)
    assert receipt.deleted == {"codemirrorusage": 1}
    con = catalog.connect(tmp_path)
    assert con.execute("select event.session_token from event.codemirrorusage").fetchall() == [
        ("s2",)
    ]
    con.close()
    assert not (tmp_path / "events/event/codemirrorusage/year=2026/month=1").exists()
    assert prune(tmp_path, NOW, lambda table: 10).deleted == {"codemirrorusage": 1}


def test_allowlisted_columns_outlive_retention(
    tmp_path: Path, repository: SchemaRepository
) -> None:
    fill(tmp_path, repository)
    allowlist = tmp_path / "allowlist.yaml"
    allowlist.write_text(
        "__defaults__:\n  dt: keep\ncodemirrorusage:\n  wiki: keep\n"
        "  event:\n    editor: keep\n    session_token: hash\n"
    )
    receipt = prune(tmp_path, NOW, lambda table: 90, load_allowlist(allowlist))
    assert receipt.sanitized == {"codemirrorusage": 1}
    con = catalog.connect(tmp_path)
    columns = [
        d[0] for d in con.execute("select * from event_sanitized.codemirrorusage").description
    ]
    assert columns[:3] == ["dt", "wiki", "event"]
    assert set(columns[3:]) == {"year", "month", "day", "hour"}
    editor, token, wiki = con.execute(
        "select event.editor, event.session_token, wiki from event_sanitized.codemirrorusage"
    ).fetchone()  # type: ignore[misc]
    con.close()
    assert (editor, wiki) == ("wikitext", "enwiki")
    assert token != "s1" and len(token) == 64


def test_bad_allowlist_rule_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "allowlist.yaml"
    path.write_text("codemirrorusage:\n  event:\n    editor: keepp\n")
    with pytest.raises(ConfigError, match="codemirrorusage.event.editor: 'keepp'"):
        load_allowlist(path)
