from pathlib import Path

import pytest

from tallyflow.cli import main
from tallyflow.schemas.repository import SchemaRepository
from tallyflow.store.events import EventStore
from tests.store.conftest import FIXTURES, codemirror_event


def test_prune_uses_per_stream_retention_and_the_allowlist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tallyflow.yaml").write_text(
        f"schemas:\n  base_paths: [{FIXTURES / 'schemas'}]\n"
        "events:\n  sanitize_allowlist: allowlist.yaml\n"
    )
    (tmp_path / "streams.yaml").write_text(
        "eventlogging_CodeMirrorUsage:\n  schema_title: analytics/legacy/codemirrorusage\n"
        "  retention_days: 30\n"
    )
    (tmp_path / "allowlist.yaml").write_text("codemirrorusage:\n  wiki: keep\n")
    EventStore(tmp_path / ".tallyflow", SchemaRepository([FIXTURES / "schemas"])).write_batch(
        [
            codemirror_event(1, dt="2026-01-01T00:00:00Z"),
            codemirror_event(2, dt="2026-02-01T00:00:00Z"),
        ]
    )
    with pytest.raises(SystemExit) as done:
        main(["store", "prune", "-p", str(tmp_path), "--now", "2026-02-15"])
    assert done.value.code == 0
    assert "codemirrorusage: 1 hour(s) sanitized, 1 hour(s) deleted" in capsys.readouterr().out
    assert (tmp_path / ".tallyflow/events/event_sanitized/codemirrorusage").is_dir()
    assert not (
        tmp_path / ".tallyflow/events/event/codemirrorusage/year=2026/month=1/day=1"
    ).exists()
    assert (tmp_path / ".tallyflow/events/event/codemirrorusage/year=2026/month=2/day=1").is_dir()
