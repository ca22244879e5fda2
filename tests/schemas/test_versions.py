from __future__ import annotations

from tallyflow.schemas.versions import Version, parse_strict, version_of_id


def test_strict_semver_file_stems() -> None:
    assert parse_strict("1.2.0") == Version(1, 2, 0)
    assert parse_strict("latest") is None and parse_strict("1.2") is None
    assert parse_strict("1.0.0-rc.1") is not None
    assert parse_strict("1.0.0-rc.1") < parse_strict("1.0.0")  # type: ignore[operator]


def test_version_of_id_is_the_coerced_last_segment() -> None:
    assert version_of_id("/w3c/reportingapi/report/1.2.3") == Version(1, 2, 3)
    assert version_of_id("/a/b/2") == Version(2, 0, 0)
    assert version_of_id("/a/b/current") is None
    assert Version(1, 10, 0) > Version(1, 9, 9)
