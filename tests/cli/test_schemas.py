"""`tallyflow schemas ...` as a user runs it: exit codes 0/1/2 and what the output says."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tallyflow.schemas.documents import read_document
from tests.conftest import FIXTURES
from tests.schemas.conftest import event_of

SRC = Path(__file__).resolve().parents[2] / "src"
TITLE = "analytics/legacy/codemirrorusage"


def tallyflow(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run(
        [sys.executable, "-m", "tallyflow", *args, "-p", str(project)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=project,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose `schemas/` is the Wikimedia fixture repository, with `schemas-primary/`
    beside it (its .jsonschema-tools.yaml looks there for the primary fragments)."""
    root = tmp_path / "project"
    root.mkdir()
    (root / "tallyflow.yaml").write_text("# defaults: schemas.base_paths = [schemas]\n")
    shutil.copytree(FIXTURES / "schemas", root / "schemas", symlinks=True)
    shutil.copytree(FIXTURES / "schemas-primary", root / "schemas-primary", symlinks=True)
    return root


LOCAL = ("-u", "schemas", "-u", "schemas-primary")


def test_schemas_test_passes_on_the_fixtures(project: Path) -> None:
    done = tallyflow(project, "schemas", "test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failed, 64 skipped (50 schema versions and 15 current files" in done.stdout


def test_offline_the_two_unresolvable_schemas_fail_with_exit_1(project: Path) -> None:
    done = tallyflow(project, "schemas", "test", "-u", "schemas", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["failed"] == 2
    assert {o["title"] for o in report["outcomes"]} == {
        "analytics/legacy/editattemptstep",
        "fragment/analytics/common",
    }
    assert "error: 2 schema rule check(s) failed" in done.stderr


def test_removed_field_fails_and_says_what_to_do(project: Path) -> None:
    current = project / "schemas" / TITLE / "current.yaml"
    schema = read_document(current)
    del event_of(schema)["properties"]["user_edit_count_bucket"]
    for example in schema["examples"]:
        example["event"].pop("user_edit_count_bucket", None)
    schema["$id"] = f"/{TITLE}/1.2.0"
    current.write_text(yaml.safe_dump(schema, sort_keys=False))

    done = tallyflow(project, "schemas", "materialize", *LOCAL, f"schemas/{TITLE}")
    assert done.returncode == 0, done.stderr
    assert f"/{TITLE}/1.2.0: wrote {TITLE}/{{1.2.0.yaml}}" in done.stdout

    done = tallyflow(project, "schemas", "test", *LOCAL, TITLE)
    assert done.returncode == 1
    assert (
        f"FAIL {TITLE} 1.1.0 → 1.2.0: schema-version-compatibility at "
        ".properties.event.properties.user_edit_count_bucket: field 'user_edit_count_bucket' "
        "removed" in done.stdout
    )
    assert "what to do: keep the field (say it is deprecated" in done.stdout
    assert f"/{TITLE}/2.0.0" in done.stdout

    done = tallyflow(project, "schemas", "diff", *LOCAL, f"{TITLE}/1.1.0", f"{TITLE}/1.2.0")
    assert done.returncode == 1
    assert "verdict: breaking (1 breaking change)" in done.stdout


def test_diff_of_compatible_versions_exits_0(project: Path) -> None:
    done = tallyflow(
        project, "schemas", "diff", *LOCAL, f"{TITLE}/1.0.0", f"schemas/{TITLE}/1.1.0.yaml"
    )
    assert done.returncode == 0
    assert "+ .properties.useragent: field 'useragent' added" in done.stdout
    assert done.stdout.rstrip().endswith("verdict: compatible")


def test_materialize_dry_run_writes_nothing(project: Path) -> None:
    before = sorted(p.name for p in (project / "schemas" / TITLE).iterdir())
    done = tallyflow(project, "schemas", "materialize", *LOCAL, "--dry-run", "-c", "yaml,json")
    assert done.returncode == 0
    assert f"/{TITLE}/1.1.0: would write {TITLE}/{{1.1.0.yaml, 1.1.0.json}}" in done.stdout
    assert sorted(p.name for p in (project / "schemas" / TITLE).iterdir()) == before


def test_materialize_offline_names_the_missing_ref_and_exits_1(project: Path) -> None:
    done = tallyflow(project, "schemas", "materialize", "-u", "schemas")
    assert done.returncode == 1
    assert "2 of 15 schema(s) could not be materialized" in done.stderr
    assert "'/fragment/http/client_ip/1.0.0#'" in done.stderr
    assert "editattemptstep/current.yaml" in done.stderr


def test_bad_config_exits_2(project: Path) -> None:
    (project / ".jsonschema-tools.yaml").write_text("contentType: [yaml]\n")
    done = tallyflow(project, "schemas", "test")
    assert done.returncode == 2
    assert "unknown jsonschema-tools option 'contentType'" in done.stderr
    assert "did you mean 'contentTypes'" in done.stderr


def test_missing_schema_root_exits_2(tmp_path: Path) -> None:
    (tmp_path / "tallyflow.yaml").write_text("")
    done = tallyflow(tmp_path, "schemas", "test")
    assert done.returncode == 2
    assert "no schema repository" in done.stderr


def test_a_schema_and_the_new_fragment_it_refs_materialize_in_one_run(project: Path) -> None:
    capsule = project / "schemas/fragment/analytics/legacy/eventcapsule/current.yaml"
    schema = read_document(capsule)
    schema["$id"] = "/fragment/analytics/legacy/eventcapsule/1.4.0"
    schema["allOf"][1]["properties"]["page_language"] = {"type": "string"}
    capsule.write_text(yaml.safe_dump(schema, sort_keys=False))
    current = project / "schemas" / TITLE / "current.yaml"
    current.write_text(
        current.read_text()
        .replace("eventcapsule/1.3.0", "eventcapsule/1.4.0")
        .replace(f"/{TITLE}/1.1.0", f"/{TITLE}/1.2.0")
    )
    done = tallyflow(project, "schemas", "materialize", *LOCAL)
    assert done.returncode == 0, done.stderr
    latest = read_document(project / "schemas" / TITLE / "latest.yaml")
    assert latest["$id"] == f"/{TITLE}/1.2.0"
    assert latest["properties"]["page_language"] == {"type": "string"}
    assert tallyflow(project, "schemas", "test", *LOCAL).returncode == 0
