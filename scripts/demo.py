"""`make demo`: run the documented examples, streaming, against the local server (or chat.qwen.ai).

Without QWEN_AUTH_TOKEN in the environment, a local Qwen-compatible server is started on a free
port with a small delay between events, so the streaming is visible; with it, the examples talk
to the real service using your credentials.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [
    ("Synchronous usage", "sync_usage.py"),
    ("Asynchronous usage", "async_usage.py"),
    ("Streaming", "streaming.py"),
    ("Non-streaming", "non_streaming.py"),
    ("Error handling", "error_handling.py"),
    ("Usage example", "usage_example.py"),
    ("File upload tutorial (streaming)", "basic_usage_stream.py"),
    ("Conversation on the server", "conversation.py"),
    ("Models and aliases", "models.py"),
    ("Thinking and web search", "thinking_and_search.py"),
    ("Image generation", "images.py"),
    ("Account, chats and stopping an answer", "chats_and_account.py"),
    ("Document upload (async)", "upload_document.py"),
]
TUTORIAL_IMAGE = Path("/home/pstar7/Documents/Personal/Open Source Project/qwen-api/examples/tes_image.png")
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _tutorial_image(stack: ExitStack) -> None:
    """The upload tutorial reads a fixed path; create it for the demo if we can, and clean up after."""
    if TUTORIAL_IMAGE.exists():
        return
    created = [parent for parent in reversed(TUTORIAL_IMAGE.parents) if not parent.exists()]
    try:
        TUTORIAL_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        TUTORIAL_IMAGE.write_bytes(TINY_PNG)
    except OSError:
        return

    def cleanup() -> None:
        TUTORIAL_IMAGE.unlink(missing_ok=True)
        for folder in reversed(created):
            folder.rmdir()

    stack.callback(cleanup)


def main() -> int:
    env = dict(os.environ)
    with ExitStack() as stack:
        if env.get("QWEN_AUTH_TOKEN"):
            print(f"Using chat.qwen.ai ({env.get('QWEN_BASE_URL', 'https://chat.qwen.ai')}) with your credentials.\n")
        else:
            from qwen_api.testing import ServerConfig, serve

            server = stack.enter_context(serve(ServerConfig(delay=0.03, chunk_size=3)))
            env.update(QWEN_AUTH_TOKEN="local-demo-token", QWEN_BASE_URL=server.url)
            print(f"Local Qwen-compatible server at {server.url} (set QWEN_AUTH_TOKEN to use chat.qwen.ai).\n")
        _tutorial_image(stack)
        logs = stack.enter_context(tempfile.TemporaryDirectory())
        env.setdefault("QWEN_LOG_DIR", logs)
        failures = 0
        for title, name in EXAMPLES:
            print(f"\033[1m=== {title} (examples/{name}) ===\033[0m", flush=True)
            result = subprocess.run([sys.executable, str(ROOT / "examples" / name)], env=env, cwd=logs)
            print(flush=True)
            if result.returncode != 0:
                failures += 1
                print(f"examples/{name} exited with {result.returncode}", file=sys.stderr)
        print(f"{len(EXAMPLES) - failures} of {len(EXAMPLES)} examples ran successfully.")
        return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
