"""Every documented snippet runs unchanged (only the environment differs) against the local server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_api.testing import RunningServer, expected_answer, serve, thinking_paragraphs
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


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def run_example(name: str, server: RunningServer, tmp_path: Path) -> str:
    """Run one example as a user would; its stdout with ids and the server's address made stable."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QWEN_")}
    env.update(QWEN_AUTH_TOKEN="example-token-123456", QWEN_BASE_URL=server.url, QWEN_LOG_DIR=str(tmp_path / "logs"))
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return UUID.sub("<id>", result.stdout).replace(server.url, "<server>")


def _thinking_and_search_output() -> str:
    prompt = "Why is the sky blue?"
    thoughts = "".join(
        f"\033[2m{'' if i == 0 else chr(10) * 2}{title}\n{thought}\033[0m"
        for i, (title, thought) in enumerate(thinking_paragraphs(prompt))
    )
    sources = "".join(f"  {title}: {url}\n" for title, url in _SOURCES)
    usage = (
        "Usage(input_tokens=5, output_tokens=48, total_tokens=53, input_tokens_details={'text_tokens': 5}, "
        "output_tokens_details={'reasoning_tokens': 39, 'text_tokens': 48}, prompt_tokens_details=None)"
    )
    return f"{thoughts}{expected_answer(prompt, search=True)}\n\nsources:\n{sources}usage: {usage}\n"


_SOURCES = [
    ("Wikipedia: Why is the sky blue?", "https://en.wikipedia.org/w/index.php?search=Why%20is%20the%20sky%20blue%3F"),
    ("Python docs: Why is the sky blue?", "https://docs.python.org/3/search.html?q=Why%20is%20the%20sky%20blue%3F"),
    ("Example: Why is the sky blue?", "https://example.com/search?q=Why%20is%20the%20sky%20blue%3F"),
]
_MODELS = """\
qwen3.7-plus             context=1000000 vision,document,audio,video,thinking,search
qwen3.7-max              context=262144 vision,document,audio,video,thinking,search
qwen3.6-plus             context=1000000 vision,document,audio,video,thinking,search
qwen3.5-plus             context=262144 vision,document,audio,video,thinking,search
qwen3.5-flash            context=131072 document,thinking,search
qwen3-coder-plus         context=1000000 document
qwen-max-latest -> qwen3.7-max
"""

# The exact output of each example against a fresh local server. The three documented error-handling
# and setup snippets print nothing when every call succeeds, so their expected output is empty and the
# server must have seen the call they make.
EXPECTED_OUTPUT = {
    "setup_client.py": "",
    "sync_usage.py": expected_answer("Hello, how can I help you today?") + "\n",
    "async_usage.py": expected_answer("Hello, how can I help you today?") + "\n",
    "streaming.py": expected_answer("Write a long story about a magical forest"),
    "non_streaming.py": expected_answer("Write a short poem about springtime") + "\n",
    "error_handling.py": "",
    "retry_with_backoff.py": "",
    "usage_example.py": "Model response: " + expected_answer("What is the capital of Indonesia?") + "\n",
    "conversation.py": (
        "chat: <id>\n"
        f"turn 1: {expected_answer('My name is Ada. Remember it.')}\n"
        f"turn 2: {expected_answer('What is my name?')}\n"
        "messages on the server: ['user', 'assistant', 'user', 'assistant']\n"
    ),
    "models.py": _MODELS,
    "thinking_and_search.py": _thinking_and_search_output(),
    "images.py": "<server>/output/t2i/<id>_0.png 2688 1536\n",
    "upload_document.py": (
        "\nupload 2082/2082\nuploaded report.pdf (application/pdf, parse: success)\n"
        + expected_answer("Summarise the attached report.")
        + "\n"
    ),
    "chats_and_account.py": (
        "signed in as: Local Tester\nfirst words: You said\nstopped answer: <id>\n"
        f"continued: {expected_answer('Just the title, please.')}\n"
        "<id>  'Write a very long essay about rivers.'  (t2t)\n"
    ),
}
# The calls the silent examples make, so that "printed nothing" cannot mean "did nothing".
COMPLETION_CALLS = {"setup_client.py": 0, "error_handling.py": 1, "retry_with_backoff.py": 2}  # two documented loops


@pytest.fixture
def fresh_server() -> Iterator[RunningServer]:
    """A server per example: chats listed by one example must not depend on the ones run before it."""
    with serve() as running:
        yield running


def test_every_example_has_an_expected_output() -> None:
    runnable = {path.name for path in EXAMPLES.glob("*.py")} - {"basic_usage_stream.py"}
    assert runnable == set(EXPECTED_OUTPUT)


@pytest.mark.parametrize("name", sorted(EXPECTED_OUTPUT))
def test_example_prints_its_real_output(name: str, fresh_server: RunningServer, tmp_path: Path) -> None:
    assert run_example(name, fresh_server, tmp_path) == EXPECTED_OUTPUT[name]
    if name in COMPLETION_CALLS:
        completions = fresh_server.state.requests_to("/api/v2/chat/completions", "POST")
        assert len(completions) == COMPLETION_CALLS[name]


def test_upload_tutorial_runs(server: RunningServer, tmp_path: Path, tutorial_image: Path) -> None:
    before = len(server.state.uploads)
    output = run_example("basic_usage_stream.py", server, tmp_path)
    assert output == expected_answer("ini gambar apa?")
    assert len(server.state.uploads) == before + 1
