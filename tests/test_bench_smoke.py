"""The benchmarks run at a tiny size, so they cannot rot (the real runs are not in CI)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_pages_benchmark_smoke_run():
    """Generates a tiny data set on SQLite, times every page, prints the tables."""
    # Production-like settings: not the test run's DJANGO_TESTING.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_TESTING")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages_benchmark.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=env,
    )
    assert "| dashboard | " in result.stdout
    assert "| admin: progress change list | " in result.stdout
    assert "### Growth" in result.stdout


def test_report_pdf_benchmark_runs():
    # A smoke run only: the 40-skill figure comes from `bench/report_pdf_benchmark.py 40`,
    # never from a timed test.
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_TESTING")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "report_pdf_benchmark.py"), "3", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    for language in ("en", "zh-hans"):
        assert f"PDF of a 3-skill transcript ({language}" in result.stdout
    assert len(re.findall(r"CPU: first \d+ ms, median \d+ ms", result.stdout)) == 2


def test_search_benchmark_runs():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_TESTING")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "search_benchmark.py"), "40", "2"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        env=env,
    )
    assert "search over 40 skills" in result.stdout
    assert "| 去重 |" in result.stdout
    assert "ms of CPU (median)" in result.stdout


@pytest.mark.urls("bench.floor_urls")
def test_floor_views_answer_ok_and_keep_the_app_urls(client, mentee):
    """make bench's floor: one-line views in the app's own stack (bench/floor_wsgi.py)."""
    visitor = client.get("/bench/visitor/")
    assert (visitor.status_code, visitor.content) == (200, b"ok")
    signed_out = client.get("/bench/signed-in/")
    assert signed_out.status_code == 302
    assert signed_out["Location"] == "/accounts/login/?next=/bench/signed-in/"
    client.force_login(mentee)
    signed_in = client.get("/bench/signed-in/")
    assert (signed_in.status_code, signed_in.content) == (200, b"ok")
    assert client.get("/tracks/").status_code == 200
