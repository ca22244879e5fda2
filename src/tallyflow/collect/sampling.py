"""Client-side sampling and identifiers, exactly as the Wikimedia clients do them.

Inputs: a stream's config (`streams.yaml`, or the raw mapping the browser receives) and the
session or pageview id. Output: whether the client would send the stream's events.

- `in_sample` is the Metrics Platform SamplingController (`SamplingController.js`): no config
  -> out; no `sample` -> in; an invalid `sample` (missing or falsy unit or rate, rate outside
  0..1, and so rate 0) -> out; unit `session` or `pageview` -> `first 8 hex / (2^32 - 1) < rate`
  of that id; any other unit, `device` included -> out. So `ffffffff...` is out even at rate 1.
- `random_token_match` and `session_in_sample` / `pageview_in_sample` are EventLogging's older
  population-size helpers (`core.js`): `parseInt(token[:8], 16) % population == 0`.
- `generate_id` is `mw.user.generateRandomSessionId()`: 80 random bits as 20 lowercase hex.
- `edit_count_bucket` is `getUserEditCountBucket`.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from typing import Any

from tallyflow.collect.streams import StreamConfig

MAX_TOKEN = 0xFFFFFFFF
"""`2^32 - 1`: the first 8 hex digits of an id are divided by this (`normalizeId`)."""
UNITS = ("session", "pageview")
"""Sampling units the clients implement; `device` is accepted in config but always out."""
ID_PATTERN = re.compile(r"^[0-9a-f]{20}$")
"""What `mw.user.sessionId()` accepts from its cookie (anything else is regenerated)."""

_HEX = re.compile(r"^[0-9a-fA-F]+")


def generate_id(rng: random.Random | None = None) -> str:
    """A session/pageview id: 5 random 16-bit values as 20 lowercase hex characters."""
    source = rng if rng is not None else random.SystemRandom()
    return "".join(f"{source.getrandbits(16):04x}" for _ in range(5))


def _leading_int(token: str) -> float:
    """`parseInt(token.slice(0, 8), 16)`: NaN when the first character is not hex."""
    match = _HEX.match(token[:8])
    return float(int(match.group(0), 16)) if match else math.nan


def normalize_id(token: str) -> float:
    """`normalizeId`: the first 8 hex digits of `token` as a number in [0, 1] (NaN if none)."""
    return _leading_int(token) / MAX_TOKEN


def random_token_match(population_size: float, token: str | None = None) -> bool:
    """True iff `parseInt(token[:8], 16) % population_size === 0` (JavaScript semantics).

    Population 0 (NaN) and non-finite populations never match; population 1 always does. The
    token defaults to a fresh id, as in `mw.eventLog.randomTokenMatch`.
    """
    value = _leading_int(token if token is not None else generate_id())
    if math.isnan(value) or not math.isfinite(population_size) or population_size == 0:
        return False
    return math.fmod(value, population_size) == 0


def session_in_sample(population_size: float, session_id: str) -> bool:
    """`mw.eventLog.sessionInSample`: `random_token_match` on the session id."""
    return random_token_match(population_size, session_id)


def pageview_in_sample(population_size: float, pageview_id: str) -> bool:
    """`mw.eventLog.pageviewInSample`: `random_token_match` on the pageview token."""
    return random_token_match(population_size, pageview_id)


def population_size(rate: float) -> float:
    """`1 / rate`, as `mw.eventLog.Schema` turns a sampling rate into a population size."""
    return math.inf if rate == 0 else 1 / rate


def _sample_of(config: StreamConfig | Mapping[str, Any]) -> tuple[bool, Any, Any]:
    """(has a sample key, rate, unit) of a typed or raw stream config."""
    if isinstance(config, StreamConfig):
        if config.sample is None:
            return False, None, None
        return True, config.sample.rate, config.sample.unit
    if "sample" not in config:
        return False, None, None
    sample = config["sample"]
    if not isinstance(sample, Mapping):
        return True, None, None
    return True, sample.get("rate"), sample.get("unit")


def valid_sample(rate: Any, unit: Any) -> bool:
    """`StreamConfig` validity: unit truthy, rate truthy and 0 <= rate <= 1 (so rate 0 is not)."""
    if not unit or isinstance(rate, bool) or not isinstance(rate, int | float) or not rate:
        return False
    return 0 <= rate <= 1


def in_sample(
    stream_config: StreamConfig | Mapping[str, Any] | None, session_id: str, pageview_id: str
) -> bool:
    """SamplingController.streamInSample: would the client send this stream's events?"""
    if stream_config is None:
        return False
    has_sample, rate, unit = _sample_of(stream_config)
    if not has_sample:
        return True
    if not valid_sample(rate, unit):
        return False
    if unit == "session":
        token = session_id
    elif unit == "pageview":
        token = pageview_id
    else:
        return False
    return normalize_id(token) < float(rate)


def edit_count_bucket(edit_count: int | None) -> str | None:
    """`getUserEditCountBucket`: the reduced-granularity label of an edit count."""
    if edit_count is None:
        return None
    if edit_count == 0:
        return "0 edits"
    if edit_count < 5:
        return "1-4 edits"
    if edit_count < 100:
        return "5-99 edits"
    if edit_count < 1000:
        return "100-999 edits"
    return "1000+ edits"


def legacy_stream_name(schema_name: str) -> str:
    """`makeLegacyStreamName`: `MySchema` -> `eventlogging_MySchema`."""
    return "eventlogging_" + schema_name
