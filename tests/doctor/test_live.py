"""``qwen doctor`` against the local server over a real socket: OK as served; the drift when the server
renames a field; the cause named for an expired token and for an anti-bot block."""

from __future__ import annotations

import json
import socket

import pytest

from qwen_api._config import resolve_config
from qwen_api.doctor import Spec
from qwen_api.doctor._live import PROMPT, run_live
from qwen_api.testing import RunningServer
from tests.cli.conftest import TOKEN, Cli


def _config(server: RunningServer, token: str = TOKEN, **headers: str):  # type: ignore[no-untyped-def]
    return resolve_config(
        api_key=token,
        cookie=None,
        base_url=server.url,
        auth_base_url=None,
        timeout=10,
        max_retries=0,
        default_headers=headers,
        refresh_token=None,
        environ={},
    )


def test_the_local_server_reports_ok(server: RunningServer, spec: Spec) -> None:
    before = len(server.state.requests)
    report = run_live(_config(server), spec)
    assert report.ok, report.render()
    assert [step.name for step in report.steps] == [
        "token",
        "account",
        "models",
        "completion",
        "chat deletion",
        "upload grant",
    ]
    assert report.checked == 6  # auths, models, chats/new, completions (a stream), delete, getstsToken
    paths = [(r.method, r.path) for r in server.state.requests[before:]]
    assert [p for _, p in paths][:2] == ["/api/v1/auths/", "/api/v2/models/"]
    assert paths[2] == ("POST", "/api/v2/chats/new") and paths[3] == ("POST", "/api/v2/chat/completions")
    assert paths[4][0] == "DELETE" and paths[5] == ("POST", "/api/v2/files/getstsToken")
    sent = server.state.requests[before + 3].json
    assert sent["messages"][0]["content"] == PROMPT  # what the SDK really sent, through the recording transport


def test_cli_ok(cli: Cli) -> None:
    result = cli("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: no drift from the spec, every call succeeded" in result.stdout
    assert "the test chat was deleted" in result.stdout and "6 exchanges validated" in result.stdout
    assert TOKEN not in result.stdout + result.stderr


def test_cli_reports_a_renamed_field(cli: Cli) -> None:
    result = cli("doctor", headers={"x-qwen-mock-drift": "rename=response_id:responseId"})
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith("#4 POST /api/v2/chat/completions (createCompletion)") for line in lines)
    assert any("response.events new_field: response.created.responseId" in line for line in lines)
    assert any("response.events new_field: responseId: new field" in line for line in lines)
    assert "Likely cause: protocol drift" in result.stdout

    result = cli("doctor", "--json", headers={"x-qwen-mock-drift": "rename=data:items"})
    assert result.returncode == 1
    report = json.loads(result.stdout)
    found = {(f["exchange"].split(" ", 1)[1], f["kind"], f["path"]) for f in report["findings"]}
    assert ("GET /api/v2/models/", "new_field", "items") in found
    assert report["causes"][0]["cause"] == "protocol_drift"


def test_drift_is_named_before_the_failure_it_causes(server: RunningServer, spec: Spec) -> None:
    # without "choices" the answer's events carry no text: the stream reads as cut short
    report = run_live(_config(server, **{"x-qwen-mock-drift": "rename=choices:outputs"}), spec)
    assert "new_event_shape" in {f.kind for f in report.findings}
    assert "network" in report.causes  # the cut-short stream, which the drift explains
    assert report.causes[0] == "protocol_drift"
    assert set(report.causes) - {"protocol_drift"} <= {"network", "sdk_error"}


def test_a_dropped_required_field(server: RunningServer, spec: Spec) -> None:
    report = run_live(_config(server, **{"x-qwen-mock-drift": "drop=success"}), spec)
    missing = {(f.exchange.split(" ", 1)[1], f.path) for f in report.findings if f.kind == "missing_field"}
    assert ("POST /api/v2/chats/new", "success") in missing


def test_a_field_the_sdk_reads_gone_from_the_whole_stream(server: RunningServer, spec: Spec) -> None:
    """``usage`` is optional in each event, but a stream without it in any event has drifted (the
    SDK's token counts would all be None)."""
    report = run_live(_config(server, **{"x-qwen-mock-drift": "drop=usage"}), spec)
    vanished = {
        (f.exchange.split(" ", 1)[1], f.location, f.path) for f in report.findings if f.kind == "vanished_field"
    }
    assert vanished == {("POST /api/v2/chat/completions", "response.events", "usage")}
    assert report.causes[0] == "protocol_drift"


