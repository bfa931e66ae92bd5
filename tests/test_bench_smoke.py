"""The benchmarks run at a tiny size, so they cannot rot (the real runs are not in CI)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_gap_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gap_benchmark.py"), "40"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "gap.analyse on a 40-skill track" in result.stdout
    assert "median" in result.stdout
