"""Error mapping decisions that mutation testing showed no test pinned down (issue 21).

Each case is a behaviour a user's ``except`` clause or the retry policy depends on: the class an
answer maps to, the status it carries, the wait it asks for, and the text it keeps.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from qwen_api._errors import classify_error_body, error_from_stream_event, parse_retry_after
from qwen_api.core import exceptions as exc

URL = "https://chat.qwen.ai/api/v2/chat/completions?chat_id=c"


def classify(status: int, body: bytes | str | dict[str, Any] = b"", **headers: str) -> exc.QwenAPIError | None:
    if isinstance(body, dict):
        body = json.dumps(body)
    content = body.encode() if isinstance(body, str) else body
    merged = {"content-type": "application/json", **{k.replace("_", "-"): v for k, v in headers.items()}}
    return classify_error_body(status=status, headers=merged, content=content, method="POST", url=URL)


# -- HTTP statuses without a service code -------------------------------------------------------


@pytest.mark.parametrize("status", [402, 405, 409, 410, 412, 418, 451])
def test_other_4xx_statuses_are_client_errors_not_server_errors(status: int) -> None:
    error = classify(status)
    assert type(error) is exc.QwenAPIStatus4xxError
    assert not isinstance(error, exc.QwenAPIStatus5xxError)
    assert error.status_code == status
    assert error.message.startswith(f"HTTP {status}")


@pytest.mark.parametrize("status", [500, 501, 502, 503, 504, 599])
def test_5xx_statuses_are_server_errors(status: int) -> None:
    error = classify(status)
    assert type(error) is exc.QwenAPIStatus5xxError
    assert error.status_code == status


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, exc.QwenInvalidRequestError),
        (401, exc.QwenAuthenticationError),
        (403, exc.QwenPermissionError),
        (404, exc.QwenNotFoundError),
        (422, exc.QwenInvalidRequestError),
        (429, exc.RateLimitError),
    ],
)
@pytest.mark.parametrize("body", [b"", b"{}", b"<html><title>nope</title></html>", b"plain words"])
def test_bare_statuses_map_by_status_alone(status: int, cls: type[exc.QwenAPIError], body: bytes) -> None:
    error = classify(status, body)
    assert type(error) is cls
    assert error.status_code == status
    assert error.code is None


def test_a_3xx_answer_is_not_mistaken_for_an_error_class_of_its_own() -> None:
    assert classify(304) is None


# -- Retry hints ---------------------------------------------------------------------------------


def test_retry_after_ms_zero_means_retry_now_and_wins_over_retry_after() -> None:
    assert parse_retry_after({"retry-after-ms": "0", "Retry-After": "30"}) == 0.0
    error = classify(429, b"", retry_after_ms="0", retry_after="30")
    assert isinstance(error, exc.RateLimitError) and error.retry_after == 0.0


def test_unusable_retry_after_ms_falls_back_to_retry_after() -> None:
    for bad in ("-5", "soon", "nan", "inf"):
        assert parse_retry_after({"retry-after-ms": bad, "retry-after": "7"}) == 7


def test_retry_after_header_names_are_case_insensitive_and_negative_seconds_clamp_to_zero() -> None:
    assert parse_retry_after({"RETRY-AFTER-MS": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "-3"}) == 0.0
    assert parse_retry_after({}) is None


def test_retry_after_travels_on_every_status_error() -> None:
    error = classify(503, b"", retry_after="4")
    assert isinstance(error, exc.QwenAPIStatus5xxError) and error.retry_after == 4


# -- Envelopes -----------------------------------------------------------------------------------


def test_an_envelope_without_a_code_is_not_an_expired_token() -> None:
    error = classify(200, {"success": False, "message": "chat is busy"})
    assert type(error) is exc.QwenInvalidRequestError
    assert error.code is None
    assert error.message == "chat is busy"
    assert error.status_code == 400


def test_an_envelope_that_says_the_token_expired_without_a_code_is_an_expired_token() -> None:
    error = classify(200, {"success": False, "message": "Your token has expired"})
    assert isinstance(error, exc.QwenAuthenticationError)
    assert error.code == "Token_Expired" and error.status_code == 401


@pytest.mark.parametrize("key", ["details", "message", "msg", "detail"])
def test_every_message_key_the_service_has_used_is_kept(key: str) -> None:
    error = classify(200, {"success": False, "code": "Bad_Request", key: f"text under {key}"})
    assert error.message == f"text under {key}"


def test_the_code_inside_data_wins_and_the_status_follows_the_code() -> None:
    body = {"success": False, "code": "outer", "data": {"code": "Not_Found", "details": "no such chat"}}
    error = classify(200, body)
    assert type(error) is exc.QwenNotFoundError
    assert error.code == "Not_Found" and error.status_code == 404 and error.message == "no such chat"


def test_the_actual_status_header_beats_the_code_and_the_200() -> None:
    error = classify(200, {"success": False, "code": "Bad_Request", "details": "x"}, x_actual_status_code="409")
    assert error is not None and error.status_code == 409


def test_a_bare_code_and_details_body_without_success_is_an_error() -> None:
    error = classify(200, {"code": "internal_error", "details": "oops"})
    assert type(error) is exc.QwenAPIStatus5xxError and error.status_code == 500 and error.message == "oops"


def test_a_body_with_only_a_code_is_a_result_not_an_error() -> None:
    assert classify(200, {"code": "ok"}) is None


def test_html_at_200_is_a_firewall_block() -> None:
    error = classify(200, "<!DOCTYPE html><html><title>Just a moment</title></html>", content_type="text/html")
    assert type(error) is exc.QwenAntiBotError and error.code == "WAF_BLOCK" and error.status_code == 403


# -- Errors inside a stream ------------------------------------------------------------------------


def test_a_stream_error_sent_as_a_plain_string_keeps_its_text() -> None:
    error = error_from_stream_event({"error": "the model is overloaded"}, method="POST", url=URL)
    assert error.message == "the model is overloaded"
    assert error.status_code == 500 and type(error) is exc.QwenAPIStatus5xxError


def test_a_stream_error_with_a_code_maps_like_an_envelope() -> None:
    event = {"error": {"code": "RateLimited", "details": "slow down"}, "response_id": "r-1"}
    error = error_from_stream_event(event, method="POST", url=URL)
    assert type(error) is exc.RateLimitError and error.status_code == 429
    assert error.message == "slow down" and error.request_id == "r-1" and error.body == event


def test_a_stream_error_without_text_says_where_it_came_from() -> None:
    error = error_from_stream_event({"error": {}}, method="POST", url=URL)
    assert error.message == "the service reported an error inside the stream"
    coded = error_from_stream_event({"error": {"code": "Not_Found"}}, method="POST", url=URL)
    assert coded.message == "Not_Found" and coded.status_code == 404


def test_an_anti_bot_block_is_a_4xx_sibling_of_the_authentication_error() -> None:
    """``except QwenAuthenticationError`` (re-login code) must not swallow a WAF block: the token is fine."""
    blocked = classify(200, {"ret": ["FAIL_SYS_USER_VALIDATE::blocked"], "data": {}})
    assert type(blocked) is exc.QwenAntiBotError and blocked.code == "FAIL_SYS_USER_VALIDATE"
    assert isinstance(blocked, exc.QwenAPIStatus4xxError)
    assert not isinstance(blocked, exc.QwenAuthenticationError)
    assert exc.QwenAntiBotError.__bases__ == (exc.QwenAPIStatus4xxError,)


def test_the_exception_classes_are_defined_once_and_re_exported() -> None:
    import qwen_api
    from qwen_api import _exceptions

    for name in exc.__all__:
        cls = getattr(exc, name)
        assert cls is getattr(_exceptions, name) is getattr(qwen_api, name)
        assert cls.__module__ == "qwen_api._exceptions"
