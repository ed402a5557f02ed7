"""The CLI speaks to a shell user: how to sign in, ``auth status`` when signed out, ``mock-server --help``."""

from __future__ import annotations

import json

import pytest

from qwen_api.cli import main

from .conftest import Cli


@pytest.mark.parametrize(
    "argv", [["chat", "hi"], ["models"], ["chats", "list"], ["doctor"], ["doctor", "--json"]], ids=" ".join
)
def test_without_a_token_the_cli_says_what_to_set_or_run(cli: Cli, argv: list[str]) -> None:
    result = cli(*argv, QWEN_AUTH_TOKEN="")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("qwen: QwenAuthenticationError: no Qwen token: set QWEN_AUTH_TOKEN")
    assert "`qwen auth import-har FILE.har`" in lines[0]
    assert "Qwen(api_key" not in result.stderr and "<redacted>" not in result.stderr


def test_auth_status_without_a_token_is_not_signed_in(cli: Cli) -> None:
    result = cli("auth", "status", QWEN_AUTH_TOKEN="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("not signed in")
    assert "qwen auth import-har" in result.stdout and "QWEN_AUTH_TOKEN" in result.stdout
    assert result.stderr == ""


def test_auth_status_json_without_a_token(cli: Cli) -> None:
    result = cli("auth", "status", "--json", QWEN_AUTH_TOKEN="")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["signed_in"] is False and body["user"] is None
    assert "qwen auth import-har" in body["how_to_sign_in"]


def test_mock_server_help_lists_only_its_own_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock-server", "--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--token", "--delay", "--answer-length", "--chunk-size"):
        assert option in out
    for client_option in ("--base-url", "--timeout", "--max-retries", "--header", "--env-file", "--plain", "--verbose"):
        assert client_option not in out, out


def test_global_options_before_the_command_still_parse_for_mock_server(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-v", "mock-server", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: qwen mock-server")


def test_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "1 API error, 2 usage or environment error (a local file problem, a missing extra)" in out
    assert main(["auth", "status", "--help"]) == 0
    assert "'not signed in'" in capsys.readouterr().out
