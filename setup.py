"""Build hook: the example project (examples/codemirror) ships inside the package as
`tallyflow/bundled_example`, so `tallyflow init` works from an installed wheel. Everything else
is configured in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXAMPLE = Path(__file__).parent / "examples" / "codemirror"
IGNORE = shutil.ignore_patterns(".tallyflow", "__pycache__", "*.pyc", ".pytest_cache")


class BuildWithExample(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "tallyflow" / "bundled_example"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(EXAMPLE, target, ignore=IGNORE)


setup(cmdclass={"build_py": BuildWithExample})
