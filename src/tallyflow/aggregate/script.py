"""Script reports (aggregate stage: an executable and its arguments in, `Result` out).

The script gets ReportUpdater's arguments (start, end, explode values by placeholder name, the
script's folder), runs in the query folder with `hive`/`beeline` shims first on its PATH, and its
stdout is read as tab-separated output with a header line. Unlike the reference, a non-zero exit
fails the interval (unless `accept_failed_exit: true`), and a timeout stops the script.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tallyflow.aggregate.results import Result, parse_tsv_output
from tallyflow.aggregate.shim import ENGINE_ENV, STORE_ENV
from tallyflow.errors import ReportError


def run_script(
    script: Path,
    arguments: list[str],
    *,
    cwd: Path,
    shim_dir: Path,
    store_root: Path,
    engine: str,
    timeout: float | None = None,
    accept_failed_exit: bool = False,
) -> Result:
    env = dict(os.environ)
    env["PATH"] = f"{shim_dir}{os.pathsep}{env.get('PATH', '')}"
    env[STORE_ENV] = str(store_root)
    env[ENGINE_ENV] = engine
    try:
        process = subprocess.Popen(
            [str(script.resolve()), *arguments],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except PermissionError:
        raise ReportError(
            f"script {script} is not executable", hint=f"run `chmod +x {script}`"
        ) from None
    except OSError as error:
        raise ReportError(f"script {script} cannot be run: {error}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ReportError(f"script {script.name} timed out after {timeout:g} s") from None
    error_text = stderr.decode("utf-8", errors="replace").strip()
    if process.returncode != 0 and not accept_failed_exit:
        tail = " | ".join(error_text.splitlines()[-3:])
        raise ReportError(
            f"script {script.name} exited with status {process.returncode}"
            + (f": {tail}" if tail else ""),
            hint="set `accept_failed_exit: true` to keep output of failing scripts",
        )
    try:
        text = stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise ReportError(f"script {script.name} printed output that is not UTF-8") from None
    return parse_tsv_output(text, f"script {script.name}")
