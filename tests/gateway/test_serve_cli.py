"""``qwen serve`` as a user runs it: a subprocess, its one ``Listening on`` line, then the openai client."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from qwen_api.testing import RunningServer, expected_answer

LISTENING = re.compile(r"^Listening on http://127\.0\.0\.1:(\d+)$")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}
    env.update({name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")})
    env.update(extra)
    return env


def _read_line(process: subprocess.Popen[str], timeout: float = 30.0) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if selector.select(deadline - time.monotonic()):
                return process.stdout.readline()
    raise AssertionError("qwen serve printed nothing in time")


@pytest.fixture
def serve_process(upstream: RunningServer, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = _env(tmp_path, QWEN_AUTH_TOKEN="cli-token", QWEN_BASE_URL=upstream.url)
    process = subprocess.Popen(
        [sys.executable, "-m", "qwen_api", "serve", "--port", "0", "--api-key", "sk-test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        line = _read_line(process)
        yield process, line
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_prints_one_listening_line_and_answers(serve_process: tuple[subprocess.Popen[str], str]) -> None:
    process, line = serve_process
    match = LISTENING.match(line.rstrip("\n"))
    assert match, line
    base_url = f"http://127.0.0.1:{match.group(1)}/v1"
    with openai.OpenAI(base_url=base_url, api_key="sk-test", max_retries=0) as client:
        completion = client.chat.completions.create(model="qwen3.7-plus", messages=[{"role": "user", "content": "hi"}])
        assert completion.choices[0].message.content == expected_answer("hi")
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == 0
    assert stdout == ""  # the Listening line was the only one
    assert "/v1/chat/completions" in stderr  # the access log line
    assert "cli-token" not in stderr and "sk-test" not in stderr


def test_serve_refuses_a_public_host_without_api_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qwen_api", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        env=_env(tmp_path, QWEN_AUTH_TOKEN="t"),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--api-key" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_serve_without_the_gateway_extra_names_the_install_command(tmp_path: Path) -> None:
    code = "import sys; sys.modules['uvicorn'] = None; from qwen_api.cli import main; sys.exit(main(['serve']))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2  # as for every missing extra; 1 is the code for API errors (README)
    assert result.stderr.strip().splitlines() == [
        "qwen: error: qwen serve needs the 'gateway' extra (uvicorn is not installed): "
        'pip install "qwen-api[gateway]"'
    ]


def test_serve_help_lists_every_endpoint_and_its_examples(capsys: pytest.CaptureFixture[str]) -> None:
    from qwen_api.cli import main

    assert main(["serve", "--help"]) == 0
    text = capsys.readouterr().out
    for endpoint in (
        "/v1/chat/completions",
        "/v1/models",
        "/v1/images/generations",
        "/v1/messages",
        "/v1/messages/count_tokens",
    ):
        assert endpoint in text, endpoint
    assert "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 OPENAI_API_KEY=unused python my_agent.py" in text
    assert "ANTHROPIC_BASE_URL=http://127.0.0.1:8000 " in text  # no /v1: the client adds it


def test_serve_reports_a_bad_accounts_file(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text('[{"name": "a"}]', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "qwen_api", "serve", "--port", "0", "--accounts", str(accounts)],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "auth_token" in result.stderr


def test_serve_reports_an_unusable_state_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qwen_api", "serve", "--port", "0", "--state", str(tmp_path / "missing" / "s.db")],
        capture_output=True,
        text=True,
        env=_env(tmp_path, QWEN_AUTH_TOKEN="t"),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("qwen: error: --state ") and len(result.stderr.strip().splitlines()) == 1


def test_serve_refuses_a_repair_budget_out_of_range(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "qwen_api", "serve", "--port", "0", "--repair-rounds", "4"],
        capture_output=True,
        text=True,
        env=_env(tmp_path, QWEN_AUTH_TOKEN="t"),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "qwen: error: --repair-rounds must be between 0 and 3"


@pytest.mark.parametrize("flag", [[], ["--warm-chats"]], ids=["default", "warm-chats"])
def test_serve_makes_chats_ahead_only_when_asked(
    flag: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from typing import Any

    from qwen_api.cli import main
    from qwen_api.gateway import server

    seen: dict[str, Any] = {}

    def run(options: server.ServeOptions, announce: Any, app: Any) -> int:
        seen["options"], seen["app"] = options, app
        return 0

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QWEN_AUTH_TOKEN", "t")
    monkeypatch.setattr(server, "run", run)
    assert main(["serve", "--port", "0", "--no-access-log", *flag]) == 0
    assert seen["options"].warm_chats is bool(flag)
    assert (seen["app"].state.gateway.chat.warm is not None) is bool(flag)
