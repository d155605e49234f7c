"""Smoke run of the benchmark scripts at a tiny size: they must keep working.

The figures themselves are not asserted (timing belongs to benchmarks, not tests); the
scripts assert their own scenario's outcome (every unit received, ...) and must print
the side-by-side table with its ratios.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCHES = sorted(p.name for p in (REPO / "bench").glob("*.py") if p.name != "benchlib.py")
# Scenarios a script runs behind an option.
BENCHES += ["register.py --medical"]
PREFIX = f"st_bench_smoke_{os.getpid()}"


@pytest.fixture(scope="module", autouse=True)
def _drop_smoke_databases():
    yield
    # bench/concurrency.py keeps one database of its own: {PREFIX}_concurrency;
    # bench/register.py two: {PREFIX}_register_bare and _addon.
    for suffix in ("bare", "addon", "concurrency", "register_bare", "register_addon"):
        subprocess.run(["dropdb", "--if-exists", f"{PREFIX}_{suffix}"], check=False)


@pytest.mark.parametrize("script", BENCHES)
def test_benchmark_runs_at_smoke_size(script):
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / script.split()[0]),
            *script.split()[1:],
            "-n",
            "20",
            "--reuse-db",
            "--db-prefix",
            PREFIX,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert re.search(r"^\S.*\s\d+\.\d{3}\s", proc.stdout, re.M), proc.stdout
