"""Map everything the service can answer instead of a result onto the exception hierarchy.

Failures reach us in four forms -- an HTTP status, an HTTP-200 ``{"success": false}`` envelope
(real status in ``x-actual-status-code``), an anti-bot block (JSON ``ret`` or an HTML WAF page),
and an ``error`` event inside a stream -- and all four go through :func:`classify_error_body` or
:func:`error_from_stream_event`, so a given problem raises the same class whichever way it came.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from ._exceptions import (
    QwenAntiBotError,
    QwenAPIError,
    QwenAPIStatus4xxError,
    QwenAPIStatus5xxError,
    QwenAPIStatusError,
    QwenAuthenticationError,
    QwenContentFilterError,
    QwenInternalError,
    QwenInvalidRequestError,
    QwenNotFoundError,
    QwenPermissionError,
    RateLimitError,
)

_RATE_CODES = {"ratelimited", "too_many_requests", "parallellimited", "quotalimited"}
_AUTH_CODES = {"unauthorized", "token_expired", "tokenexpired", "invalid_token", "forbidden"}
_NOT_FOUND_CODES = {"not_found", "chat_not_found", "notfound"}
_FILTER_CODES = {"data_inspection_failed"}
_INVALID_CODES = {"bad_request", "invalid_input", "requestvalidationerror", "invalid_request"}
_SERVER_CODES = {"internal_error", "internalerror", "server_error"}

_CODE_STATUS = {
    **dict.fromkeys(_RATE_CODES, 429),
    **dict.fromkeys(_AUTH_CODES, 401),
    **dict.fromkeys(_NOT_FOUND_CODES, 404),
    **dict.fromkeys(_FILTER_CODES, 400),
    **dict.fromkeys(_INVALID_CODES, 400),
    **dict.fromkeys(_SERVER_CODES, 500),
}

_HTML_WAF_MARKERS = ("aliyun_waf", "_____tmd_____", "x5secdata", "punish", "captcha", "slider")
_TAG = re.compile(r"<[^>]+>")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _norm(code: str) -> str:
    return code.strip().lower().replace(" ", "_")


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """``retry-after-ms``, then ``Retry-After`` as seconds or an HTTP date; nonsense gives None."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_ms = lowered.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value = float(raw_ms) / 1000
        except ValueError:
            value = -1  # pragma: no mutate (any negative value marks the header unusable: -2 is -1)
        if 0 <= value < float("inf"):  # pragma: no mutate (float() ignores case: "INF" is "inf")
            return value
    raw = lowered.get("retry-after")
    if raw is None:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        parsed = email.utils.parsedate_tz(raw)
        if parsed is None:
            return None
        try:
            seconds = email.utils.mktime_tz(parsed) - time.time()
        except (ValueError, OverflowError):  # a date outside what the platform can represent
            return None
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # pragma: no mutate (float() ignores case)
        return None
    return max(seconds, 0.0)


def _actual_status(headers: Mapping[str, str]) -> int | None:
    for name, value in headers.items():
        if name.lower() == "x-actual-status-code":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _request_id(headers: Mapping[str, str], body: Any) -> str | None:
    if isinstance(body, dict):
        value = body.get("request_id")
        if isinstance(value, str):
            return value
    for name, value in headers.items():
        if name.lower() == "x-request-id":
            return value
    return None


def _class_for(status: int, code: str | None) -> type[QwenAPIError]:
    normalised = _norm(code) if code else ""  # pragma: no mutate (no code: a changed "" is in no code set either)
    if normalised in _RATE_CODES or status == 429:
        return RateLimitError
    if normalised in _FILTER_CODES:
        return QwenContentFilterError
    if normalised in _NOT_FOUND_CODES or status == 404:
        return QwenNotFoundError
    if normalised in _AUTH_CODES or status == 401:
        return QwenAuthenticationError
    if status == 403:
        return QwenPermissionError
    if normalised in _INVALID_CODES or status in (400, 422):
        return QwenInvalidRequestError
    if normalised in _SERVER_CODES or 500 <= status < 600:  # 600 and up are no HTTP status: not "retry later"
        return QwenAPIStatus5xxError
    if 400 <= status < 500:  # pragma: no mutate (400 and 500 returned above; below 400 never reaches here)
        return QwenAPIStatus4xxError
    return QwenAPIStatusError


