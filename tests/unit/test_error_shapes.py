"""Every shape of error answer the service has used, pinned field by field (issue 21).

Mutation testing of ``qwen_api/_errors.py`` showed which decisions no test noticed changing: which
class a body maps to when the code and the status disagree, the exact one-line ``str()`` a user
reads, the ``body``/``request_id``/``retry_after`` an ``except`` clause acts on, and the edges of
``Retry-After`` parsing. Each test below states one such decision; all are pure function calls.
"""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any

import pytest

from qwen_api._errors import (
    classify_error_body,
    error_from_stream_event,
    internal_error,
    is_error_body,
    parse_retry_after,
)
from qwen_api.core import exceptions as exc
from tests.conftest import FIXTURES

URL = "https://chat.qwen.ai/api/v2/chat/completions?chat_id=c"
JSON = "application/json"


def classify(
    status: int, body: bytes | str | dict[str, Any] | list[Any] = b"", content_type: str | None = JSON, **headers: str
) -> exc.QwenAPIError | None:
    """The error for one answer; ``headers`` use underscores for dashes (``x_request_id``)."""
    if isinstance(body, dict | list):
        body = json.dumps(body)
    content = body.encode() if isinstance(body, str) else body
    merged = {k.replace("_", "-"): v for k, v in headers.items()}
    if content_type is not None:
        merged["content-type"] = content_type
    return classify_error_body(status=status, headers=merged, content=content, method="POST", url=URL)


def error_of(status: int, body: bytes | str | dict[str, Any] | list[Any] = b"", **kwargs: Any) -> exc.QwenAPIError:
    error = classify(status, body, **kwargs)
    assert error is not None
    return error


def stream_error(event: dict[str, Any]) -> exc.QwenAPIError:
    return error_from_stream_event(event, method="POST", url=URL)


# -- Service codes against HTTP statuses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        # the code decides when it names a kind, whatever the status says
        (400, "RateLimited", exc.RateLimitError),
        (404, "too_many_requests", exc.RateLimitError),
        (500, "QuotaLimited", exc.RateLimitError),
        (400, "data_inspection_failed", exc.QwenContentFilterError),
        (403, "data_inspection_failed", exc.QwenContentFilterError),
        (400, "Not_Found", exc.QwenNotFoundError),
        (403, "chat_not_found", exc.QwenNotFoundError),
        (500, "NotFound", exc.QwenNotFoundError),
        (400, "Unauthorized", exc.QwenAuthenticationError),
        (403, "invalid_token", exc.QwenAuthenticationError),
        (404, "RateLimited", exc.RateLimitError),
        (500, "Bad_Request", exc.QwenInvalidRequestError),
        (409, "invalid_input", exc.QwenInvalidRequestError),
        (409, "internal_error", exc.QwenAPIStatus5xxError),
        (418, "server_error", exc.QwenAPIStatus5xxError),
        # an unknown code leaves the decision to the status
        (401, "SomethingNew", exc.QwenAuthenticationError),
        (403, "SomethingNew", exc.QwenPermissionError),
        (404, "SomethingNew", exc.QwenNotFoundError),
        (409, "SomethingNew", exc.QwenAPIStatus4xxError),
        (422, "SomethingNew", exc.QwenInvalidRequestError),
        (429, "SomethingNew", exc.RateLimitError),
        (500, "SomethingNew", exc.QwenAPIStatus5xxError),
        # a status decides over a code of a kind ranked below it
        (429, "Not_Found", exc.RateLimitError),
        (404, "Bad_Request", exc.QwenNotFoundError),
        (401, "internal_error", exc.QwenAuthenticationError),
        (400, "internal_error", exc.QwenInvalidRequestError),
    ],
)
def test_an_http_error_with_a_service_code(status: int, code: str, cls: type[exc.QwenAPIError]) -> None:
    plain = error_of(status, {"code": code, "msg": "why"})  # not an envelope: mapped as an HTTP error
    assert type(plain) is cls
    assert plain.status_code == status and plain.code == code
    assert plain.message == f"HTTP {status}: why"
    envelope = error_of(status, {"success": False, "code": code, "details": "why"})
    assert type(envelope) is cls
    assert envelope.status_code == status and envelope.code == code
    assert envelope.message == "why"


@pytest.mark.parametrize("code", [" RateLimited ", "RATELIMITED", "Too Many Requests"])
def test_codes_are_matched_without_case_spaces_or_padding(code: str) -> None:
    assert type(error_of(400, {"code": code})) is exc.RateLimitError


