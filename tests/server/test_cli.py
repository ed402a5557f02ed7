"""``python -m qwen_api.testing``: prints the Listening line fast, serves, stops cleanly on signals."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import events, new_chat, post_turn


def _start(*args: str) -> tuple[subprocess.Popen[str], str, float]:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "qwen_api.testing", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout=10):
        process.kill()
        pytest.fail("no Listening line within 10 s")
    line = process.stdout.readline()
    elapsed = time.monotonic() - started
    match = re.fullmatch(r"Listening on (http://127\.0\.0\.1:\d+)\n", line)
    assert match is not None, line
    return process, match.group(1), elapsed


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_cli_starts_fast_serves_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process, url, elapsed = _start("--token", "cli-token", "--chunk-size", "2", "--answer-length", "9")
    try:
        assert elapsed < 2.0, f"startup took {elapsed:.2f} s"
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer cli-token"}, timeout=5) as http:
            parsed = events(post_turn(http, new_chat(http), "hello").content)
            assert "".join(e["choices"][0]["delta"]["content"] for e in parsed if "choices" in e) == "You said:"
            assert httpx.post(url + "/api/v2/chats/new", json={}, headers={"Authorization": "Bearer other"}).json() == {
                "success": False,
                "code": "Unauthorized",
            }
    finally:
        process.send_signal(stop_signal)
        try:
            code = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        stderr = process.stderr.read() if process.stderr else ""
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
    assert code == 0, stderr
    assert "Traceback" not in stderr


def test_cli_rejects_bad_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qwen_api.testing", "--chunk-size", "0"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2  # the option in its own spelling, not the ServerConfig attribute
    assert result.stderr == "python -m qwen_api.testing: error: --chunk-size must be >= 1, got 0\n"
