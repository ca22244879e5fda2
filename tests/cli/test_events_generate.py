"""`tallyflow events generate` driven through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.cli import main
from tallyflow.store.catalog import connect

STREAMS = """\
eventlogging_CodeMirrorUsage:
  schema_title: analytics/legacy/codemirrorusage
  sample: {rate: 0.5, unit: session}
  generate:
    wikis: {enwiki: 3, dewiki: 1}
    fields:
      event.editor: {weights: {wikitext: 3, wikitext-2017: 1}}
eventlogging_ReferencePreviewsPopups:
  schema_title: analytics/legacy/referencepreviewspopups
"""


@pytest.fixture
def project(project_dir: Path, schema_repo: Path) -> Path:
    (project_dir / "tallyflow.yaml").write_text(f"schemas:\n  base_paths: [{schema_repo}]\n")
    (project_dir / "streams.yaml").write_text(STREAMS)
    return project_dir


def run(project: Path, *args: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(["events", "generate", "-p", str(project), *args])
    code = done.value.code
    return code if isinstance(code, int) else 1


def test_fills_the_store_with_plausible_counts(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--start", "2026-01-01", "--end", "2026-01-03", "--per-day", "2000", "--seed", "1")
    status = run(project, "--stream", "eventlogging_CodeMirrorUsage",
                 "--stream", "eventlogging_ReferencePreviewsPopups", *args)  # fmt: skip
    assert status == 0
    err = capsys.readouterr().err
    assert "eventlogging_CodeMirrorUsage: 6000 events generated" in err
    assert "eventlogging_ReferencePreviewsPopups: 6000 events generated, 6000 in sample" in err
    con = connect(project / ".tallyflow")
    rows = con.execute(
        "SELECT wiki, event.editor, day, count(*) FROM event.codemirrorusage GROUP BY ALL"
    ).fetchall()
    con.close()
    assert {(wiki, day) for wiki, _, day, _ in rows} == {
        (w, d) for w in ("enwiki", "dewiki") for d in (1, 2, 3)
    }
    total = sum(count for *_, count in rows)
    assert 2400 < total < 3600  # half the sessions are in sample
    wikitext = sum(count for _, editor, _, count in rows if editor == "wikitext")
    assert 0.65 < wikitext / total < 0.85


def test_jsonl_output_is_byte_identical_for_a_seed(project: Path, tmp_path: Path) -> None:
    args = ["--stream", "eventlogging_CodeMirrorUsage", "--start", "2026-01-01",
            "--end", "2026-01-02", "--per-day", "300", "--seed", "9"]  # fmt: skip
    assert run(project, *args, "--out", str(tmp_path / "a.jsonl")) == 0
    assert run(project, *args, "--out", str(tmp_path / "b.jsonl")) == 0
    a = (tmp_path / "a.jsonl").read_bytes()
    assert a == (tmp_path / "b.jsonl").read_bytes() and a.count(b"\n") > 200
    assert not (project / ".tallyflow").exists()


def test_bad_input_exits_2_with_a_message(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--start", "2026-01-01", "--end", "2026-01-01"]
    both = ["--out", "x.jsonl", "--to", "http://127.0.0.1:1/v1/events"]
    assert run(project, "--stream", "eventlogging_CodeMirrorUsage", *base, *both) == 2
    assert "either --out FILE or --to URL" in capsys.readouterr().err
    assert run(project, "--stream", "eventlogging_CodeMirrorUsage", "--start", "2026-01-02",
               "--end", "2026-01-01") == 2  # fmt: skip
    assert "--end 2026-01-01 is before --start 2026-01-02" in capsys.readouterr().err
    assert run(project, "--stream", "nope", *base) == 2
    assert "stream 'nope' is not configured" in capsys.readouterr().err
    (project / "streams.yaml").write_text(
        STREAMS.replace("event.editor: {weights", "event.edtor: {weights")
    )
    assert run(project, "--stream", "eventlogging_CodeMirrorUsage", *base) == 2
    err = capsys.readouterr().err
    assert "eventlogging_CodeMirrorUsage.generate.fields.event.edtor" in err
    assert "did you mean 'event.editor'?" in err