def test_a_code_spelled_with_spaces_matches_its_underscored_form() -> None:
    error = error_of(200, {"success": False, "code": "Token Expired"})
    assert type(error) is exc.QwenAuthenticationError and error.status_code == 401
    assert error.message == "Token expired"


@pytest.mark.parametrize(
    ("code", "cls", "status"),
    [
        ("RateLimited", exc.RateLimitError, 429),
        ("ParallelLimited", exc.RateLimitError, 429),
        ("Unauthorized", exc.QwenAuthenticationError, 401),
        ("Forbidden", exc.QwenAuthenticationError, 401),
        ("chat_not_found", exc.QwenNotFoundError, 404),
        ("data_inspection_failed", exc.QwenContentFilterError, 400),
        ("RequestValidationError", exc.QwenInvalidRequestError, 400),
        ("InternalError", exc.QwenAPIStatus5xxError, 500),
        ("SomethingNew", exc.QwenInvalidRequestError, 400),
    ],
)
def test_an_envelope_at_200_takes_its_status_from_its_code(code: str, cls: type[exc.QwenAPIError], status: int) -> None:
    error = error_of(200, {"success": False, "data": {"code": code, "details": "d"}})
    assert type(error) is cls and error.status_code == status and error.code == code


# -- Envelope fields ------------------------------------------------------------------------------


def test_an_envelope_keeps_every_field_a_handler_acts_on() -> None:
    body = {"success": False, "request_id": "req-body", "data": {"code": "Bad_Request", "details": "no model"}}
    error = error_of(200, body, x_request_id="req-header", retry_after="5")
    assert type(error) is exc.QwenInvalidRequestError
    assert (error.status_code, error.code, error.message) == (400, "Bad_Request", "no model")
    assert error.body == body
    assert error.request_id == "req-body"
    assert error.retry_after == 5
    assert error.method == "POST" and error.url == URL
    assert error.headers["x-request-id"] == "req-header"
    assert str(error) == (
        f"no model | status=400 | code=Bad_Request | retry_after=5s | request=POST {URL} | request_id=req-body"
    )


def test_the_request_id_comes_from_the_header_when_the_body_has_none() -> None:
    assert error_of(200, {"success": False, "code": "x"}, X_Request_Id="hdr").request_id == "hdr"
    assert error_of(200, {"success": False, "request_id": 7}, x_request_id="hdr").request_id == "hdr"
    assert error_of(200, {"success": False}).request_id is None
    assert error_of(500, "oops", content_type="text/plain", x_request_id="r5").request_id == "r5"
    assert error_of(500, {"request_id": "in-body"}, x_request_id="r5").request_id == "in-body"


def test_an_envelope_with_nothing_in_it_still_says_what_happened() -> None:
    error = error_of(200, {"success": False})
    assert type(error) is exc.QwenInvalidRequestError
    assert (error.status_code, error.code, error.message) == (400, None, "the service reported an error")


def test_an_envelope_with_only_a_code_is_named_by_the_code() -> None:
    error = error_of(200, {"success": False, "code": "Bad_Request"})
    assert error.message == "Bad_Request" and error.code == "Bad_Request"
    recorded = error_of(200, (FIXTURES / "error_unauthorized_missing_bearer.json").read_bytes())
    assert type(recorded) is exc.QwenAuthenticationError
    assert (recorded.message, recorded.code, recorded.status_code) == ("Unauthorized", "Unauthorized", 401)


def test_the_bare_code_and_details_body_keeps_its_text() -> None:
    recorded = error_of(200, (FIXTURES / "error_unauthorized_stale_version_header.json").read_bytes())
    assert (recorded.message, recorded.code, recorded.status_code) == ("401 Unauthorized", "unauthorized", 401)


@pytest.mark.parametrize("code", ["token_expired", "TokenExpired", "Token_Expired"])
def test_an_expired_token_code_without_text_says_so(code: str) -> None:
    error = error_of(200, {"success": False, "code": code})
    assert type(error) is exc.QwenAuthenticationError
    assert error.message == "Token expired" and error.code == code


def test_an_expired_token_code_keeps_the_services_own_text() -> None:
    error = error_of(200, {"success": False, "code": "token_expired", "details": "please log in again"})
    assert error.message == "please log in again"


