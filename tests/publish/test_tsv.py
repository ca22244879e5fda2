from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tallyflow.errors import StoreError
from tallyflow.publish.tsv import (
    ReportFile,
    merge,
    read_report_file,
    render,
    trim,
    write_report_file,
)

D1, D2, D3 = dt.date(2021, 1, 1), dt.date(2021, 1, 2), dt.date(2021, 1, 3)


def test_removed_columns_are_kept_at_the_end_in_alphabetical_order() -> None:
    old = ReportFile(["date", "a", "c"], {D1: [["2021-01-01", "1", "3"]]})
    merged = merge(old, ["date", "b", "a"], {D2: [["2021-01-02", "20", "10"]]})
    assert render(merged) == "date\tb\ta\tc\n2021-01-01\t\t1\t3\n2021-01-02\t20\t10\t\n"


def test_new_rows_replace_every_old_row_of_their_date_and_rows_sort_by_date() -> None:
    old = ReportFile(["date", "v"], {D2: [["2021-01-02", "a"], ["2021-01-02", "b"]]})
    merged = merge(old, ["date", "v"], {D1: [["2021-01-01", "x"]], D2: [["2021-01-02", "c"]]})
    assert render(merged) == "date\tv\n2021-01-01\tx\n2021-01-02\tc\n"


def test_files_round_trip_with_quoting_crlf_and_atomic_replace(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "r.tsv"
    report = ReportFile(["date", "v"], {D1: [["2021-01-01", 'a\t"b"']]})
    write_report_file(path, report, crlf=True)
    assert path.read_bytes() == b'date\tv\r\n2021-01-01\t"a\t""b"""\r\n'
    assert read_report_file(path).rows == report.rows
    assert not path.with_name("r.tsv.tmp").exists()


def test_blank_lines_are_tolerated_but_a_bad_date_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_text("date\tv\n2021-01-01\t1\n\n")
    assert read_report_file(path).dates == {D1}
    path.write_text("date\tv\n01/01/2021\t1\n")
    with pytest.raises(StoreError, match="r.tsv:2"):
        read_report_file(path)


def test_trim_drops_old_dates_but_keeps_new_ones() -> None:
    report = ReportFile(
        ["date"], {D1: [["2021-01-01"]], D2: [["2021-01-02"]], D3: [["2021-01-03"]]}
    )
    trim(report, D2, keep={D1})
    assert report.dates == {D1, D3}
