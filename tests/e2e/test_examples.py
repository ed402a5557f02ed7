"""Every documented snippet runs unchanged (only the environment differs) against the local server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_api.testing import RunningServer, expected_answer
from tests.e2e.test_upload import png_bytes

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DOCUMENTATION = ROOT / "docs" / "qwen-api-sdk-documentation.md"
TUTORIAL_IMAGE = Path("/home/pstar7/Documents/Personal/Open Source Project/qwen-api/examples/tes_image.png")

# Signatures and the .env sample in the documentation are not programs.
NOT_PROGRAMS = ("def __init__", "QWEN_AUTH_TOKEN=")


def documented_snippets() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", DOCUMENTATION.read_text(encoding="utf-8"), re.S)
    return [block for block in blocks if not block.startswith(NOT_PROGRAMS)]


def test_every_snippet_is_an_example_verbatim() -> None:
    sources = [path.read_text(encoding="utf-8") for path in EXAMPLES.glob("*.py")]
    snippets = documented_snippets()
    assert len(snippets) == 10
    for snippet in snippets:
        assert any(snippet in source for source in sources), snippet[:80]


@pytest.fixture(scope="module")
def tutorial_image() -> Iterator[Path]:
    """The upload tutorial reads a fixed path; provide the file there (and only remove what we created)."""
    created = [parent for parent in reversed(TUTORIAL_IMAGE.parents) if not parent.exists()]
    existed = TUTORIAL_IMAGE.exists()
    TUTORIAL_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    if not existed:
        TUTORIAL_IMAGE.write_bytes(png_bytes())
    yield TUTORIAL_IMAGE
    if not existed:
        TUTORIAL_IMAGE.unlink()
    for folder in reversed(created):
        folder.rmdir()


def run_example(name: str, server: RunningServer, tmp_path: Path) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("QWEN_")}
    env.update(QWEN_AUTH_TOKEN="example-token-123456", QWEN_BASE_URL=server.url, QWEN_LOG_DIR=str(tmp_path / "logs"))
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stdout, result.stdout
    return result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("setup_client.py", ""),
        ("sync_usage.py", expected_answer("Hello, how can I help you today?")),
        ("async_usage.py", expected_answer("Hello, how can I help you today?")),
        ("streaming.py", expected_answer("Write a long story about a magical forest")),
        ("non_streaming.py", expected_answer("Write a short poem about springtime")),
        ("error_handling.py", ""),
        ("retry_with_backoff.py", ""),
        ("usage_example.py", "Model response: " + expected_answer("What is the capital of Indonesia?")),
        ("conversation.py", "turn 2: " + expected_answer("What is my name?")),
        ("models.py", "qwen-max-latest -> "),
        ("thinking_and_search.py", "sources:"),
        ("images.py", "http"),
        ("upload_document.py", "parse: success"),
        ("chats_and_account.py", "continued: " + expected_answer("Just the title, please.")),
    ],
)
def test_example_runs(name: str, expected: str, server: RunningServer, tmp_path: Path) -> None:
    assert expected in run_example(name, server, tmp_path)


def test_upload_tutorial_runs(server: RunningServer, tmp_path: Path, tutorial_image: Path) -> None:
    before = len(server.state.uploads)
    output = run_example("basic_usage_stream.py", server, tmp_path)
    assert expected_answer("ini gambar apa?") in output
    assert len(server.state.uploads) == before + 1