@pytest.mark.parametrize(
    "text",
    ["Token has expired", "TOKEN EXPIRED", "token expire time reached", "your token expired yesterday"],
)
def test_text_about_an_expired_token_without_a_code_is_an_expired_token(text: str) -> None:
    error = error_of(200, {"success": False, "message": text})
    assert type(error) is exc.QwenAuthenticationError
    assert error.code == "Token_Expired" and error.message == text and error.status_code == 401


@pytest.mark.parametrize("text", ["token invalid", "session expired", "chat is busy", ""])
def test_other_text_without_a_code_is_not_an_expired_token(text: str) -> None:
    error = error_of(200, {"success": False, "message": text})
    assert type(error) is exc.QwenInvalidRequestError and error.code is None


def test_text_about_an_expired_token_does_not_override_a_code() -> None:
    error = error_of(200, {"success": False, "code": "Bad_Request", "details": "token expired"})
    assert type(error) is exc.QwenInvalidRequestError and error.code == "Bad_Request"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"details": "a", "message": "b", "msg": "c", "detail": "d"}, "a"),
        ({"message": "b", "msg": "c", "detail": "d"}, "b"),
        ({"msg": "c", "detail": "d"}, "c"),
        ({"details": 5, "message": "b"}, "b"),
        ({"details": "outer", "data": {"details": "inner"}}, "inner"),
        ({"details": "outer", "data": {"details": ["not", "text"]}}, "outer"),
        ({"message": "outer", "data": "just a string"}, "outer"),
    ],
)
def test_the_first_text_key_wins_in_the_documented_order(body: dict[str, Any], message: str) -> None:
    error = error_of(200, {"success": False, "code": "Bad_Request", **body})
    assert error.message == message


def test_a_code_that_is_not_text_is_ignored() -> None:
    error = error_of(200, {"success": False, "code": "Not_Found", "data": {"code": 42, "details": "gone"}})
    assert type(error) is exc.QwenNotFoundError and error.code == "Not_Found" and error.message == "gone"
    numeric = error_of(200, {"success": False, "code": 404, "message": "gone"})
    assert numeric.code is None and type(numeric) is exc.QwenInvalidRequestError


# -- Waits ---------------------------------------------------------------------------------------


def test_a_rate_limit_envelope_waits_num_hours() -> None:
    error = error_of(200, {"success": False, "data": {"code": "RateLimited", "num": 2}}, retry_after="9")
    assert type(error) is exc.RateLimitError and error.retry_after == 7200
    assert str(error).startswith("RateLimited | status=429 | code=RateLimited | retry_after=7200s")


@pytest.mark.parametrize("num", ["12", True, 1.5, None])
def test_a_num_that_is_not_a_whole_number_is_not_a_wait(num: Any) -> None:
    error = error_of(200, {"success": False, "data": {"code": "RateLimited", "num": num}}, retry_after="9")
    assert type(error) is exc.RateLimitError and error.retry_after == 9


def test_num_is_a_wait_only_for_a_rate_limit() -> None:
    error = error_of(200, {"success": False, "data": {"code": "Bad_Request", "num": 3}})
    assert type(error) is exc.QwenInvalidRequestError and error.retry_after is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "0", "retry-after": "30"}, 0.0),
        ({"Retry-After-Ms": "2500"}, 2.5),
        ({"retry-after-ms": "1e3"}, 1.0),
        ({"retry-after-ms": "-1", "retry-after": "4"}, 4.0),
        ({"retry-after-ms": "soon"}, None),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"RETRY-AFTER": "6"}, 6.0),
        ({"retry-after": "-2"}, 0.0),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "-inf"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "Fri, 31 Dec 99999 23:59:59 GMT"}, None),
        ({"retry-after": "Fri, 31 Dec 9999999999999 23:59:59 GMT"}, None),
        ({"x-retry-after": "3"}, None),
    ],
)
def test_retry_after_forms(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers) == expected


def test_retry_after_as_an_http_date_counts_from_now(monkeypatch: pytest.MonkeyPatch) -> None:
    now = 1_800_000_000.0
    monkeypatch.setattr(time, "time", lambda: now)
    assert parse_retry_after({"Retry-After": email.utils.formatdate(now + 90, usegmt=True)}) == 90
    assert parse_retry_after({"Retry-After": email.utils.formatdate(now - 90, usegmt=True)}) == 0.0
    # 08:00 at +01:00 is 07:00 UTC, 3600 s after 06:00 UTC
    six_utc = email.utils.mktime_tz((2027, 1, 15, 6, 0, 0, 0, 1, -1, 0))
    monkeypatch.setattr(time, "time", lambda: float(six_utc))
    assert parse_retry_after({"Retry-After": "Fri, 15 Jan 2027 08:00:00 +0100"}) == 3600


