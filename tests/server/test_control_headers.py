"""A malformed control header (``x-qwen-mock-*``) is a plain HTTP 400 on every endpoint.

Control headers are the local server's own API: a mistake in one is the test author's, so it gets
a real 400 naming the header, before auth and before the handler has any effect. The HTTP-200
envelope with ``x-actual-status-code`` stays reserved for the service's own errors (issue 16:
"answers every malformed control header with 400").
"""

from __future__ import annotations

import httpx
import pytest
from starlette.requests import Request

from qwen_api.testing import RunningServer
from qwen_api.testing.context import float_header, int_header
from qwen_api.testing.controls import CONTROL_HEADERS, ControlHeaderError, check_control_headers, read_controls

from .conftest import new_chat, post_turn

MALFORMED = [
    ("x-qwen-mock-chunk-size", "abc"),
    ("x-qwen-mock-chunk-size", "0"),
    ("x-qwen-mock-chunk-size", "1.5"),
    ("x-qwen-mock-chunk-size", "99999999999999999999999"),
    ("x-qwen-mock-delay", "abc"),
    ("x-qwen-mock-delay", "nan"),
    ("x-qwen-mock-delay", "-1"),
    ("x-qwen-mock-delay", "inf"),
    ("x-qwen-mock-answer-length", "abc"),
    ("x-qwen-mock-answer-length", "-3"),
    ("x-qwen-mock-answer-length", "10000000000"),
    ("x-qwen-mock-image-count", "abc"),
    ("x-qwen-mock-image-count", "1000000"),
    ("x-qwen-mock-script", '"unterminated'),
    ("x-qwen-mock-script", "base64:!!!"),
    ("x-qwen-mock-script", "base64:/w=="),
    ("x-qwen-mock-script-reasoning", '"x'),
    ("x-qwen-mock-fault", "nonsense"),
    ("x-qwen-mock-drift", "garbage"),
]


def _assert_plain_400(response: httpx.Response, header: str) -> None:
    assert response.status_code == 400, (header, response.status_code, response.text[:200])
    assert "x-actual-status-code" not in response.headers
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("qwen mock server: ") and header in response.text


@pytest.mark.parametrize(("header", "value"), MALFORMED)
def test_a_malformed_control_header_on_a_completion_is_a_plain_400(
    client: httpx.Client, header: str, value: str
) -> None:
    _assert_plain_400(post_turn(client, new_chat(client), "hi", headers={header: value}), header)


@pytest.mark.parametrize(("header", "value"), MALFORMED)
def test_a_malformed_control_header_is_a_400_on_every_endpoint_and_has_no_effect(
    qwen_server: RunningServer, client: httpx.Client, header: str, value: str
) -> None:
    chats_before = len(qwen_server.state.chats)
    created = client.post("/api/v2/chats/new", json={"models": ["qwen3.7-plus"]}, headers={header: value})
    _assert_plain_400(created, header)
    assert len(qwen_server.state.chats) == chats_before  # refused before the handler ran
    _assert_plain_400(client.get("/api/v2/models/", headers={header: value}), header)
    _assert_plain_400(client.get("/api/models", headers={header: value}), header)  # no auth there
    _assert_plain_400(httpx.get(qwen_server.url + "/api/v2/chats/", headers={header: value}), header)  # before auth
    _assert_plain_400(client.get("/output/none.png", headers={header: value}), header)  # media endpoint


# One rule for every control header: known, given once, not empty (before any value is read).
VALID = {
    "x-qwen-mock-fault": "http_429",
    "x-qwen-mock-drift": "drop=usage",
    "x-qwen-mock-answer-length": "5",
    "x-qwen-mock-chunk-size": "5",
    "x-qwen-mock-delay": "0",
    "x-qwen-mock-image-count": "1",
    "x-qwen-mock-script": "first answer",
    "x-qwen-mock-script-reasoning": '"why"',
}


def test_the_known_control_headers_are_all_covered_here() -> None:
    assert set(VALID) == set(CONTROL_HEADERS)


@pytest.mark.parametrize("header", sorted(VALID))
@pytest.mark.parametrize("second", ["same", "other", "invalid"])
def test_a_control_header_given_twice_is_a_400_whatever_the_copies_say(
    qwen_server: RunningServer, client: httpx.Client, header: str, second: str
) -> None:
    value = VALID[header]
    other = {"same": value, "other": "7" if value != "7" else "8", "invalid": "0"}[second]
    twice = [(header, value), (header, other)]
    if header == "x-qwen-mock-script-reasoning":
        twice.append(("x-qwen-mock-script", "answer"))
    chats_before = len(qwen_server.state.chats)
    response = post_turn(client, new_chat(client), "hi", headers=twice)
    _assert_plain_400(response, header)
    assert "given 2 times" in response.text
    _assert_plain_400(client.post("/api/v2/chats/new", json={}, headers=twice), header)
    assert len(qwen_server.state.chats) == chats_before + 1  # only the test's own chat
    _assert_plain_400(client.get("/api/v2/models/", headers=twice), header)


