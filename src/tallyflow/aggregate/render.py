"""Result rendering (aggregate stage: engine values in, report text out).

Hive's CLI prints `NULL` for nulls, `true`/`false` for booleans and doubles in Java's
`Double.toString` form (`1.0`, `1.0E-4`); existing TSV files and Graphite series hold exactly
that text, so results from DuckDB and Spark are rendered the same way. SQL (MySQL) results
keep ReportUpdater's csv rendering: `None` stays None (an empty field), other values `str()`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any


def java_double(value: float) -> str:
    """Java's `Double.toString`: `1.0`, `0.001`, `1.0E-4`, `1.2345678E7`, `NaN`, `Infinity`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    numerals = "".join(str(d) for d in digits)
    power = exponent + len(numerals) - 1
    fraction = numerals[1:] or "0"
    return f"{'-' if sign else ''}{numerals[0]}.{fraction}E{power}"


def _hive_nested(value: Any) -> Any:
    if hasattr(value, "asDict"):  # a Spark Row (struct)
        value = value.asDict()
    if isinstance(value, dict):
        return {str(k): _hive_nested(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_hive_nested(v) for v in value]
    if isinstance(value, float):
        return float(java_double(value)) if math.isfinite(value) else None
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def hive_text(value: Any) -> str:
    """One value as Hive's CLI prints it."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict | list | tuple) or hasattr(value, "asDict"):
        return json.dumps(_hive_nested(value), separators=(",", ":"), ensure_ascii=False)
    return str(value)


def sql_text(value: Any) -> str | None:
    """One MySQL value as ReportUpdater writes it (None -> empty field)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)