# -- x-actual-status-code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "status", "cls"),
    [
        ("400", 400, exc.QwenInvalidRequestError),
        ("401", 401, exc.QwenAuthenticationError),
        ("429", 429, exc.RateLimitError),
        ("502", 502, exc.QwenAPIStatus5xxError),
        ("200", 500, exc.QwenAPIStatus5xxError),
        ("399", 500, exc.QwenAPIStatus5xxError),
        ("nonsense", 500, exc.QwenAPIStatus5xxError),
    ],
)
def test_the_actual_status_header_counts_only_when_it_is_an_error_status(
    actual: str, status: int, cls: type[exc.QwenAPIError]
) -> None:
    error = error_of(200, {"success": False, "code": "InternalError"}, X_Actual_Status_Code=actual)
    assert type(error) is cls and error.status_code == status


def test_an_envelope_sent_with_an_error_status_keeps_that_status() -> None:
    error = error_of(400, {"success": False, "code": "internal_error"})
    assert type(error) is exc.QwenInvalidRequestError and error.status_code == 400
    error = error_of(401, {"success": False, "code": "SomethingNew"})
    assert type(error) is exc.QwenAuthenticationError and error.status_code == 401


# -- Anti-bot blocks -----------------------------------------------------------------------------------


def test_the_recorded_anti_bot_block_in_full() -> None:
    raw = (FIXTURES / "error_waf_rgv587_2026-08-01.json").read_bytes()
    error = error_of(200, raw, x_request_id="waf-1")
    assert type(error) is exc.QwenAntiBotError
    assert (error.status_code, error.code, error.request_id) == (403, "FAIL_SYS_USER_VALIDATE", "waf-1")
    assert error.body == json.loads(raw)
    assert error.method == "POST" and error.url == URL and error.headers["x-request-id"] == "waf-1"
    assert error.retry_after is None
    markers = "FAIL_SYS_USER_VALIDATE, RGV587_ERROR::SM::哎哟喂,被挤爆啦,请稍后重试"
    assert error.message == (
        f"blocked by the service's anti-bot check ({markers}); open chat.qwen.ai in a browser, pass the check, "
        "and pass its bx-ua/bx-umidtoken headers and cookie to the client"
    )


@pytest.mark.parametrize(
    "ret",
    [["RGV587_ERROR::SM"], ["FAIL_SYS_TOKEN_EXOIRED::x"], ["SUCCESS::ok", "FAIL_BIZ"], [42, "FAIL_SYS_USER_VALIDATE"]],
)
def test_any_failure_marker_in_ret_is_a_block(ret: list[Any]) -> None:
    error = error_of(200, {"ret": ret, "data": {}})
    assert type(error) is exc.QwenAntiBotError and error.status_code == 403
    assert ", ".join(str(r) for r in ret) in error.message


@pytest.mark.parametrize("ret", [["SUCCESS::ok"], [], "FAIL_SYS_USER_VALIDATE", ["x_FAIL_"], [None]])
def test_a_ret_without_a_failure_marker_is_a_result(ret: Any) -> None:
    assert classify(200, {"ret": ret, "data": {}}) is None


@pytest.mark.parametrize(("actual", "status"), [("400", 400), ("429", 429), ("200", 403), ("x", 403)])
def test_an_anti_bot_block_carries_the_actual_status_when_it_is_an_error(actual: str, status: int) -> None:
    error = error_of(200, {"ret": ["FAIL_SYS_USER_VALIDATE"]}, x_actual_status_code=actual)
    assert type(error) is exc.QwenAntiBotError and error.status_code == status
    page = error_of(200, "<html><title>t</title></html>", content_type="text/html", x_actual_status_code=actual)
    assert type(page) is exc.QwenAntiBotError and page.status_code == status


# -- Bodies that are not error envelopes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"code": "x", "details": "y"},
        {"code": "x", "message": "y"},
        {"code": "x", "details": None},
    ],
)
def test_a_bare_code_with_text_is_an_error(body: dict[str, Any]) -> None:
    assert isinstance(classify(200, body), exc.QwenAPIStatusError)


@pytest.mark.parametrize(
    "body",
    [
        {"success": True, "code": "x", "details": "y"},
        {"code": 5, "details": "y"},
        {"code": "x", "msg": "y"},
        {"success": None, "data": {"code": "Bad_Request"}},
        {"success": 0, "message": "zero is not false"},
        [{"success": False}],
    ],
)
def test_results_that_look_like_errors_are_results(body: dict[str, Any] | list[Any]) -> None:
    assert classify(200, body) is None


