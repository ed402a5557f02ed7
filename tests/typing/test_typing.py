"""The public API's overloads type-check: mypy --strict on a file of assert_type calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def test_overloads_give_stream_types() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(HERE / "overloads_check.py")],
        capture_output=True,
        text=True,
        cwd=HERE.parents[1],
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_wrong_expectation_is_caught() -> None:
    bad = HERE / "overloads_check.py"
    marker = "stream=True), Stream[ChatResponseStream])"
    source = bad.read_text().replace(marker, "stream=True), CompletionResponse)", 1)
    assert source != bad.read_text()
    probe = HERE / "_wrong_probe.py"
    probe.write_text(source)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(probe)],
            capture_output=True,
            text=True,
            cwd=HERE.parents[1],
        )
    finally:
        probe.unlink()
    assert result.returncode != 0 and "[assert-type]" in result.stdout
