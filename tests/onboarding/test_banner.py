"""The local server says how to use it: its banner gives the two variables that point the SDK at it.

Both ways of starting it are run as a user would (``python -m qwen_api.testing`` and ``qwen
mock-server``); the variables printed are then used, as printed, by the SDK and by ``qwen chat``.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from qwen_api.testing import expected_answer

STARTERS = {
    "python -m qwen_api.testing": ["-m", "qwen_api.testing"],
    "qwen mock-server": ["-m", "qwen_api", "mock-server"],
}
LAST_LINE = "Stop it with Ctrl-C."


def read_banner(process: subprocess.Popen[bytes], deadline: float = 20) -> str:
    assert process.stdout is not None
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        end = time.monotonic() + deadline
        while LAST_LINE.encode() not in data:
            left = end - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError(f"no complete banner; got {data!r}")
            piece = os.read(process.stdout.fileno(), 4096)
            if not piece:
                raise AssertionError(f"the server exited; printed {data!r}")
            data += piece
    return data.decode()


@pytest.fixture(params=sorted(STARTERS))
def banner_of(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start the server the parametrized way (with extra options from the test) and yield its banner."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> str:
        process = subprocess.Popen(
            [sys.executable, *STARTERS[request.param], "--port", "0", *options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)},
        )
        processes.append(process)
        return read_banner(process)

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        try:
            assert process.wait(15) == 0
        finally:
            if process.poll() is None:
                process.kill()
            process.communicate()


def variables(banner: str) -> dict[str, str]:
    return dict(re.findall(r"^  export (QWEN_BASE_URL|QWEN_AUTH_TOKEN)=(\S+)$", banner, re.MULTILINE))


def test_the_banner_names_the_two_variables(banner_of: Callable[..., str]) -> None:
    banner = banner_of()
    lines = banner.splitlines()
    assert re.fullmatch(r"Listening on http://127\.0\.0\.1:\d+", lines[0])  # scripts read the first line
    found = variables(banner)
    assert found["QWEN_BASE_URL"] == lines[0].removeprefix("Listening on ")
    assert found["QWEN_AUTH_TOKEN"] == "local-test-token"
    assert "any non-empty token is accepted" in banner
    assert lines[-1] == LAST_LINE


def test_the_printed_variables_work_for_the_sdk_and_the_cli(banner_of: Callable[..., str], tmp_path: Path) -> None:
    found = variables(banner_of("--token", "my-own-token"))
    assert found["QWEN_AUTH_TOKEN"] == "my-own-token"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **found}
    sdk = subprocess.run(
        [
            sys.executable,
            "-c",
            "from qwen_api import Qwen\n"
            "with Qwen() as client:\n"
            "    print(client.completion.create(model='qwen-max', prompt='banner').choices[0].text)",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert sdk.returncode == 0, sdk.stderr
    assert sdk.stdout == expected_answer("banner") + "\n"
    cli = subprocess.run(
        [sys.executable, "-m", "qwen_api", "chat", "hello"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout == expected_answer("hello") + "\n"
