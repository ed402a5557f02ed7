"""Every code block in ``docs/guides`` runs against the local server, over a real socket.

A guide's blocks are programs, each run on its own in a fresh process with ``QWEN_BASE_URL`` and
``QWEN_AUTH_TOKEN`` pointing at the local server (what its banner says to set):

* ```` ```python ```` -- a script, run with ``python -W error::ResourceWarning``;
* ```` ```python title="test_....py" ```` -- a test file, written under that name and run with pytest
  (the ``qwen_server`` fixture comes from the installed plugin);
* ```` ```bash ```` -- shell commands, run with ``bash -euo pipefail`` (``qwen`` on the PATH);
* ```` ```console ```` / ```` ```text ```` -- transcripts and output shown to the reader: not run.

Each must exit 0 with nothing on stderr, and each guide must have something that runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_api.testing import RunningServer, serve

GUIDES = Path(__file__).resolve().parents[2] / "docs" / "guides"
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
RUN = {"python", "bash"}
SHOWN = {"console", "text"}
STRICT_PYTEST = ["-W", "error::ResourceWarning", "-W", "error::pytest.PytestUnraisableExceptionWarning"]
# (pytest-asyncio, installed here for the SDK's own tests, warns about its configuration at start-up
# in a directory without one; the guide's tests are not async)
STRICT_PYTEST += ["-p", "no:asyncio"]


class Block:
    def __init__(self, guide: Path, index: int, language: str, info: str, code: str) -> None:
        self.guide, self.index, self.language, self.code = guide, index, language, code
        title = re.search(r'title="([^"]+)"', info)
        self.title = title.group(1) if title else None

    @property
    def id(self) -> str:
        return f"{self.guide.stem}-{self.index}-{self.language}"


def blocks() -> list[Block]:
    found = []
    for guide in sorted(GUIDES.glob("*.md")):
        for index, match in enumerate(FENCE.finditer(guide.read_text(encoding="utf-8"))):
            found.append(Block(guide, index, match.group(1), match.group(2), match.group(3)))
    return found


BLOCKS = blocks()
RUNNABLE = [block for block in BLOCKS if block.language in RUN]


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


def environment(server: RunningServer, home: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QWEN_BASE_URL": server.url,
        "QWEN_AUTH_TOKEN": "local-test-token",
        "QWEN_HISTORY_FILE": str(home / "history"),
        **{name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")},
    }


def test_the_guides_are_all_there() -> None:
    names = {guide.stem for guide in GUIDES.glob("*.md")}
    assert names >= {
        "getting-started",
        "streaming",
        "conversations",
        "thinking-and-search",
        "uploads",
        "errors-and-retries",
        "limits",
        "testing-your-app",
        "cli",
        "llama-index",
    }


@pytest.mark.parametrize("guide", sorted(GUIDES.glob("*.md")), ids=lambda path: path.stem)
def test_every_guide_has_code_that_runs_and_nothing_else(guide: Path) -> None:
    mine = [block for block in BLOCKS if block.guide == guide]
    assert any(block.language in RUN for block in mine), f"{guide.name} has no block that runs"
    unknown = {block.language for block in mine} - RUN - SHOWN
    assert not unknown, f"{guide.name}: blocks in {unknown} would be neither run nor marked as shown"


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.id for block in RUNNABLE])
def test_the_block_runs_against_the_local_server(block: Block, server: RunningServer, tmp_path: Path) -> None:
    env = environment(server, tmp_path)
    if block.language == "bash":
        argv = ["bash", "-euo", "pipefail", "-c", block.code]
    elif block.title is not None and block.title.startswith("test_"):
        (tmp_path / block.title).write_text(block.code, encoding="utf-8")
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *STRICT_PYTEST, block.title]
    else:
        script = tmp_path / (block.title or "guide_block.py")
        script.write_text(block.code, encoding="utf-8")
        argv = [sys.executable, "-W", "error::ResourceWarning", str(script)]
    result = subprocess.run(
        argv, capture_output=True, text=True, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, timeout=120
    )
    shown = f"{block.id}:\n{block.code}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    assert result.returncode == 0, shown
    if block.language == "bash":  # the CLI writes reasoning and notes to stderr when stdout is not a terminal
        assert "Traceback" not in result.stderr and "Error" not in result.stderr, f"{block.id}: {result.stderr}"
    else:
        assert result.stderr == "", f"{block.id}: {result.stderr}"
