"""Every form of failure maps onto the documented hierarchy with the fields users act on."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_api._errors import NOT_JSON, classify_answer, classify_error_body, parse_retry_after
from qwen_api.core import exceptions as exc
from tests.conftest import FIXTURES


def classify(status: int, body: bytes | str, headers: dict[str, str] | None = None) -> exc.QwenAPIError | None:
    content = body.encode() if isinstance(body, str) else body
    return classify_error_body(
        status=status,
        headers=headers or {"content-type": "application/json"},
        content=content,
        method="POST",
        url="https://chat.qwen.ai/api/v2/chat/completions?chat_id=c",
    )


def test_hierarchy_is_exactly_documented() -> None:
    assert issubclass(exc.QwenAPIStatusError, exc.QwenAPIError)
    assert issubclass(exc.QwenAPIStatus4xxError, exc.QwenAPIStatusError)
    assert issubclass(exc.QwenAuthenticationError, exc.QwenAPIStatus4xxError)
    assert issubclass(exc.QwenInvalidRequestError, exc.QwenAPIStatus4xxError)
    assert issubclass(exc.QwenAPIStatus5xxError, exc.QwenAPIStatusError)
    for cls in (exc.QwenConnectionError, exc.QwenTimeoutError, exc.RateLimitError, exc.QwenInternalError):
        assert cls.__bases__ == (exc.QwenAPIError,)
    assert exc.AuthError is exc.QwenAuthenticationError
    assert issubclass(exc.QwenNotFoundError, exc.QwenInvalidRequestError)


def test_daily_quota_envelope() -> None:
    body = (FIXTURES / "error_ratelimited_daily_2026-09-21.json").read_bytes()
    error = classify(200, body, {"content-type": "application/json", "x-actual-status-code": "429"})
    assert isinstance(error, exc.RateLimitError)
    assert error.status_code == 429 and error.code == "RateLimited"
    assert error.retry_after == 12 * 3600
    assert error.request_id == "3c9429b0-ca12-4e2a-ad4e-98e1d381adf4"
    assert "upper limit" in str(error)


@pytest.mark.parametrize(
    ("name", "cls", "status"),
    [
        ("error_unauthorized_missing_bearer.json", exc.QwenAuthenticationError, 401),
        ("error_unauthorized_stale_version_header.json", exc.QwenAuthenticationError, 401),
        ("error_waf_rgv587_2026-08-01.json", exc.QwenAntiBotError, 403),
    ],
)
def test_recorded_error_bodies(name: str, cls: type[exc.QwenAPIError], status: int) -> None:
    error = classify(200, (FIXTURES / name).read_bytes())
    assert type(error) is cls
    assert error is not None and error.status_code == status


@pytest.mark.parametrize(
    ("body", "cls", "status"),
    [
        ({"success": False, "message": "Token expired"}, exc.QwenAuthenticationError, 401),
        ({"success": False, "data": {"code": "Not_Found", "details": "Chat not found"}}, exc.QwenNotFoundError, 404),
        ({"success": False, "data": {"code": "CHAT_NOT_FOUND", "details": "x"}}, exc.QwenNotFoundError, 404),
        ({"success": False, "data": {"code": "Bad_Request", "details": "bad"}}, exc.QwenInvalidRequestError, 400),
        ({"success": False, "data": {"code": "internal_error", "details": "x"}}, exc.QwenAPIStatus5xxError, 500),
        ({"success": False, "data": {"code": "data_inspection_failed"}}, exc.QwenContentFilterError, 400),
        ({"success": False, "data": {"code": "SomethingNew"}}, exc.QwenInvalidRequestError, 400),
    ],
)
def test_envelopes(body: dict[str, Any], cls: type[exc.QwenAPIError], status: int) -> None:
    error = classify(200, json.dumps(body))
    assert type(error) is cls and error is not None
    assert error.status_code == status


def test_actual_status_header_wins() -> None:
    error = classify(
        200,
        '{"success":false,"data":{"code":"SomethingNew"}}',
        {"content-type": "application/json", "x-actual-status-code": "503"},
    )
    assert isinstance(error, exc.QwenAPIStatus5xxError) and error.status_code == 503


def test_success_bodies_are_not_errors() -> None:
    for name in (
        "chats_new_2026-09-14_response.json",
        "models_v2_list_report_excerpt.json",
        "files_parse_response.json",
    ):
        assert classify(200, (FIXTURES / name).read_bytes()) is None


def test_html_waf_page_and_html_5xx() -> None:
    page = "<html><head><title>Verification</title></head><body>aliyun_waf slider</body></html>"
    waf = classify(200, page, {"content-type": "text/html"})
    assert isinstance(waf, exc.QwenAntiBotError) and "Verification" in str(waf)
    bad = classify(502, "<html><title>502 Bad Gateway</title></html>", {"content-type": "text/html"})
    assert isinstance(bad, exc.QwenAPIStatus5xxError) and bad.status_code == 502 and "Bad Gateway" in str(bad)


@pytest.mark.parametrize(("status", "server_error"), [(500, True), (599, True), (600, False), (999, False)])
def test_only_statuses_500_to_599_are_server_errors(status: int, server_error: bool) -> None:
    """A status from 600 up is no HTTP status at all (a broken or hostile server): not "retry later"."""
    from qwen_api._engine import is_retryable

    error = classify(status, "oops", {})
    assert isinstance(error, exc.QwenAPIStatus5xxError) is server_error and error.status_code == status
    assert is_retryable(error) is server_error


def test_http_429_with_retry_after() -> None:
    error = classify(429, "", {"retry-after": "3"})
    assert isinstance(error, exc.RateLimitError) and error.retry_after == 3 and error.status_code == 429


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"Retry-After": "2"}) == 2
    assert parse_retry_after({"Retry-After": "nonsense"}) is None
    assert parse_retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0
    assert parse_retry_after({"Retry-After": "inf"}) is None


def test_errors_are_picklable_one_line_and_carry_fields() -> None:
    error = classify(
        200,
        (FIXTURES / "error_ratelimited_daily_2026-09-21.json").read_bytes(),
        {"content-type": "application/json", "x-actual-status-code": "429"},
    )
    assert error is not None
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.status_code, copy.code, copy.retry_after, copy.request_id, copy.body, copy.timestamp) == (
        error.status_code,
        error.code,
        error.retry_after,
        error.request_id,
        error.body,
        error.timestamp,
    )
    assert "\n" not in str(error)
    assert error.request == {"method": "POST", "url": "https://chat.qwen.ai/api/v2/chat/completions?chat_id=c"}


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=100, max_value=599),
    st.binary(max_size=300),
    st.dictionaries(st.sampled_from(["content-type", "x-actual-status-code", "retry-after"]), st.text(max_size=20)),
)
def test_mapper_never_crashes(status: int, body: bytes, headers: dict[str, str]) -> None:
    error = classify(status, body, headers)
    if status >= 400:
        assert isinstance(error, exc.QwenAPIError)
    if error is not None:
        str(error)
        pickle.loads(pickle.dumps(error))


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["success", "code", "data", "message", "details", "ret", "num"]),
        st.none()
        | st.booleans()
        | st.integers()
        | st.text(max_size=10)
        | st.dictionaries(st.sampled_from(["code", "details", "num"]), st.text(max_size=5) | st.integers())
        | st.lists(st.text(max_size=20), max_size=3),
        max_size=5,
    )
)
def test_mapper_on_arbitrary_json_bodies(body: dict[str, Any]) -> None:
    error = classify(200, json.dumps(body))
    if body.get("success") is False:
        assert isinstance(error, exc.QwenAPIStatusError | exc.RateLimitError)


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", b"hello"),
        ("application/json", b""),
        ("application/json", b"{not json"),
        ("text/plain", b"[1, 2"),
        ("application/json", b"\xff\xfe{"),
    ],
)
def test_an_answer_that_is_not_json_says_so_rather_than_passing_for_null(content_type: str, content: bytes) -> None:
    # a JSON call tells "no JSON at all" (NOT_JSON) from a JSON null, and raises for the former
    error, body = classify_answer(
        status=200, headers={"Content-Type": content_type}, content=content, method="POST", url="u"
    )
    assert error is None and body is NOT_JSON


def test_a_json_null_is_a_body_not_the_absence_of_one() -> None:
    error, body = classify_answer(
        status=200, headers={"content-type": "application/json"}, content=b"null", method="GET", url="u"
    )
    assert error is None and body is None
