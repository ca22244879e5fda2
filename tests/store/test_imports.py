from __future__ import annotations

from pathlib import Path

import pytest

from tallyflow.cli import main
from tallyflow.errors import UsageError
from tallyflow.store.catalog import connect
from tallyflow.store.imports import import_table


def test_csv_and_json_lines_become_a_partitioned_table_queries_can_read(tmp_path: Path) -> None:
    csv = tmp_path / "browser.csv"
    csv.write_text(
        "Year,Month,Day,browser_family,view_count\n2021,6,7,Firefox,10\n2021,6,8,Chrome,5\n"
    )
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(
        '{"year": 2021, "month": 6, "day": 8, "browser_family": "Safari", "view_count": 2}\n'
    )
    assert import_table(tmp_path / "store", "wmf.browser_general", [csv, jsonl]) == 3
    assert (tmp_path / "store/events/wmf/browser_general/year=2021/month=6/day=8").is_dir()
    with connect(tmp_path / "store") as con:
        rows = con.execute(
            "SELECT browser_family, view_count FROM wmf.browser_general WHERE day = 8 ORDER BY 1"
        ).fetchall()
    assert rows == [("Chrome", 5), ("Safari", 2)]


def test_unpartitioned_import_and_replace(tmp_path: Path) -> None:
    data = tmp_path / "map.tsv"
    data.write_text("dbname\thostname\nenwiki\ten.wikipedia.org\n")
    store = tmp_path / "store"
    import_table(store, "canonical_data.wikis", [data])
    import_table(store, "canonical_data.wikis", [data], replace=True)
    with connect(store) as con:
        assert con.execute("SELECT COUNT(*) FROM canonical_data.wikis").fetchone() == (1,)


def test_bad_names_and_types_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="DATABASE.TABLE"):
        import_table(tmp_path, "nodot", [])
    bad = tmp_path / "x.xml"
    bad.write_text("<x/>")
    with pytest.raises(UsageError, match="unknown file type"):
        import_table(tmp_path, "a.b", [bad])


def test_store_import_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "tallyflow.yaml").write_text("store: s\n")
    data = tmp_path / "d.csv"
    data.write_text("snapshot,n\n2021-05,3\n")
    with pytest.raises(SystemExit) as done:
        main(
            [
                "store",
                "import",
                "wmf.editors",
                str(data),
                "--partition-by",
                "snapshot",
                "-p",
                str(tmp_path),
            ]
        )
    assert done.value.code == 0
    assert "1 rows imported" in capsys.readouterr().out
    assert (tmp_path / "s/events/wmf/editors/snapshot=2021-05").is_dir()
