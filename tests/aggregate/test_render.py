import datetime as dt
from decimal import Decimal

import pytest

from tallyflow.aggregate.render import hive_text, java_double, sql_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.5, "0.5"),
        (1e-4, "1.0E-4"),
        (0.001, "0.001"),
        (12345678.0, "1.2345678E7"),
        (1e7, "1.0E7"),
        (9999999.0, "9999999.0"),
        (-2.5e-10, "-2.5E-10"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
        (-0.0, "-0.0"),
    ],
)
def test_doubles_print_as_java_double_to_string(value: float, text: str) -> None:
    assert java_double(value) == text


def test_hive_cli_rendering_of_nulls_booleans_dates_and_collections() -> None:
    assert [hive_text(v) for v in (None, True, False, 3, dt.date(2021, 6, 7))] == [
        "NULL",
        "true",
        "false",
        "3",
        "2021-06-07",
    ]
    assert hive_text(["a", "b"]) == '["a","b"]'
    assert hive_text({"k": 1.0}) == '{"k":1.0}'


def test_mysql_values_are_written_as_reportupdater_writes_them() -> None:
    assert sql_text(None) is None
    assert sql_text(Decimal("0.5000")) == "0.5000"
    assert sql_text(b"enwiki") == "enwiki"
    assert sql_text(dt.date(2021, 6, 7)) == "2021-06-07"
