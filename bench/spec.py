"""Spec stages on many specs: load + lint, render (3 formats + diagrams), dashboards build, and
the closed-loop check. Prints seconds per stage and per spec.

    PYTHONPATH=src python bench/spec.py [N]       (default N=200 copies of the example's specs)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tallyflow.project import load_project
from tallyflow.spec.crosscheck import crosscheck
from tallyflow.spec.diagram import diagram
from tallyflow.spec.lint import LintContext, lint
from tallyflow.spec.load import load_specs
from tallyflow.spec.render import render_spec
from tallyflow.visualize.grafana import dashboard_json

EXAMPLE = Path(__file__).parents[1] / "examples" / "codemirror"


def timed(label: str, count: int, work: Callable[[], object]) -> None:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<38} {seconds:8.3f} s  {seconds / count * 1000:8.2f} ms/spec")


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(EXAMPLE, root, symlinks=True)
        specs_dir = root / "metrics"
        originals = sorted(specs_dir.glob("*.yaml"))
        for index in range(copies // len(originals)):
            for original in originals:
                shutil.copy(original, specs_dir / f"{original.stem}-{index:04d}.yaml")
        project = load_project(root)
        specs = load_specs(project)
        count = len(specs)
        print(f"{count} specs (python {sys.version.split()[0]})")
        timed("load (strict, with line numbers)", count, lambda: load_specs(project))
        timed("lint (10 rules)", count, lambda: lint(specs, LintContext(today=date(2026, 11, 28))))
        for fmt in ("markdown", "wikitext", "html"):
            timed(f"render {fmt}", count, lambda f=fmt: [render_spec(s.spec, f) for s in specs])
        timed(
            "SVG diagrams (2 metrics per spec)",
            count,
            lambda: [diagram(s.spec, m) for s in specs for m in s.spec.metrics],
        )
        timed("dashboard JSON (graphite)", count, lambda: [dashboard_json(s) for s in specs])
        out = root / "dashboards"
        for sf in specs:
            (out / f"{sf.id}.json").write_text(dashboard_json(sf))
        timed("closed-loop check", count, lambda: crosscheck(project, specs))


if __name__ == "__main__":
    main()
