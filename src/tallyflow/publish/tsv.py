"""ReportUpdater TSV output (publish stage: result rows in, `<report>.tsv` files out).

Reference §4: a header line, then rows sorted by date (column 0, `YYYY-MM-DD`), rows of one
date in their original order. New rows for a date replace every old row of that date. When the
header changes, old rows are re-mapped by column name and removed columns are kept at the end
in alphabetical order. Files are written to `<file>.tmp` and renamed, so a reader never sees a
half-written file. Lines end in LF (CRLF as the reference writes, with `crlf=True`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from tallyflow.errors import StoreError

Row = list[str | None]


@dataclass
class ReportFile:
    """The contents of one output file: header and rows per date (in order)."""

    header: list[str] = field(default_factory=list)
    rows: dict[dt.date, list[Row]] = field(default_factory=dict)

    @property
    def dates(self) -> set[dt.date]:
        return set(self.rows)


def parse_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m-%d").date()


def read_report_file(path: Path) -> ReportFile:
    """Read an existing output file (LF or CRLF); a missing file is empty."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ReportFile()
    except (OSError, UnicodeDecodeError) as error:
        raise StoreError(f"{path}: cannot be read: {error}") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    result = ReportFile()
    for number, line in enumerate(reader, start=1):
        if not line or line == [""]:
            continue
        if not result.header:
            result.header = line
            continue
        try:
            day = parse_date(line[0])
        except ValueError:
            raise StoreError(
                f"{path}:{number}: first column {line[0]!r} is not a YYYY-MM-DD date",
                hint="fix or delete that line; every row starts with its date",
            ) from None
        result.rows.setdefault(day, []).append(list(line))
    return result


def merge(
    existing: ReportFile, header: list[str], new_rows: dict[dt.date, list[Row]]
) -> ReportFile:
    """ReportUpdater's merge: new dates replace old ones; headers are merged by column name."""
    if not existing.header or existing.header == header:
        merged_header = list(header)
    else:
        removed = sorted(set(existing.header[1:]) - set(header))
        merged_header = [*header, *removed]
    width = len(merged_header)
    result = ReportFile(header=merged_header)
    if existing.header:
        positions = {name: i for i, name in reversed(list(enumerate(existing.header)))}
        mapping = [0] + [positions.get(name, -1) for name in merged_header[1:]]
        for day, rows in existing.rows.items():
            if day in new_rows:
                continue
            result.rows[day] = [
                [row[i] if 0 <= i < len(row) else None for i in mapping] for row in rows
            ]
    for day, rows in new_rows.items():
        result.rows[day] = [row + [None] * (width - len(row)) for row in rows]
    return result


def trim(report: ReportFile, threshold: dt.date, keep: set[dt.date]) -> None:
    """Drop dates <= threshold except `keep` (max_data_points, reference §4.5)."""
    for day in [d for d in report.rows if d <= threshold and d not in keep]:
        del report.rows[day]


def render(report: ReportFile, crlf: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n" if crlf else "\n")
    writer.writerow(report.header)
    for day in sorted(report.rows):
        for row in report.rows[day]:
            writer.writerow([day.isoformat(), *row[1:]])
    return out.getvalue()


def write_report_file(path: Path, report: ReportFile, crlf: bool = False) -> None:
    """Write atomically: `<path>.tmp`, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(render(report, crlf))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        raise StoreError(f"{path}: cannot be written: {error}") from None
