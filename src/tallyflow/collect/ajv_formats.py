"""String formats checked the way AJV v6 checks them in its default "fast" mode, so an event
that EventGate accepts is accepted here too (e.g. `2020-01-01 00:00:00z` is a valid date-time).

Input: a string. Output: True when it has the format. Used by both the fast validator
(jsonschema-rs) and the error reporter (jsonschema), so they always agree.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

_DATE = re.compile(r"\d\d\d\d-[0-1]\d-[0-3]\d")
_TIME = re.compile(
    r"(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?", re.IGNORECASE
)
_DATE_TIME = re.compile(
    r"\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?"
    r"(?:z|[+-]\d\d(?::?\d\d)?)",
    re.IGNORECASE,
)
_URI = re.compile(r"(?:[a-z][a-z0-9+\-.]*:)(?:/?/)?[^\s]*", re.IGNORECASE)
_URI_REFERENCE = re.compile(
    r"(?:(?:[a-z][a-z0-9+\-.]*:)?/?/)?(?:[^\\\s#][^\s#]*)?(?:#[^\\\s]*)?", re.IGNORECASE
)
_EMAIL = re.compile(
    r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*",
    re.IGNORECASE,
)
_HOSTNAME = re.compile(
    r"(?=.{1,253}\.?\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)")
_UUID = re.compile(r"(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", re.IGNORECASE)


_MEMO_SIZE = 4096


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A check remembering recent answers: a batch's events share their receive time."""
    memo: dict[str, bool] = {}

    def check(value: str) -> bool:
        known = memo.get(value)
        if known is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            known = memo[value] = pattern.fullmatch(value) is not None
        return known

    return check


def _ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _regex(value: str) -> bool:
    try:
        re.compile(value)
    except re.error:
        return False
    return True


AJV_FORMATS: dict[str, Callable[[str], bool]] = {
    "date": _matcher(_DATE),
    "time": _matcher(_TIME),
    "date-time": _matcher(_DATE_TIME),
    "uri": _matcher(_URI),
    "uri-reference": _matcher(_URI_REFERENCE),
    "email": _matcher(_EMAIL),
    "hostname": _matcher(_HOSTNAME),
    "ipv4": _matcher(_IPV4),
    "ipv6": _ipv6,
    "uuid": _matcher(_UUID),
    "regex": _regex,
}
"""Format name -> check. Formats not listed here are not checked (as unknown formats)."""
