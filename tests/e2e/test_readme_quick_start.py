"""The README's quick start, verbatim, runs clean under ``python -W error::ResourceWarning``.

It keeps its client in a module global and never closes it, as a first script does: the client's
finalizer must release the pooled connection before the interpreter's last collection, or the
socket's ``ResourceWarning`` shows up on stderr ("Exception ignored ...": the exit status stays 0,
so stderr is what is checked).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from qwen_api.testing import RunningServer, expected_answer

README = Path(__file__).resolve().parents[2] / "README.md"


def quick_start_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) >= 2, "the README's Quick start lost its python blocks"
    return blocks


def run_block(code: str, server: RunningServer, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "quick_start.py"
    script.write_text(code, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "QWEN_BASE_URL": server.url,
        "QWEN_AUTH_TOKEN": "quick-start-token",
        **{name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")},
    }
    result = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return result


def test_the_quick_start_runs_without_a_resource_warning(server: RunningServer, tmp_path: Path) -> None:
    result = run_block(quick_start_blocks()[0], server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert expected_answer("Hello!") in result.stdout
    assert expected_answer("Tell me a story") in result.stdout


def test_the_with_block_runs_too(server: RunningServer, tmp_path: Path) -> None:
    result = run_block(quick_start_blocks()[1], server, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == expected_answer("Hi") + "\n"
