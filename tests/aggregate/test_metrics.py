from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from tallyflow.aggregate.config import GraphiteMapping
from tallyflow.aggregate.metrics import graphite_lines, timestamp
from tallyflow.errors import ReportError

DAY = dt.date(2021, 1, 3)
MAPPING = GraphiteMapping(
    path="{_metric}.byEditCount.{bucket}.byWiki.{wiki}",
    metrics={"M.edits": "edits", "M.users": "users"},
)


def test_names_come_from_explode_values_through_lookups_then_row_columns() -> None:
    lines = graphite_lines(
        GraphiteMapping(path="{_metric}.{wiki}.{site}", metrics={"M.n": "n"}),
        {"wiki": "frwiki", "site": "enwiki"},
        {"site": {"enwiki": "en.wikipedia"}},
        ["date", "wiki", "n"],
        [["2021-01-03", "enwiki", "5"]],
        DAY,
    )
    # the row's `wiki` column wins over the explode value; lookups apply to explode values
    assert lines == ["M.n.enwiki.en.wikipedia 5 1609632000\n"]


def test_one_line_per_row_and_metric_in_order_nulls_and_text_skipped() -> None:
    rows = [["2021-01-03", "1-4", "enwiki", "3", None], ["2021-01-03", "5+", "dewiki", "NULL", "2"]]
    lines = graphite_lines(MAPPING, {}, {}, ["date", "bucket", "wiki", "edits", "users"], rows, DAY)
    assert lines == [
        "M.edits.byEditCount.1-4.byWiki.enwiki 3 1609632000\n",
        "M.users.byEditCount.5+.byWiki.dewiki 2 1609632000\n",
    ]


def test_bad_paths_and_names_fail_before_anything_is_sent() -> None:
    header = ["date", "bucket", "wiki", "edits", "users"]
    row = [["2021-01-03", "1 or more", "enwiki", "3", "1"]]
    with pytest.raises(ReportError, match="space"):
        graphite_lines(MAPPING, {}, {}, header, row, DAY)
    sanitized = graphite_lines(MAPPING, {}, {}, header, row, DAY, sanitize=True)
    assert sanitized[0].startswith("M.edits.byEditCount.1_or_more.byWiki.enwiki 3 ")
    with pytest.raises(ReportError, match="cannot be filled"):
        graphite_lines(
            MAPPING, {}, {}, ["date", "wiki", "edits", "users"], [row[0][:1] + row[0][2:]], DAY
        )


def test_timestamps_are_utc_midnight_or_local_midnight_for_compatibility() -> None:
    assert timestamp(DAY) == 1609632000
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        assert timestamp(DAY, local=True) == 1609632000 + 5 * 3600
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()
