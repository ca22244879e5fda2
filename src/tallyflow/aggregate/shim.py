"""`hive` and `beeline` commands for script reports (aggregate stage: a Hive CLI command line
in, Hive CLI output on stdout).

Script reports in the real query repositories are bash around `hive -e "<HiveQL>"`. The runner
puts `hive` and `beeline` on the script's PATH; they run the HiveQL on the chosen engine over the
store (`TALLYFLOW_STORE`, `TALLYFLOW_ENGINE`) and print what Hive's CLI prints: the header (as
with `hive.cli.print.header=true`), then one tab-separated line per row with `NULL`, `true`,
`false` and Java-style doubles. Errors go to stderr as `FAILED: ...` with exit status 1.

Supported options: `-e SQL`, `-f FILE`, `--database DB`, `--hiveconf K=V`, `--hivevar K=V`,
`-d/--define K=V` (`${K}`, `${hivevar:K}` substitution), `-S/--silent`, `-v`; beeline's
`-u URL`, `-n USER`, `-p PASSWORD`, `--outputformat=tsv2|tsv|csv2`, `--showHeader=BOOL`,
`--silent=BOOL` and `--KEY=VALUE` forms. Hive settings are otherwise ignored.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from tallyflow.aggregate.engines import make_hive_engine
from tallyflow.errors import TallyflowError

STORE_ENV = "TALLYFLOW_STORE"
ENGINE_ENV = "TALLYFLOW_ENGINE"
_VALUE_OPTIONS = {"-e", "-f", "--database", "-u", "-n", "-p", "-i", "-w", "--hiveconf"}
_VARIABLE_OPTIONS = {"--hivevar", "-d", "--define"}


def _substitute(text: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(2)
        return variables.get(name, match.group(0))

    return re.sub(r"\$\{(hivevar:|hiveconf:)?([A-Za-z0-9_.]+)\}", value, text)


def parse_command(argv: Sequence[str]) -> tuple[str, str | None, bool]:
    """(HiveQL, database, print header) from a `hive`/`beeline` argument list."""
    query: str | None = None
    database: str | None = None
    header = True
    variables: dict[str, str] = {}
    args = list(argv)
    index = 0
    while index < len(args):
        arg = args[index]
        if arg.startswith("--") and "=" in arg:
            name, value = arg[2:].split("=", 1)
            if name.lower() == "showheader":
                header = value.lower() == "true"
            elif name in ("hivevar", "define"):
                key, _, val = value.partition("=")
                variables[key] = val
            index += 1
            continue
        if arg in _VALUE_OPTIONS or arg in _VARIABLE_OPTIONS:
            if index + 1 >= len(args):
                raise TallyflowError(f"option {arg} needs a value")
            value = args[index + 1]
            if arg == "-e":
                query = value
            elif arg == "-f":
                query = Path(value).read_text(encoding="utf-8")
            elif arg == "--database":
                database = value
            elif arg == "--hiveconf":
                key, _, val = value.partition("=")
                if key == "hive.cli.print.header":
                    header = val.lower() == "true"
            elif arg in _VARIABLE_OPTIONS:
                key, _, val = value.partition("=")
                variables[key] = val
            index += 2
            continue
        index += 1
    if query is None:
        raise TallyflowError("only `-e QUERY` and `-f FILE` are supported (no interactive shell)")
    return _substitute(query, variables), database, header


def main(argv: Sequence[str]) -> int:
    """Run `hive`/`beeline` arguments; print results on stdout."""
    try:
        query, database, header = parse_command(argv[1:])
        if database:
            query = f"USE {database};\n{query}"
        engine = make_hive_engine(os.environ.get(ENGINE_ENV, "duckdb"), Path(os.environ[STORE_ENV]))
        try:
            results = engine.run_hiveql(query)
        finally:
            engine.close()
    except TallyflowError as error:
        print(f"FAILED: {error.message}", file=sys.stderr)
        return 1
    out = sys.stdout
    for result in results:
        if header:
            out.write("\t".join(result.header) + "\n")
        for row in result.rows:
            out.write("\t".join("NULL" if v is None else v for v in row) + "\n")
    out.flush()
    return 0


def install(directory: Path) -> Path:
    """Write `hive` and `beeline` into `directory` (for the front of a script's PATH)."""
    directory.mkdir(parents=True, exist_ok=True)
    package_root = Path(__file__).resolve().parents[2]
    for name in ("hive", "beeline"):
        path = directory / name
        path.write_text(
            "#!/bin/sh\n"
            f'PYTHONPATH="{package_root}${{PYTHONPATH:+:$PYTHONPATH}}" '
            f'exec "{sys.executable}" -m tallyflow.aggregate.shim {name} "$@"\n'
        )
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return directory


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