def test_an_envelope_is_recognised_without_a_json_content_type() -> None:
    for content_type in ("text/plain", None):
        error = classify(200, '\n  {"success": false, "code": "Bad_Request"}', content_type=content_type)
        assert type(error) is exc.QwenInvalidRequestError


# -- HTTP errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "message", "kept"),
    [
        (b"", JSON, "HTTP 409", None),
        (b"{}", JSON, "HTTP 409", {}),
        (b'{"code": "conflict"}', JSON, "HTTP 409: conflict", {"code": "conflict"}),
        (b'{"detail": "already exists"}', JSON, "HTTP 409: already exists", {"detail": "already exists"}),
        (b'{"code": "c", "msg": "m"}', JSON, "HTTP 409: m", {"code": "c", "msg": "m"}),
        (b"[1, 2]", "text/plain", "HTTP 409: [1, 2]", [1, 2]),
        (b'"upstream busy"', JSON, 'HTTP 409: "upstream busy"', "upstream busy"),
        (b'"upstream busy"', "text/plain", 'HTTP 409: "upstream busy"', '"upstream busy"'),
        (b"{oops", JSON, "HTTP 409: {oops", "{oops"),
        (b"  slow down \n", "text/plain", "HTTP 409: slow down", "  slow down \n"),
        (b"\xff\xfe busy", "text/plain", "HTTP 409: \ufffd\ufffd busy", "\ufffd\ufffd busy"),
        (
            b"<html><body><h1>Conflict</h1>\n<p>try   later</p></body></html>",
            "text/html",
            "HTTP 409: Conflict try later",
            "<html><body><h1>Conflict</h1>\n<p>try   later</p></body></html>",
        ),
        (b"<html><TITLE>\n Busy <b>now</b></TITLE></html>", None, "HTTP 409: Busy now", None),
    ],
)
def test_an_http_error_says_what_the_body_said(body: bytes, content_type: str | None, message: str, kept: Any) -> None:
    error = error_of(409, body, content_type=content_type)
    assert type(error) is exc.QwenAPIStatus4xxError and error.status_code == 409
    assert error.message == message
    if kept is not None or not body:
        assert error.body == kept


def test_plain_text_is_kept_as_sent_apart_from_its_ends() -> None:
    """Only HTML is summed up; a text answer keeps its own spacing (a table, an aligned hint)."""
    error = error_of(503, "  code   42\tretry later\n", content_type="text/plain")
    assert error.message == "HTTP 503: code   42\tretry later"


def test_an_http_error_names_the_request_and_keeps_the_headers() -> None:
    error = error_of(500, b"", x_request_id="r-9", retry_after="2")
    assert (error.method, error.url, error.request) == ("POST", URL, {"method": "POST", "url": URL})
    assert error.headers == {"x-request-id": "r-9", "retry-after": "2", "content-type": JSON}
    assert str(error) == f"HTTP 500 | status=500 | retry_after=2s | request=POST {URL} | request_id=r-9"


@pytest.mark.parametrize("body", [None, [{"success": False}], "error", 0])
def test_only_an_object_can_be_an_error_body(body: Any) -> None:
    assert is_error_body(body) is False


def test_long_bodies_are_cut_in_the_message_and_the_body() -> None:
    text = "x" * 2500
    error = error_of(500, text, content_type="text/plain")
    assert error.message == "HTTP 500: " + "x" * 200
    assert error.body == "x" * 2000
    page = error_of(502, f"<html><title>{'y' * 300}</title></html>", content_type="text/html")
    assert page.message == "HTTP 502: " + "y" * 200


@pytest.mark.parametrize("status", [400, 404, 500])
def test_html_at_an_error_status_is_an_http_error_not_a_block(status: int) -> None:
    error = error_of(status, "<html><title>punish captcha</title></html>", content_type="text/html")
    assert not isinstance(error, exc.QwenAntiBotError) and error.status_code == status


