"""Each fix-up of HiveQL -> DuckDB, checked against Hive's documented behaviour (Hive language
manual, UDFs: substr, lpad, to_date, the `/` operator; CLI output), on a real DuckDB."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tallyflow.aggregate.hiveql import to_duckdb, to_spark
from tallyflow.errors import QueryError


def hive_on_duckdb(hiveql: str) -> list[Any]:
    with duckdb.connect() as con:
        row = con.execute(to_duckdb(hiveql)).fetchone()
    assert row is not None
    return list(row)


def test_substr_position_0_is_position_1_as_in_hive() -> None:
    # Hive: substr('hello', 0, 3) = 'hel' (0 is treated as 1); substr('hello', -3, 2) = 'll'
    assert hive_on_duckdb("SELECT SUBSTR('hello', 0, 3), SUBSTR('hello', -3, 2)") == ["hel", "ll"]
    assert hive_on_duckdb("SELECT SUBSTRING(s, p, 2) FROM (SELECT 'hello' s, 0 p) t") == ["he"]


def test_lpad_on_an_integer_pads_its_decimal_text() -> None:
    # Hive converts the int to a string: lpad(6, 2, '0') = '06'
    assert hive_on_duckdb("SELECT LPAD(6, 2, '0'), RPAD(7, 3, 'x')") == ["06", "7xx"]


def test_date_of_a_mediawiki_timestamp_and_of_a_datetime_string() -> None:
    import datetime as dt

    assert hive_on_duckdb(
        "SELECT DATE('20210607123000'), TO_DATE('2021-06-07 10:00:00'), TO_DATE('garbage')"
    ) == [dt.date(2021, 6, 7), dt.date(2021, 6, 7), None]


def test_division_is_a_double_and_by_zero_is_null() -> None:
    # Hive: 5/2 = 2.5 (always double), 1/0 = NULL
    assert hive_on_duckdb("SELECT 5 / 2, 1 / 0, x / y FROM (SELECT 3 x, 0 y) t") == [
        2.5,
        None,
        None,
    ]


def test_failed_casts_are_null_as_in_hive() -> None:
    assert hive_on_duckdb("SELECT CAST('abc' AS INT), CAST('12' AS BIGINT)") == [None, 12]


def test_array_subscripts_are_zero_based_and_size_counts() -> None:
    assert hive_on_duckdb("SELECT a[0], SIZE(a) FROM (SELECT ARRAY('x', 'y') a) t") == ["x", 2]


def test_struct_fields_are_named_after_the_field_and_order_by_that_name() -> None:
    with duckdb.connect() as con:
        con.execute("CREATE SCHEMA event")
        con.execute(
            "CREATE TABLE event.t AS SELECT {'enabled': b} AS event "
            "FROM (VALUES (true), (false)) v(b)"
        )
        cursor = con.execute(to_duckdb("SELECT event.enabled FROM event.t ORDER BY enabled"))
        assert [column[0] for column in cursor.description] == ["enabled"]
        assert cursor.fetchall() == [(False,), (True,)]


def test_join_without_on_and_backquoted_reserved_words() -> None:
    assert hive_on_duckdb("SELECT a.x AS `date`, b.y FROM (SELECT 1 x) a JOIN (SELECT 2 y) b") == [
        1,
        2,
    ]


def test_zero_padded_partition_literals_and_rlike() -> None:
    assert hive_on_duckdb("SELECT 6 = 06, '1.28.0' RLIKE '^[0-9]+([.][0-9]+)*$'") == [True, True]


def test_spark_keeps_hive_functions_and_fixes_mediawiki_dates() -> None:
    sql = to_spark("SELECT SUBSTR(s, 0, 2), DATE('20210607000000') FROM t")
    assert "SUBSTRING(s, 0, 2)" in sql and "yyyyMMddHHmmss" in sql


def test_unparseable_hiveql_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="does not parse"):
        to_duckdb("SELECT FROM WHERE (")


def test_decimal_point_literals_are_doubles_as_in_hive() -> None:
    # Hive: round(2.5) = 3.0 (a DOUBLE, printed 3.0); 0.5 * 2 = 1.0
    import decimal

    values = hive_on_duckdb("SELECT ROUND(2.5), 0.5 * 2, 1e3")
    assert values == [3.0, 1.0, 1000.0]
    assert not any(isinstance(v, decimal.Decimal) for v in values)
    assert "CAST(2.5 AS DOUBLE)" in to_spark("SELECT 2.5")


def test_date_sub_compares_with_concatenated_partition_strings() -> None:
    assert hive_on_duckdb(
        "SELECT date_sub('2021-06-07', 23), "
        "CONCAT(2021, '-', LPAD(6, 2, '0'), '-', LPAD(1, 2, '0')) >= date_sub('2021-06-07', 7)"
    ) == ["2021-05-15", True]


def test_unix_timestamp_is_a_bigint() -> None:
    assert hive_on_duckdb("SELECT unix_timestamp('2021-06-07 00:00:00')") == [1623024000]


def test_unnamed_expressions_are_named_by_position_as_in_hive() -> None:
    with duckdb.connect() as con:
        cursor = con.execute(to_duckdb("SELECT 'x', COUNT(1), 2 AS two FROM (SELECT 1 a) t"))
        assert [column[0] for column in cursor.description] == ["_c0", "_c1", "two"]