@pytest.mark.parametrize(
    ("drift", "path"),
    [
        ("rename=content:text", "choices[].delta.content"),
        ("rename=response_id:responseId", "response.created.response_id"),
        ("rename=chat_id:chatId", "response.created.chat_id"),
    ],
)
def test_a_renamed_field_the_sdk_reads_is_breaking_not_additive(
    server: RunningServer, spec: Spec, drift: str, path: str
) -> None:
    """A rename is a new field plus a vanished one; the new one alone read as "additive" while the
    SDK answered an empty text or lost the conversation's thread."""
    report = run_live(_config(server, **{"x-qwen-mock-drift": drift}), spec)
    vanished = {(f.location, f.path) for f in report.findings if f.kind == "vanished_field"}
    assert ("response.events", path) in vanished
    assert report.causes[0] == "protocol_drift"


def test_an_answer_without_text_fails_the_completion_step(server: RunningServer, spec: Spec) -> None:
    report = run_live(_config(server, **{"x-qwen-mock-drift": "rename=content:text"}), spec)
    step = next(step for step in report.steps if step.name == "completion")
    assert not step.ok and "no text" in step.detail


def test_expired_token_named_before_any_call(cli: Cli, server: RunningServer) -> None:
    token = server.mint_token(lifetime=-60)  # expired a minute ago
    result = cli("doctor", QWEN_AUTH_TOKEN=token)
    assert result.returncode == 1
    assert "Likely cause: expired token" in result.stdout and "qwen auth import-har" in result.stdout
    assert token not in result.stdout + result.stderr


def test_token_expired_answer_from_the_service(cli: Cli) -> None:
    result = cli("doctor", "--json", headers={"x-qwen-mock-fault": "envelope_token_expired"})
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["causes"][0]["cause"] == "expired_token"
    assert report["problems"][0]["exchange"] == "#1 GET /api/v1/auths/"
    assert [s["skipped"] for s in report["steps"]] == [False, False, True, True, True, True]


@pytest.mark.parametrize("fault", ["waf_json", "waf_html"])
def test_anti_bot_block(cli: Cli, fault: str) -> None:
    result = cli("doctor", headers={"x-qwen-mock-fault": fault})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "#1 GET /api/v1/auths/: anti bot block" in result.stdout
    assert "Likely cause: anti bot block" in result.stdout and "bx-ua" in result.stdout
    assert "DRIFT" not in result.stdout  # a block is not protocol drift


def test_unreachable_service(cli: Cli) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("doctor", "--timeout", "5", QWEN_BASE_URL=f"http://127.0.0.1:{port}")
    assert result.returncode == 1
    assert "Likely cause: network" in result.stdout


def test_the_chat_is_deleted_even_when_the_completion_fails(server: RunningServer, spec: Spec) -> None:
    server.add_fault("envelope_internal_error", path="/api/v2/chat/completions")
    try:
        report = run_live(_config(server), spec)
    finally:
        server.clear_faults()
    steps = {step.name: step for step in report.steps}
    assert not steps["completion"].ok and "QwenAPIStatus5xxError" in steps["completion"].detail
    assert steps["chat deletion"].ok and steps["upload grant"].ok
    assert [p.cause for p in report.problems] == ["service_error"]
    assert report.exit_status == 1


def test_the_recorder_goes_through_the_environments_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    from qwen_api.doctor._live import environment_transport

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    proxied = environment_transport("https://chat.qwen.ai")
    direct = environment_transport("http://127.0.0.1:8765")
    try:
        assert type(proxied._pool).__name__ == "HTTPProxy"
        assert type(direct._pool).__name__ == "ConnectionPool"
    finally:
        proxied.close()
        direct.close()


def test_an_sdk_failure_is_reported_not_raised(
    server: RunningServer, spec: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qwen_api.resources.chats import Conversation
    from qwen_api.resources.models import Models

    def broken(self: Models) -> list[object]:
        raise KeyError("data")

    monkeypatch.setattr(Models, "list", broken)
    monkeypatch.setattr(Conversation, "delete", lambda self: False)
    report = run_live(_config(server), spec)
    steps = {step.name: step for step in report.steps}
    assert steps["models"].detail == "the SDK failed: KeyError: 'data'" and not steps["models"].ok
    assert steps["completion"].ok  # the default model is used instead
    assert not steps["chat deletion"].ok and "delete chat" in steps["chat deletion"].detail
    assert report.causes == ["sdk_error"] and report.exit_status == 1
    assert "Likely cause: sdk error" in report.render()