def _envelope_fields(body: Mapping[str, Any]) -> tuple[str | None, str | None, int | None]:
    """(code, details, num) from any of the envelope shapes the service uses."""
    data = body.get("data")
    code = details = None
    num: int | None = None
    if isinstance(data, Mapping):
        code = data.get("code") if isinstance(data.get("code"), str) else None
        details = data.get("details") if isinstance(data.get("details"), str) else None
        raw_num = data.get("num")
        num = raw_num if isinstance(raw_num, int) and not isinstance(raw_num, bool) else None
    if code is None and isinstance(body.get("code"), str):
        code = body["code"]
    if details is None:
        for key in ("details", "message", "msg", "detail"):
            if isinstance(body.get(key), str):
                details = body[key]
                break
    if code is None and details and "token" in details.lower() and "expire" in details.lower():
        code = "Token_Expired"
    return code, details, num


def is_error_body(body: Any) -> bool:
    """True for an error envelope, a bare ``{code, details}`` error, or a WAF block."""
    if not isinstance(body, Mapping):
        return False
    if body.get("success") is False:
        return True
    ret = body.get("ret")
    if isinstance(ret, list) and any(isinstance(r, str) and r.startswith(("FAIL_", "RGV587")) for r in ret):
        return True
    return "success" not in body and isinstance(body.get("code"), str) and ("details" in body or "message" in body)


def _summary_of_html(text: str) -> str:
    title = _TITLE.search(text)
    summary = _TAG.sub(" ", title.group(1)) if title else _TAG.sub(" ", text)
    return " ".join(summary.split())[:200]


def classify_error_body(
    *,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    method: str | None,
    url: str | None,
) -> QwenAPIError | None:
    """The error an answer stands for, or None when it is a normal result."""
    return classify_answer(status=status, headers=headers, content=content, method=method, url=url)[0]


NOT_JSON: Any = object()
""":func:`classify_answer`'s body when the answer was not parsed as JSON (empty, HTML, not JSON)."""


def classify_answer(
    *,
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    method: str | None,
    url: str | None,
) -> tuple[QwenAPIError | None, Any]:
    """The error an answer stands for (None for a normal result) and its JSON body (:data:`NOT_JSON`
    when it was not parsed as JSON), so that a JSON call parses its answer once."""
    content_type = ""  # pragma: no mutate (no header: a changed "" holds neither "json" nor "html")
    for name, value in headers.items():
        if name.lower() == "content-type":
            content_type = value.lower()
    text: str | None = None
    body: Any = NOT_JSON
    if content:
        try:
            text = content.decode("utf-8")  # pragma: no mutate (codec names ignore case: "UTF-8" is "utf-8")
        except UnicodeDecodeError:
            text = content.decode("utf-8", "replace")  # pragma: no mutate (codec names ignore case)
        if "json" in content_type or text.lstrip().startswith(("{", "[")):
            try:
                body = json.loads(text)
            except ValueError:
                body = NOT_JSON
    enveloped_error = isinstance(body, Mapping) and is_error_body(body)
    if status < 400 and not enveloped_error and not _looks_like_html(text, content_type):
        return None, body  # the usual answer: nothing more to look at
    parsed = None if body is NOT_JSON else body
    return _error_for(status, headers, text, parsed, enveloped_error, method, url), body


def _looks_like_html(text: str | None, content_type: str) -> bool:
    return text is not None and (
        "html" in content_type
        or text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))  # pragma: no mutate ([:16] holds them too)
    )


