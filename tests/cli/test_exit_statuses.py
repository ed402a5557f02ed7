"""Exit statuses a shell sees when the servers cannot listen, the token is missing or a stream is closed.

README's contract: 1 for an API error, 2 for a usage or environment error, each with one line on
stderr written for a shell user (no traceback, no Python names). A busy port is a socket this test
holds open; a closed stream is the shell's own ``>&-`` / ``<&-`` (``sh -c 'exec "$@" >&-'``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qwen_api.cli._common import NO_TOKEN, STDIN_CLOSED, STDOUT_CLOSED

from .conftest import RUN_TIMEOUT, TOKEN, Cli, base_env

QWEN = [sys.executable, "-m", "qwen_api"]
LOCAL_SERVER = [sys.executable, "-m", "qwen_api.testing"]


def run(argv: list[str], cwd: Path, redirect: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """``argv`` with a clean environment (plus ``env``); ``redirect`` is a shell redirection such as
    ``>&-`` applied to it (stdin is /dev/null otherwise)."""
    if redirect:
        argv = ["/bin/sh", "-c", f'exec "$@" {redirect}', "sh", *argv]
    return subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=base_env(cwd, **env),
        timeout=RUN_TIMEOUT,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# -- servers that cannot listen --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "prog"),
    [
        ([*QWEN, "mock-server"], "qwen"),
        (LOCAL_SERVER, "python -m qwen_api.testing"),
        ([*QWEN, "serve", "--no-access-log"], "qwen"),
    ],
    ids=["mock-server", "python -m qwen_api.testing", "serve"],
)
def test_a_port_in_use_is_one_line_and_status_2(argv: list[str], prog: str, busy_port: int, tmp_path: Path) -> None:
    result = run([*argv, "--port", str(busy_port)], tmp_path, QWEN_AUTH_TOKEN=TOKEN)
    assert result.returncode == 2
    assert one_line(result) == f"{prog}: error: cannot listen on 127.0.0.1:{busy_port}: address already in use"
    assert result.stdout == ""


@pytest.mark.parametrize(
    "argv",
    [[*QWEN, "mock-server"], [*QWEN, "serve", "--api-key", "k", "--no-access-log"]],
    ids=["mock-server", "serve"],
)
def test_a_host_that_does_not_resolve_is_one_line_and_status_2(argv: list[str], tmp_path: Path) -> None:
    result = run([*argv, "--host", "256.1.1.1", "--port", "0"], tmp_path, QWEN_AUTH_TOKEN=TOKEN)
    assert result.returncode == 2
    assert one_line(result).startswith("qwen: error: cannot listen on 256.1.1.1:0: ")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--port", "99999"], "--port must be between 0 and 65535"),
        (["--port", "-1"], "--port must be between 0 and 65535"),
        (["--delay", "-1"], "--delay must be >= 0, got -1"),
        (["--chunk-size", "0"], "--chunk-size must be >= 1, got 0"),
        (["--answer-length", "-1"], "--answer-length must be >= 0, got -1"),
        (["--token", ""], "--token must not be empty (leave it out to accept any token)"),
    ],
)
def test_mock_server_options_are_refused_in_their_own_names(options: list[str], message: str, tmp_path: Path) -> None:
    result = run([*QWEN, "mock-server", *options], tmp_path)
    assert result.returncode == 2
    assert one_line(result) == f"qwen: error: {message}"


def test_the_local_server_module_words_option_errors_the_same(tmp_path: Path) -> None:
    result = run([*LOCAL_SERVER, "--delay", "-0.5"], tmp_path)
    assert result.returncode == 2
    assert one_line(result) == "python -m qwen_api.testing: error: --delay must be >= 0, got -0.5"


# -- serve without a token -------------------------------------------------------------------------


def test_serve_without_a_token_says_what_every_command_says(tmp_path: Path) -> None:
    serve = run([*QWEN, "serve", "--port", "0", "--no-access-log"], tmp_path)
    models = run([*QWEN, "models"], tmp_path)
    assert one_line(serve) == one_line(models) == f"qwen: QwenAuthenticationError: {NO_TOKEN}"
    assert serve.returncode == models.returncode == 1
    assert "Qwen(" not in serve.stderr


# -- closed standard streams -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [["models"], ["chat", "hi"], ["auth", "status"], ["upload", "notes.txt"], ["chats", "list"], ["mock-server"]],
    ids=" ".join,
)
def test_a_closed_stdout_is_one_line_and_status_2_before_anything_is_sent(cli: Cli, argv: list[str]) -> None:
    (cli.cwd / "notes.txt").write_text("notes\n", encoding="utf-8")
    chats, uploads = len(cli.server.state.chats), len(cli.server.state.uploads)
    result = run([*QWEN, *argv], cli.cwd, ">&-", QWEN_AUTH_TOKEN=TOKEN, QWEN_BASE_URL=cli.server.url)
    assert result.returncode == 2
    assert one_line(result) == f"qwen: error: {STDOUT_CLOSED}"
    assert (len(cli.server.state.chats), len(cli.server.state.uploads)) == (chats, uploads)


def test_a_closed_stdin_without_a_prompt_argument_is_one_line_and_status_2(cli: Cli) -> None:
    result = run([*QWEN, "chat"], cli.cwd, "<&-", QWEN_AUTH_TOKEN=TOKEN, QWEN_BASE_URL=cli.server.url)
    assert result.returncode == 2
    assert one_line(result) == f"qwen: error: {STDIN_CLOSED}"
    assert result.stdout == ""


def test_a_closed_stdin_is_not_needed_with_a_prompt_argument(cli: Cli) -> None:
    result = run([*QWEN, "chat", "--plain", "hi"], cli.cwd, "<&-", QWEN_AUTH_TOKEN=TOKEN, QWEN_BASE_URL=cli.server.url)
    assert result.returncode == 0, result.stderr
    assert "You said: hi" in result.stdout


def test_a_closed_stderr_keeps_the_status_of_an_error(tmp_path: Path) -> None:
    result = run([*QWEN, "models"], tmp_path, "2>&-")  # no token: exit 1, with nowhere to say why
    assert result.returncode == 1
    assert result.stdout == ""


def test_a_closed_stderr_never_sends_the_thinking_to_stdout(cli: Cli) -> None:
    result = run(
        [*QWEN, "chat", "--plain", "--thinking", "hi"],
        cli.cwd,
        "2>&-",
        QWEN_AUTH_TOKEN=TOKEN,
        QWEN_BASE_URL=cli.server.url,
    )
    assert result.returncode == 0
    assert result.stdout == "You said: hi\n"
