"""The StatsD line parser, as one table of named cases (Etsy statsd 0.9.0 behaviour unless a case
says "deviation"; expected values were observed on the real daemon, reference §1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tallyflow.collect.statsd_line import BadLine, Sample, parse_line, sanitize_key

C, MS, H, G, S = "c", "ms", "h", "g", "s"

GOOD: list[tuple[str, bytes, tuple[Sample, ...]]] = [
    ("counter", b"hits:1|c", (Sample(C, "hits", 1.0),)),
    ("counter with rate", b"hits:2|c|@0.5", (Sample(C, "hits", 2.0, 0.5),)),
    ("rate without leading zero", b"x:1|c|@.2", (Sample(C, "x", 1.0, 0.2),)),
    ("rate above one", b"x:1|c|@2", (Sample(C, "x", 1.0, 2.0),)),
    ("deviation: exponent rate read whole", b"x:1.5|c|@2e-1", (Sample(C, "x", 1.5, 0.2),)),
    ("negative counter", b"app.signup:-1|c", (Sample(C, "app.signup", -1.0),)),
    ("exponent counter", b"cnum:+10e1|c", (Sample(C, "cnum", 100.0),)),
    ("hex counter (JavaScript Number)", b"h:0x10|c", (Sample(C, "h", 16.0),)),
    ("multi-sample line", b"multi:1|c:2|c", (Sample(C, "multi", 1.0), Sample(C, "multi", 2.0))),
    ("unknown type counts", b"odd:5|x", (Sample(C, "odd", 5.0),)),
    ("timer", b"api.latency:12.345600|ms", (Sample(MS, "api.latency", 12.3456),)),
    ("timer with rate", b"t:7.000000|ms|@0.25", (Sample(MS, "t", 7.0, 0.25),)),
    ("timer negative zero", b"t:-0.0|ms", (Sample(MS, "t", -0.0),)),
    ("deviation: histogram is a timer", b"p:512|h|#x:y", (Sample(H, "p;x=y", 512.0),)),
    ("deviation: distribution is a timer", b"l:0.123|d", (Sample(H, "l", 0.123),)),
    ("gauge", b"temp:50|g", (Sample(G, "temp", 50.0),)),
    ("gauge delta up", b"temp:+10|g", (Sample(G, "temp", 10.0, delta=True),)),
    ("gauge delta down", b"temp:-3|g", (Sample(G, "temp", -3.0, delta=True),)),
    ("set", b"users:alice|s", (Sample(S, "users", "alice"),)),
    ("empty set value is '0'", b"users:|s", (Sample(S, "users", "0"),)),
    (
        "dogstatsd tags",
        b"tagged:1|c|#env:prod,region:eu",
        (Sample(C, "tagged;env=prod;region=eu", 1.0),),
    ),
    ("tag semicolon and colon", b"t:1|c|#a;b:c:d", (Sample(C, "t;a_b=cd", 1.0),)),
    ("tag url sanitised", b"t:1|c|#url:http://x", (Sample(C, "t;url=http--x", 1.0),)),
    ("graphite tag syntax", b"name;k=v:1|c", (Sample(C, "name;k=v", 1.0),)),
    ("sanitised key", b"we ird/na+me:1|c", (Sample(C, "we_ird-name", 1.0),)),
    ("rate then tags", b"z:1|c|@0.1|#k:v", (Sample(C, "z;k=v", 1.0, 0.1),)),
    ("deviation: rate after tags", b"y:1|c|#k:v|@0.1", (Sample(C, "y;k=v", 1.0, 0.1),)),
    ("deviation: container id ignored", b"a:1|c|#env:dev|c:abc123", (Sample(C, "a;env=dev", 1.0),)),
    ("deviation: timestamp ignored", b"a:3|c|T1700000000", (Sample(C, "a", 3.0),)),
]

BAD: list[tuple[str, bytes, str]] = [
    ("no colon", b"bad line here", "no_value"),
    ("no type", b"bad_no_type:1", "no_type"),
    ("empty type", b"x:1|", "no_type"),
    ("non-numeric counter", b"badval:abc|c", "bad_value"),
    ("comma decimal", b"x:0,345345|c", "bad_value"),
    ("overflow to infinity", b"x:1e999|c", "bad_value"),
    ("hex accepted, signed hex not", b"x:+0x10|c", "bad_value"),
    ("empty gauge", b"g:|g", "bad_value"),
    ("negative timer", b"neg:-5|ms", "negative_timer"),
    ("empty rate", b"x:1|c|@", "bad_sample_rate"),
    ("negative rate", b"x:1|c|@-1.0", "bad_sample_rate"),
    ("two dots rate", b"x:1|c|@.1.", "bad_sample_rate"),
    ("deviation: zero rate", b"x:1|c|@0", "bad_sample_rate"),
    ("third field not a rate", b"x:1|c|b", "bad_field"),
    ("empty third field", b"x:1|c|", "bad_field"),
    ("one bad sample spoils the line", b"m:1|c:x|c", "bad_value"),
    ("dogstatsd event", b"_e{6,15}:deploy|v1.2 rolled out|t:info", "dogstatsd_event"),
    ("service check", b"_sc|app.up|0|#env:dev", "service_check"),
    ("key sanitised to nothing", b"+++:1|c", "empty_key"),
]


@pytest.mark.parametrize("line,expected", [case[1:] for case in GOOD], ids=[c[0] for c in GOOD])
def test_good_lines(line: bytes, expected: tuple[Sample, ...]) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize("line,reason", [case[1:] for case in BAD], ids=[c[0] for c in BAD])
def test_bad_lines(line: bytes, reason: str) -> None:
    assert parse_line(line) == BadLine(reason, line)


def test_sanitize_key_keeps_graphite_tag_characters() -> None:
    assert sanitize_key(b"a.b-c_d;e=f") == "a.b-c_d;e=f"
    assert sanitize_key(b"tab\there  two") == "tab_here_two"


@given(st.binary(max_size=80) | st.from_regex(rb"[a-z.#;:|@,+\-0-9eEx ]{0,40}", fullmatch=True))
def test_any_input_gives_samples_or_a_reason_never_an_exception(line: bytes) -> None:
    result = parse_line(line)
    assert isinstance(result, BadLine) or all(isinstance(s, Sample) for s in result)