def _error_for(
    status: int,
    headers: Mapping[str, str],
    text: str | None,
    body: Any,
    enveloped_error: bool,
    method: str | None,
    url: str | None,
) -> QwenAPIError | None:
    actual = _actual_status(headers)
    common: dict[str, Any] = {"headers": dict(headers), "method": method, "url": url}

    if enveloped_error:
        ret = body.get("ret")
        request_id = _request_id(headers, body)
        if isinstance(ret, list):
            markers = ", ".join(str(r) for r in ret)
            return QwenAntiBotError(
                f"blocked by the service's anti-bot check ({markers}); open chat.qwen.ai in a browser, pass the "
                "check, and pass its bx-ua/bx-umidtoken headers and cookie to the client",
                status_code=actual if actual and actual >= 400 else 403,
                code="FAIL_SYS_USER_VALIDATE",
                body=body,
                request_id=request_id,
                **common,
            )
        code, details, num = _envelope_fields(body)
        effective = actual if actual and actual >= 400 else (status if status >= 400 else None)
        if effective is None:
            effective = _CODE_STATUS.get(_norm(code) if code else "", 400)  # pragma: no mutate ("" changed: no code)
        cls = _class_for(effective, code)
        retry_after = parse_retry_after(headers)
        if cls is RateLimitError and num is not None:
            retry_after = float(num) * 3600
        if cls is QwenAuthenticationError and code and _norm(code) in ("token_expired", "tokenexpired"):
            details = details or "Token expired"
        message = details or code or "the service reported an error"
        return cls(
            message,
            status_code=effective,
            code=code,
            body=body,
            request_id=request_id,
            retry_after=retry_after,
            **common,
        )

    if status < 400:  # not an envelope: an HTML page, the only other answer classify_answer sends here
        page = text or ""  # pragma: no mutate (an HTML page has text: only a non-empty body gets here)
        if any(marker in page.lower() for marker in _HTML_WAF_MARKERS) or status == 200:
            return QwenAntiBotError(
                "blocked by the service's web application firewall (HTML challenge page: "
                f"{_summary_of_html(page)!r}); open chat.qwen.ai in a browser and refresh the cookie",
                status_code=actual if actual and actual >= 400 else 403,
                code="WAF_BLOCK",
                body=page[:2000],
                request_id=_request_id(headers, None),
                **common,
            )
        return None

    code = None
    message = f"HTTP {status}"
    if isinstance(body, Mapping):
        code, details, _ = _envelope_fields(body)
        if details or code:
            message = f"HTTP {status}: {details or code}"
    elif text:
        message = f"HTTP {status}: {_summary_of_html(text) if '<' in text else text.strip()[:200]}"
    cls = _class_for(status, code)
    return cls(
        message,
        status_code=status,
        code=code,
        body=body if body is not None else (text[:2000] if text else None),
        request_id=_request_id(headers, body),
        retry_after=parse_retry_after(headers),
        **common,
    )


def error_from_stream_event(event: Mapping[str, Any], *, method: str | None, url: str | None) -> QwenAPIError:
    """An ``{"error": ...}`` event inside a stream."""
    error = event.get("error")
    code: str | None = None
    details: str | None = None  # pragma: no mutate (no text: "" falls through to the code like None)
    if isinstance(error, Mapping):
        code = error.get("code") if isinstance(error.get("code"), str) else None
        details = error.get("details") if isinstance(error.get("details"), str) else None
    elif isinstance(error, str):
        details = error
    status = _CODE_STATUS.get(_norm(code), 500) if code else 500
    cls = _class_for(status, code)
    request_id = event.get("response_id") if isinstance(event.get("response_id"), str) else None
    return cls(
        details or code or "the service reported an error inside the stream",
        status_code=status,
        code=code,
        body=dict(event),
        method=method,
        url=url,
        request_id=request_id,
    )


def internal_error(
    message: str, *, body: Any = None, method: str | None = None, url: str | None = None
) -> QwenInternalError:
    return QwenInternalError(message, body=body, method=method, url=url)