@pytest.mark.parametrize("header", sorted(VALID))
def test_an_empty_control_header_is_a_400(client: httpx.Client, header: str) -> None:
    # (surrounding whitespace never reaches the app: HTTP parsers strip it, and h11 refuses to send it)
    response = post_turn(client, new_chat(client), "hi", headers=[(header, "")])
    _assert_plain_400(response, header)
    assert "is empty" in response.text
    _assert_plain_400(client.get("/api/v2/models/", headers=[(header, "")]), header)


@pytest.mark.parametrize("header", ["x-qwen-mock-dealy", "X-Qwen-Mock-Chunksize", "x-qwen-mock-", "x-qwen-mock-faults"])
def test_an_unknown_control_header_is_a_400_naming_the_known_ones(
    qwen_server: RunningServer, client: httpx.Client, header: str
) -> None:
    response = post_turn(client, new_chat(client), "hi", headers={header: "5"})
    _assert_plain_400(response, header.lower())
    assert "unknown control header" in response.text
    assert all(known in response.text for known in CONTROL_HEADERS)
    for other in (
        client.post("/api/v2/chats/new", json={}, headers={header: "5"}),
        client.get("/api/v2/models/", headers={header: "5"}),
        httpx.get(qwen_server.url + "/api/v2/chats/", headers={header: "5"}),  # before auth
        client.get("/output/none.png", headers={header: "5"}),  # media endpoint
    ):
        _assert_plain_400(other, header.lower())


def test_each_valid_control_header_given_once_still_works(client: httpx.Client) -> None:
    for header, value in VALID.items():
        headers = {header: value}
        if header == "x-qwen-mock-script-reasoning":
            headers["x-qwen-mock-script"] = "answer"
        if header in ("x-qwen-mock-fault", "x-qwen-mock-drift"):
            assert client.get("/api/v2/models/", headers=headers).status_code in (200, 429), header
            continue
        assert post_turn(client, new_chat(client), "hi", headers=headers).status_code == 200, header


def test_check_control_headers_sees_raw_pairs() -> None:
    check_control_headers([("x-qwen-mock-delay", "0"), ("content-type", "x"), ("x-qwen-mock-script", ";")])
    for pairs, words in (
        ([("x-qwen-mock-delay", "0"), ("X-Qwen-Mock-Delay", "1")], "given 2 times"),
        ([("x-qwen-mock-fault", " ; ")], "is empty"),
        ([("x-qwen-mock-dealy", "1")], "unknown control header"),
    ):
        with pytest.raises(ControlHeaderError, match=words):
            check_control_headers(pairs)


def test_reasoning_without_answer_text_is_refused_rather_than_dropped(client: httpx.Client) -> None:
    response = post_turn(client, new_chat(client), "hi", headers={"x-qwen-mock-script-reasoning": '"thinking"'})
    _assert_plain_400(response, "x-qwen-mock-script-reasoning")
    assert "x-qwen-mock-script" in response.text


def test_well_formed_controls_still_pass_where_they_do_not_apply(client: httpx.Client) -> None:
    controls = {"x-qwen-mock-delay": "0", "x-qwen-mock-chunk-size": "3", "x-qwen-mock-script": '"ok"'}
    created = client.post("/api/v2/chats/new", json={"models": ["qwen3.7-plus"]}, headers=controls)
    assert created.status_code == 200 and created.json()["success"] is True
    assert client.get("/api/v2/models/", headers=controls).json()["success"] is True


def test_read_controls_names_the_header_and_bounds_every_number() -> None:
    assert read_controls({}).chunk_size is None
    controls = read_controls(
        {"x-qwen-mock-chunk-size": "4", "x-qwen-mock-delay": "0.5", "x-qwen-mock-image-count": "2"}
    )
    assert (controls.chunk_size, controls.delay, controls.image_count) == (4, 0.5, 2)
    scripted = read_controls({"x-qwen-mock-script": '"a\\nb"', "x-qwen-mock-script-reasoning": '"why"'}).script
    assert scripted is not None and (scripted.text, scripted.reasoning) == ("a\nb", "why")
    for header, value in MALFORMED:
        if header in ("x-qwen-mock-fault", "x-qwen-mock-drift"):
            continue  # their own parsers; checked by the app in the same step
        with pytest.raises(ControlHeaderError, match=header):
            read_controls({header: value})


def test_the_first_releases_header_readers_still_read_and_refuse() -> None:
    request = Request({"type": "http", "headers": [(b"x-a", b"2.5"), (b"x-b", b"3"), (b"x-c", b"nan")]})
    assert float_header(request, "x-a", minimum=0) == 2.5
    assert int_header(request, "x-b", minimum=1) == 3
    assert float_header(request, "x-missing", minimum=0) is None
    with pytest.raises(ControlHeaderError, match="x-a must be an integer"):
        int_header(request, "x-a", minimum=0)
    with pytest.raises(ControlHeaderError, match="x-c must be between"):
        float_header(request, "x-c", minimum=0)
