"""Every fault, shown on the wire: status, headers, body, or what happens to the TCP connection."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from qwen_api.testing import FAULTS, RunningServer, ServerConfig, expected_answer, serve
from tests.conftest import load_fixture

from .conftest import AUTH, TIMEOUT, answer_of, completion_body, events, new_chat, raw_events

FAULT = "x-qwen-mock-fault"
COVERED: set[str] = set()


def covers(*names: str) -> Any:
    COVERED.update(names)
    return lambda test: test


def completion(http: httpx.Client, fault: str, prompt: str = "hello", **kwargs: Any) -> httpx.Response:
    chat_id = new_chat(http)
    body = completion_body(prompt, chat_id=chat_id)
    return http.post(
        "/api/v2/chat/completions", params={"chat_id": chat_id}, json=body, headers={FAULT: fault}, **kwargs
    )


def stream_lines(
    http: httpx.Client, fault: str, timeout: httpx.Timeout | None = None
) -> tuple[list[bytes], BaseException | None]:
    """Read a faulted completion line by line; return the data payloads seen and the error that ended it."""
    chat_id = new_chat(http)
    body = completion_body("hello", chat_id=chat_id)
    seen: list[bytes] = []
    request = http.build_request(
        "POST",
        "/api/v2/chat/completions",
        params={"chat_id": chat_id},
        json=body,
        headers={FAULT: fault},
        timeout=timeout or TIMEOUT,
    )
    try:
        response = http.send(request, stream=True)
        try:
            buffer = b""
            for chunk in response.iter_raw():
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    seen.append(block[6:])
        finally:
            response.close()
    except httpx.HTTPError as exc:
        return seen, exc
    return seen, None


# ---------------------------------------------------------------------------------------------- HTTP


@covers("http_429")
def test_http_429_with_retry_after(client: httpx.Client) -> None:
    response = completion(client, "http_429")
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    assert response.json()["data"]["code"] == "Too_Many_Requests"
    fractional = completion(client, "http_429; retry_after=0.25")
    assert fractional.headers["retry-after"] == "0.25"


@covers("http_500", "http_502", "http_503")
@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_5xx_with_html_bodies(client: httpx.Client, status: int) -> None:
    response = client.get("/api/v2/models/", headers={FAULT: f"http_{status}"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>{status} " in response.text and "x-actual-status-code" not in response.headers
    with_retry = client.get("/api/v2/models/", headers={FAULT: f"http_{status}; retry_after=3"})
    assert with_retry.headers["retry-after"] == "3"


# ---------------------------------------------------------------------------------------------- envelopes


ENVELOPES = {
    "envelope_rate_limited": ("429", "RateLimited"),
    "envelope_bad_request": ("400", "Bad_Request"),
    "envelope_unauthorized": ("401", "Unauthorized"),
    "envelope_token_expired": ("401", None),
    "envelope_internal_error": ("500", "internal_error"),
    "envelope_chat_not_found": ("404", "CHAT_NOT_FOUND"),
}


@covers(*ENVELOPES)
@pytest.mark.parametrize("name", sorted(ENVELOPES))
def test_http_200_error_envelopes(client: httpx.Client, name: str) -> None:
    actual, code = ENVELOPES[name]
    response = completion(client, name)
    assert response.status_code == 200
    assert response.headers["x-actual-status-code"] == actual
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["success"] is False
    assert code == (body.get("data", {}).get("code") or body.get("code"))
    if name == "envelope_token_expired":
        assert body == {"success": False, "message": "Token expired"}
    if name == "envelope_unauthorized":
        assert body == load_fixture("error_unauthorized_missing_bearer.json")
    if name == "envelope_rate_limited":
        recorded = load_fixture("error_ratelimited_daily_2026-09-21.json")
        assert body["data"] == recorded["data"] and set(body) == set(recorded)


def test_envelope_parameters(client: httpx.Client) -> None:
    body = completion(client, "envelope_rate_limited; num=3; details=slow down").json()
    assert body["data"]["num"] == 3 and body["data"]["details"] == "slow down"


# ---------------------------------------------------------------------------------------------- anti-bot


@covers("waf_json")
def test_waf_json_block(client: httpx.Client) -> None:
    response = completion(client, "waf_json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    recorded = load_fixture("error_waf_rgv587_2026-08-01.json")
    assert body["ret"] == recorded["ret"]
    assert body["data"]["url"].startswith(
        "https://chat.qwen.ai:443//api/v2/chat/completions/_____tmd_____/punish?x5secdata="
    )


@covers("waf_html")
def test_waf_html_page(client: httpx.Client) -> None:
    response = client.post("/api/v2/chats/new", json={}, headers={FAULT: "waf_html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "aliyun_waf" in response.text and "_____tmd_____/punish" in response.text
    assert client.post("/api/v2/chats/new", json={}, headers={FAULT: "waf_html; status=405"}).status_code == 405


# ---------------------------------------------------------------------------------------------- connection


@covers("drop_before_headers")
def test_drop_before_headers_aborts_the_connection(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        completion(client, "drop_before_headers")
    # A JSON endpoint too, and the server keeps serving afterwards.
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/api/v2/models/", headers={FAULT: "drop_before_headers"})
    assert client.get("/api/v2/models/").status_code == 200


def test_drop_is_a_real_tcp_close_not_a_500(qwen_server: RunningServer) -> None:
    host, port = qwen_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(
            b"GET /api/v2/models/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
            b"x-qwen-mock-fault: drop_before_headers\r\n\r\n"
        )
        assert sock.recv(1024) == b""  # EOF without a single byte of response


@covers("drop_after_events")
def test_drop_after_events_cuts_the_stream(client: httpx.Client) -> None:
    seen, error = stream_lines(client, "drop_after_events; after=3")
    assert isinstance(error, httpx.RemoteProtocolError)
    assert len(seen) == 3 and b"response.created" in seen[0]
    # On a JSON endpoint the mid-stream drop happens before the headers.
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/api/v2/chats/new", json={}, headers={FAULT: "drop_after_events"})


@covers("stall_before_headers")
def test_stall_before_headers(client: httpx.Client) -> None:
    with pytest.raises(httpx.ReadTimeout):
        completion(client, "stall_before_headers", timeout=httpx.Timeout(5.0, read=0.3))
    started = time.monotonic()
    response = completion(client, "stall_before_headers; seconds=0.2", prompt="late")
    assert time.monotonic() - started >= 0.2
    assert answer_of(events(response.content)) == expected_answer("late")


@covers("stall_between_events")
def test_stall_between_events(client: httpx.Client) -> None:
    seen, error = stream_lines(client, "stall_between_events; after=2", timeout=httpx.Timeout(5.0, read=0.3))
    assert isinstance(error, httpx.ReadTimeout) and len(seen) == 2
    started = time.monotonic()
    response = completion(client, "stall_between_events; seconds=0.2", prompt="slow")
    assert time.monotonic() - started >= 0.2
    assert answer_of(events(response.content)) == expected_answer("slow")
    with pytest.raises(httpx.ReadTimeout):  # on a JSON endpoint: before the headers
        client.get("/api/v2/models/", headers={FAULT: "stall_between_events"}, timeout=httpx.Timeout(5.0, read=0.3))


# ---------------------------------------------------------------------------------------------- stream content


@covers("malformed_event")
def test_malformed_event(client: httpx.Client) -> None:
    payloads = raw_events(completion(client, "malformed_event; after=2", prompt="ok").content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(payloads[2])
    rest = [json.loads(p) for i, p in enumerate(payloads) if i != 2]
    assert answer_of(rest) == expected_answer("ok")  # the stream goes on after the broken line
    broken = client.get("/api/v2/models/", headers={FAULT: "malformed_event"})
    with pytest.raises(json.JSONDecodeError):
        broken.json()


@covers("stream_error")
def test_stream_error_event(client: httpx.Client) -> None:
    parsed = events(completion(client, "stream_error").content)
    assert len(parsed) == 2 and "response.created" in parsed[0]
    assert parsed[1] == {
        "error": {
            "modality": ["text"],
            "code": "data_inspection_failed",
            "stage": "input",
            "details": parsed[1]["error"]["details"],
        },
        "response_id": parsed[0]["response.created"]["response_id"],
        "response_index": 0,
    }


@covers("stream_error_string")
def test_stream_error_string(client: httpx.Client) -> None:
    assert completion(client, "stream_error_string").content == b'data: {"error":"Internal error!"}\n\n'
    after_one = events(completion(client, "stream_error_string; after=1").content)
    assert "response.created" in after_one[0] and after_one[1] == {"error": "Internal error!"}


@covers("invalid_utf8")
def test_invalid_utf8(client: httpx.Client) -> None:
    payloads = raw_events(completion(client, "invalid_utf8; after=1", prompt="ok").content)
    assert b"\xff\xfe\xfd" in payloads[1]
    with pytest.raises(UnicodeDecodeError):
        payloads[1].decode("utf-8")
    rest = [json.loads(p) for i, p in enumerate(payloads) if i != 1]
    assert answer_of(rest) == expected_answer("ok")


# ---------------------------------------------------------------------------------------------- selection


def test_times_limits_the_fault_to_the_first_attempts(client: httpx.Client, qwen_server: RunningServer) -> None:
    header = "http_503; times=2; id=retry-test"
    statuses = [client.get("/api/v2/models/", headers={FAULT: header}).status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    assert qwen_server.state.attempts[header] == 4


def test_server_level_rules(client: httpx.Client, qwen_server: RunningServer) -> None:
    rule = qwen_server.add_fault("envelope_rate_limited", times=1, path="/api/v2/chats/new")
    assert client.get("/api/v2/models/").status_code == 200  # other paths untouched
    first = client.post("/api/v2/chats/new", json={})
    assert first.headers["x-actual-status-code"] == "429"
    assert client.post("/api/v2/chats/new", json={}).json()["success"] is True
    assert qwen_server.state.attempts[rule.key] == 2

    qwen_server.add_fault("http_502")
    assert client.get("/api/v2/models/").status_code == 502
    qwen_server.clear_faults()
    assert client.get("/api/v2/models/").status_code == 200


def test_server_level_faults_from_the_config(qwen_server_factory: Any) -> None:
    from qwen_api.testing import FaultRule, FaultSpec

    server = qwen_server_factory(ServerConfig(faults=[FaultRule(FaultSpec("http_503", times=1))]))
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as http:
        assert [http.get("/api/v2/models/").status_code for _ in range(2)] == [503, 200]


def test_unknown_fault_is_reported(client: httpx.Client) -> None:
    response = client.get("/api/v2/models/", headers={FAULT: "nonsense"})
    assert response.status_code == 400 and "unknown fault 'nonsense'" in response.text
    assert client.get("/api/v2/models/", headers={FAULT: "http_500; times=x"}).status_code == 400


def test_every_fault_has_a_wire_test() -> None:
    assert set(FAULTS) == COVERED


# ---------------------------------------------------------------------------------------------- lifecycle


def test_shutdown_is_bounded_with_a_stalled_handler() -> None:
    outcome: list[object] = []
    with serve() as server:

        def stuck_client() -> None:
            try:
                httpx.get(server.url + "/api/v2/models/", headers={**AUTH, FAULT: "stall_before_headers"}, timeout=30)
            except httpx.HTTPError as exc:
                outcome.append(exc)

        thread = threading.Thread(target=stuck_client)
        thread.start()
        deadline = time.monotonic() + 5
        while not server.state.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
    assert time.monotonic() - started < 3
    thread.join(5)
    assert outcome and isinstance(outcome[0], httpx.RemoteProtocolError)


def test_open_connections_counts_live_sockets(qwen_server: RunningServer) -> None:
    with httpx.Client(base_url=qwen_server.url, headers=AUTH) as http:
        http.get("/api/models")
        assert qwen_server.open_connections() == 1
    deadline = time.monotonic() + 2
    while qwen_server.open_connections() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert qwen_server.open_connections() == 0
