"""The suite never skips: a test that would be skipped fails, with its reason in the report."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SAMPLE = """
import pytest

@pytest.mark.skipif(True, reason="the shared data is not at ../shared/data")
def test_needs_data():
    pass

def test_skips_itself():
    pytest.skip("no such tool")

@pytest.mark.xfail(reason="a known bug")
def test_known_bug():
    assert False

def test_passes():
    pass
"""


def test_a_skip_is_reported_as_a_failure_with_its_reason(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.support.no_skips", "-p", "no:randomly",
         "-p", "no:cacheprovider", "-p", "no:django", "-c", os.devnull, "--rootdir",
         str(tmp_path), "-rA", str(tmp_path / "test_sample.py")],
        cwd=str(REPO),
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 1, out
    assert "1 failed, 1 passed, 1 xfailed, 1 error" in out, out
    assert "the shared data is not at ../shared/data" in out
    assert "no such tool" in out
    assert "this suite never skips a test" in out
    assert " skipped" not in out.splitlines()[-1]
