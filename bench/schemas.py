"""Benchmark: `tallyflow schemas test` and `schemas materialize` over the whole fixture
repository (15 titles, 65 schema versions, Wikimedia's real skip list).

Run: PYTHONPATH=src python bench/schemas.py [--repeat N]
Prints the time of one full rule run (in process, and as the CLI including interpreter start)
and the time per schema version, plus the time to materialize every current.yaml.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tallyflow.schemas.config import load_config
from tallyflow.schemas.dereference import RefResolver
from tallyflow.schemas.inventory import find_schema_files
from tallyflow.schemas.materialize import materialize_file
from tallyflow.schemas.rules.run import run_rules

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        (project / "tallyflow.yaml").write_text("")
        shutil.copytree(FIXTURES / "schemas", project / "schemas", symlinks=True)
        shutil.copytree(FIXTURES / "schemas-primary", project / "primary", symlinks=True)
        root = project / "schemas"
        bases = (str(root), str(project / "primary"))
        config = load_config(root, project_root=project, overrides={"schema_base_uris": bases})
        versions = len([r for r in find_schema_files(config) if not r.current])

        rule_runs, materialize_runs, outcomes = [], [], 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = run_rules(config, RefResolver(config.schema_base_uris))
            rule_runs.append(time.perf_counter() - started)
            outcomes = len(report.outcomes)
            assert not report.failures, [f.describe() for f in report.failures]
            started = time.perf_counter()
            resolver = RefResolver(config.schema_base_uris)
            for current in sorted(root.rglob("current.yaml")):
                materialize_file(current, config, resolver, dry_run=True)
            materialize_runs.append(time.perf_counter() - started)

        command = [sys.executable, "-m", "tallyflow", "schemas", "test", "-p", str(project)]
        command += ["-u", "schemas", "-u", "primary"]
        cli_runs = []
        for _ in range(max(3, args.repeat // 2)):
            started = time.perf_counter()
            subprocess.run(command, cwd=project, check=True, capture_output=True, env=os.environ)
            cli_runs.append(time.perf_counter() - started)

    rules = statistics.median(rule_runs)
    cli = statistics.median(cli_runs)
    print(
        f"fixture repository: {versions} materialized versions, 15 current files, "
        f"{outcomes} rule outcomes per run; median of {args.repeat} runs"
    )
    print(
        f"schemas test (in process):  {rules * 1000:7.1f} ms total, "
        f"{rules / versions * 1000:6.2f} ms per schema version"
    )
    print(
        f"schemas test (CLI, incl. interpreter start): {cli * 1000:7.1f} ms total, "
        f"{cli / versions * 1000:6.2f} ms per schema version"
    )
    materialize = statistics.median(materialize_runs)
    print(
        f"materialize all 15 current files (dry run): {materialize * 1000:7.1f} ms, "
        f"{materialize / 15 * 1000:6.2f} ms per schema"
    )


if __name__ == "__main__":
    main()