# -- HTML below 400 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "content", "content_type"),
    [
        (200, "<div>hello</div>", "text/html; charset=utf-8"),
        (200, "<!doctype html><p>hi</p>", "text/plain"),
        (200, "\n   <HTML><p>hi</p></HTML>", None),
        (302, "<html>_____tmd_____/punish?x5secdata=1</html>", "text/html"),
        (202, "<html>please drag the SLIDER</html>", "text/html"),
        (301, "<html>aliyun_waf</html>", "text/html"),
        (301, "<html>captcha</html>", "text/html"),
        (301, "<html>x5secdata</html>", "text/html"),
    ],
)
def test_an_html_page_below_400_is_a_firewall_block(status: int, content: str, content_type: str | None) -> None:
    error = error_of(status, content, content_type=content_type)
    assert type(error) is exc.QwenAntiBotError and error.code == "WAF_BLOCK" and error.status_code == 403


@pytest.mark.parametrize(
    ("status", "content", "content_type"),
    [
        (302, "<html><p>moved</p></html>", "text/html"),
        (200, "", "text/html"),
        (200, "<div>hello</div>", "text/plain"),
        (200, "plain words", "text/plain"),
        (399, "", None),
    ],
)
def test_other_answers_below_400_are_results(status: int, content: str, content_type: str | None) -> None:
    assert classify(status, content, content_type=content_type) is None


def test_the_firewall_block_in_full() -> None:
    page = "<html><head><title>Access <b>denied</b></title></head><body>" + "z" * 3000 + "</body></html>"
    error = error_of(200, page, content_type="text/html", x_request_id="w-2")
    assert error.message == (
        "blocked by the service's web application firewall (HTML challenge page: 'Access denied'); "
        "open chat.qwen.ai in a browser and refresh the cookie"
    )
    assert error.body == page[:2000]
    assert error.request_id == "w-2" and error.method == "POST" and error.url == URL
    assert error.headers["x-request-id"] == "w-2"


def test_a_firewall_page_without_a_title_is_summed_up_by_its_text() -> None:
    error = error_of(200, "<html><body><p>Please</p>\n<p>verify</p></body></html>", content_type="text/html")
    assert "(HTML challenge page: 'Please verify')" in error.message


# -- Errors inside a stream -------------------------------------------------------------------------


def test_the_recorded_stream_error_string() -> None:
    raw = (FIXTURES / "error_in_stream_internal_error_string.sse").read_text().strip()
    event = json.loads(raw.removeprefix("data:"))
    error = stream_error(event)
    assert type(error) is exc.QwenAPIStatus5xxError
    assert (error.message, error.status_code, error.code, error.body) == ("Internal error!", 500, None, event)
    assert (error.method, error.url, error.request_id) == ("POST", URL, None)


@pytest.mark.parametrize(
    ("error", "cls", "status", "code", "message"),
    [
        ({"code": "Bad_Request", "details": "bad"}, exc.QwenInvalidRequestError, 400, "Bad_Request", "bad"),
        ({"code": "token_expired"}, exc.QwenAuthenticationError, 401, "token_expired", "token_expired"),
        ({"code": "data_inspection_failed"}, exc.QwenContentFilterError, 400, "data_inspection_failed", None),
        ({"code": "Weird", "details": "w"}, exc.QwenAPIStatus5xxError, 500, "Weird", "w"),
        ({"code": 7, "details": "n"}, exc.QwenAPIStatus5xxError, 500, None, "n"),
        ({"code": "", "details": "e"}, exc.QwenAPIStatus5xxError, 500, "", "e"),
        ({"details": ["x"]}, exc.QwenAPIStatus5xxError, 500, None, None),
        ("", exc.QwenAPIStatus5xxError, 500, None, None),
        (None, exc.QwenAPIStatus5xxError, 500, None, None),
        (["a"], exc.QwenAPIStatus5xxError, 500, None, None),
    ],
)
def test_stream_errors_of_every_shape(
    error: Any, cls: type[exc.QwenAPIError], status: int, code: Any, message: Any
) -> None:
    mapped = stream_error({"error": error, "response_id": 5})
    assert type(mapped) is cls and mapped.status_code == status and mapped.code == code
    assert mapped.message == (message or code or "the service reported an error inside the stream")
    assert mapped.request_id is None and mapped.retry_after is None


# -- Errors the SDK raises itself --------------------------------------------------------------------


def test_internal_error_keeps_what_it_was_given() -> None:
    error = internal_error("could not parse", body={"a": 1}, method="GET", url=URL)
    assert type(error) is exc.QwenInternalError
    assert (error.message, error.body, error.method, error.url) == ("could not parse", {"a": 1}, "GET", URL)
    bare = internal_error("x")
    assert (bare.body, bare.method, bare.url, bare.status_code) == (None, None, None, None)
