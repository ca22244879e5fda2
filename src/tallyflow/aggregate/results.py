"""Query results as the runner sees them (aggregate stage: engine output in, dated rows out).

Every engine returns a `Result` (header + rows of text, None for an empty field). `by_date`
applies ReportUpdater's normalisation (reference §2.6): column 0 must be a `YYYY-MM-DD` date
and rows are grouped by their own date; a row whose width differs from the header's fails the
interval (the reference aborted the whole run).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from tallyflow.errors import ReportError
from tallyflow.publish.tsv import Row


@dataclass(frozen=True)
class Result:
    header: list[str]
    rows: list[Row]


def parse_tsv_output(text: str, source: str) -> Result:
    """Hive CLI / script stdout: tab-separated, first line the header."""
    lines = [line for line in csv.reader(io.StringIO(text, newline=""), delimiter="\t")]
    if not lines:
        raise ReportError(
            f"{source} printed nothing (no header line)",
            hint="the first line of output must be the column header",
        )
    header, *rows = lines
    return Result(header=header, rows=[list(row) for row in rows])


def _date(value: str | None) -> dt.date:
    text = value or ""
    if len(text) == 19 and text[10] == " ":
        text = text[:10]  # a DATETIME from SQL: truncated to its day, as ReportUpdater does
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ReportError(
            f"result row starts with {value!r}, not a YYYY-MM-DD date",
            hint="the first column of every row must be the interval's start date "
            "(for example '{from_date}' in HiveQL, DATE('{from_timestamp}') in SQL, $1 in scripts)",
        ) from None


def by_date(result: Result) -> dict[dt.date, list[Row]]:
    """Rows grouped by their date (column 0), in output order; widths checked."""
    grouped: dict[dt.date, list[Row]] = {}
    width = len(result.header)
    for number, row in enumerate(result.rows, start=1):
        if len(row) != width:
            raise ReportError(
                f"result row {number} has {len(row)} fields but the header has {width} "
                f"({', '.join(result.header)})",
                hint="every row needs one value per header column",
            )
        day = _date(row[0])
        grouped.setdefault(day, []).append([day.isoformat(), *row[1:]])
    return grouped
