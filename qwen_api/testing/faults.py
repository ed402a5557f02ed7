"""Fault injection: what can go wrong on the wire, how a test asks for it, and the canned bodies.

A test selects a fault per request with the header ``x-qwen-mock-fault`` (so an SDK user can set it
through ``default_headers``) or per server with a :class:`FaultRule`. Everything here is pure (no
Starlette): parsing, the attempt bookkeeping that makes ``times=N`` retry tests possible, and the
exact bytes of each HTTP-level failure. The app turns a :class:`CannedReply` into a response and
plays the mid-stream faults inside the event stream.

Header grammar: ``<name>[; times=N][; after=N][; seconds=S][; retry_after=S][; id=XYZ][; key=value]``.

* ``times=N``: only the first N requests carrying that exact header value get the fault; later ones
  are served normally (this is how retries are tested).
* ``after=N``: events sent before a mid-stream fault (default 1, i.e. right after
  ``response.created``; ``stream_error_string`` defaults to 0, like its recording).
* ``seconds=S``: stall duration (default 3600: the client's timeout must end it).
* ``retry_after=S``: the ``Retry-After`` of ``http_429`` (default 1) and, when given, of ``http_5xx``;
  fractions are sent as written (``0.2``), whole numbers as integers.
* ``id=XYZ``: free text that makes two otherwise equal headers count separately.
* Other ``key=value`` pairs tune bodies: ``details=`` (envelope text), ``num=`` (RateLimited hours),
  ``status=`` (``waf_html`` status, 200-599 but not 204, 205 or 304; default 200).
"""

from __future__ import annotations

import fnmatch
import json
import secrets
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

import attrs

__all__ = [
    "FAULTS",
    "FAULT_HEADER",
    "MID_STREAM_FAULTS",
    "CannedReply",
    "FaultRule",
    "FaultSpec",
    "canned_reply",
    "chat_not_found_body",
    "envelope_body",
    "parse_fault_header",
    "select_fault",
]

FAULT_HEADER = "x-qwen-mock-fault"

FAULTS: tuple[str, ...] = (
    "http_429",
    "envelope_rate_limited",
    "envelope_bad_request",
    "envelope_unauthorized",
    "envelope_token_expired",
    "envelope_internal_error",
    "envelope_chat_not_found",
    "waf_json",
    "waf_html",
    "http_500",
    "http_502",
    "http_503",
    "drop_before_headers",
    "drop_after_events",
    "stall_before_headers",
    "stall_between_events",
    "malformed_event",
    "stream_error",
    "stream_error_string",
    "invalid_utf8",
)

#: Faults played inside an event stream; on a JSON endpoint each behaves like its before-headers twin.
MID_STREAM_FAULTS = frozenset(
    {
        "drop_after_events",
        "stall_between_events",
        "malformed_event",
        "stream_error",
        "stream_error_string",
        "invalid_utf8",
    }
)

DEFAULT_STALL_SECONDS = 3600.0
_INT_PARAMS = ("times", "after")
_FLOAT_PARAMS = ("seconds", "retry_after")
_TEXT_PARAMS = ("details", "num", "status")
_BODYLESS_STATUSES = ("204", "205", "304")
_KNOWN_PARAMS = (*_INT_PARAMS, *_FLOAT_PARAMS, "id", *_TEXT_PARAMS)
_MAX_COUNT = 1_000_000
_MAX_SECONDS = 86_400.0


@attrs.frozen
class FaultSpec:
    """One requested fault with its parameters (already validated)."""

    name: str
    times: int | None = None
    after: int | None = None
    seconds: float = DEFAULT_STALL_SECONDS
    retry_after: float | None = None
    id: str | None = None
    params: Mapping[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.name not in FAULTS:
            raise ValueError(f"unknown fault {self.name!r}; known faults: {', '.join(FAULTS)}")
        for label, value in (("times", self.times), ("after", self.after)):
            if value is not None and value < 0:
                raise ValueError(f"{label} must be >= 0, got {value}")
            if value is not None and value > _MAX_COUNT:
                raise ValueError(f"{label} must be <= {_MAX_COUNT}, got {value}")
        for label, number in (("seconds", self.seconds), ("retry_after", self.retry_after)):
            if number is not None and not (0 <= number <= _MAX_SECONDS):  # also refuses nan
                raise ValueError(f"{label} must be between 0 and {_MAX_SECONDS:g}, got {number}")
        if self.id is not None and not self.id:
            raise ValueError("id must not be empty")
        unknown = set(self.params) - set(_TEXT_PARAMS)
        if unknown:
            raise ValueError(f"unknown parameter {sorted(unknown)[0]!r}; known: {', '.join(_KNOWN_PARAMS)}")
        for label, low, high in (("num", 0, _MAX_COUNT), ("status", 200, 599)):
            raw = self.params.get(label)
            if raw is not None and not (raw.isdigit() and low <= int(raw) <= high):
                raise ValueError(f"{label} must be an integer between {low} and {high}, got {raw[:40]!r}")
        if self.params.get("status") in _BODYLESS_STATUSES:  # the fault's page could not be sent
            raise ValueError(f"status {self.params['status']} cannot carry a body; use another status")

    @property
    def events_before(self) -> int:
        """How many events a mid-stream fault lets through first."""
        if self.after is not None:
            return self.after
        return 0 if self.name == "stream_error_string" else 1

    @property
    def is_mid_stream(self) -> bool:
        return self.name in MID_STREAM_FAULTS

    @classmethod
    def build(cls, name: str, *, times: int | None = None, **params: object) -> FaultSpec:
        """Build from Python keyword arguments (``RunningServer.add_fault``), same names as the header."""
        fields: dict[str, Any] = {"times": times}
        extra: dict[str, str] = {}
        for key, value in params.items():
            if key in _INT_PARAMS:
                fields[key] = None if value is None else int(str(value))
            elif key in _FLOAT_PARAMS:
                fields[key] = float(str(value))
            elif key == "id":
                fields["id"] = None if value is None else str(value)
            else:
                extra[key] = str(value)
        return cls(name, params=extra, **fields)


def parse_fault_header(value: str) -> FaultSpec:
    """Parse ``x-qwen-mock-fault``; raises ValueError with a readable message on any mistake."""
    name, *pairs = (part.strip() for part in value.split(";"))
    params: dict[str, object] = {}
    for pair in pairs:
        if not pair:
            continue
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"expected key=value in {FAULT_HEADER}, got {pair!r}")
        params[key] = raw.strip()
    try:
        times = params.pop("times", None)
        return FaultSpec.build(name, times=None if times is None else int(str(times)), **params)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"bad {FAULT_HEADER} {value[:200]!r}: {exc}") from None


@attrs.frozen
class FaultRule:
    """A server-level fault: applies to every request matching ``path`` until ``spec.times`` is used up.

    ``path`` is an :mod:`fnmatch` pattern over the request path (an exact path matches itself). Without
    it the rule covers every chat endpoint (``/api/...``) but never the OSS storage endpoints, which a
    rule reaches only through an explicit ``path``.
    """

    spec: FaultSpec
    path: str | None = None
    key: str = attrs.field(factory=lambda: "rule-" + secrets.token_hex(4))

    def matches(self, path: str, *, chat_endpoint: bool) -> bool:
        """Whether this rule applies to a request for ``path``."""
        if self.path is None:
            return chat_endpoint
        return fnmatch.fnmatchcase(path, self.path)


def select_fault(
    *,
    header: str | None,
    path: str,
    chat_endpoint: bool,
    rules: Iterable[FaultRule],
    attempts: MutableMapping[str, int],
) -> FaultSpec | None:
    """Decide which fault (if any) this request gets, counting the attempt.

    A fault header (chat endpoints only) decides alone: once its ``times`` are used up the request is
    served normally. Otherwise the first matching server rule that still has attempts left applies.
    Raises ValueError for a malformed header.
    """
    if header is not None and header.strip() and chat_endpoint:
        spec = parse_fault_header(header)
        key = header.strip()
        attempts[key] = attempts.get(key, 0) + 1
        return spec if spec.times is None or attempts[key] <= spec.times else None
    for rule in rules:
        if not rule.matches(path, chat_endpoint=chat_endpoint):
            continue
        attempts[rule.key] = attempts.get(rule.key, 0) + 1
        if rule.spec.times is None or attempts[rule.key] <= rule.spec.times:
            return rule.spec
    return None


@attrs.frozen
class CannedReply:
    """A complete HTTP answer, built without Starlette so it can be unit-tested as bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def _compact(payload: object) -> bytes:
    # The service's JSON answers are compact (the captured Content-Length matches this form).
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def envelope_body(code: str, details: str, *, request_id: str | None, **extra: object) -> dict[str, Any]:
    """``{"success": false, "request_id", "data": {"code", "details", ...}}``: the AC/RF error form."""
    data: dict[str, Any] = {"code": code, "details": details, **extra}
    body: dict[str, Any] = {"success": False}
    if request_id is not None:
        body["request_id"] = request_id
    body["data"] = data
    return body


def _json_reply(
    status: int, payload: object, *, actual: int | None, content_type: str = "application/json"
) -> CannedReply:
    headers = [("content-type", content_type)]
    if actual is not None:
        headers.append(("x-actual-status-code", str(actual)))
    return CannedReply(status, tuple(headers), _compact(payload))


_RATE_LIMIT_TEXT = "You've reached the upper limit for today's usage. Please try again tomorrow."
_HTTP_TITLES = {500: "500 Internal Server Error", 502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable"}


def _seconds_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _punish_url(path: str) -> str:
    # The double slash after :443 is in the recorded body (error_waf_rgv587_2026-08-01.json).
    token = "T2gA" + secrets.token_urlsafe(24)
    return (
        f"https://chat.qwen.ai:443/{path}/_____tmd_____/punish?x5secdata={token}__bx__chat.qwen.ai:443{path}"
        "&x5step=2&action=captcha&pureCaptcha="
    )


def _waf_html(path: str) -> bytes:
    url = _punish_url(path)
    page = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>Access Verification</title>\n'
        f'<script>window._config_ = {{"action": "captcha", "url": {json.dumps(url)}}};</script>\n'
        '<script src="//g.alicdn.com/AWSC/AWSC/awsc.js"></script>\n</head>\n<body>\n'
        '<div id="aliyun_waf_aa" class="aliyun_waf nc-container">'
        "Sorry, we have detected unusual traffic from your network. Please slide to verify.</div>\n"
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _http_error_page(status: int) -> bytes:
    title = _HTTP_TITLES[status]
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
        "<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"
    ).encode("ascii")


def chat_not_found_body(request_id: str) -> dict[str, Any]:
    """The service's answer to a made-up chat id (``CHAT_NOT_FOUND``, wire-api.md section 3.2), with the code
    top-level (a documented service shape) so that every spec envelope accepts it (see app docs)."""
    return {"success": False, "request_id": request_id, "code": "CHAT_NOT_FOUND", "details": "Chat not found"}


def canned_reply(spec: FaultSpec, *, request_id: str, path: str) -> CannedReply | None:
    """The complete answer of a fault that happens before (or instead of) the response headers.

    Mid-stream faults get their JSON-endpoint twin here. Returns None for the faults that are not a
    body at all (drops and stalls), which the app plays on the connection itself.
    """
    name = spec.name
    details = spec.params.get("details")
    if name == "http_429":
        body = envelope_body(
            "Too_Many_Requests", details or "Too many requests, please retry later.", request_id=request_id
        )
        reply = _json_reply(429, body, actual=None)
        retry_after = 1.0 if spec.retry_after is None else spec.retry_after
        return attrs.evolve(reply, headers=(*reply.headers, ("retry-after", _seconds_text(retry_after))))
    if name == "envelope_rate_limited":
        text = details or _RATE_LIMIT_TEXT
        num = int(spec.params.get("num", "12"))
        return _json_reply(
            200, envelope_body("RateLimited", text, request_id=request_id, template=text, num=num), actual=429
        )
    if name == "envelope_bad_request":
        return _json_reply(
            200, envelope_body("Bad_Request", details or "Bad Request", request_id=request_id), actual=400
        )
    if name == "envelope_unauthorized":
        # Exactly error_unauthorized_missing_bearer.json: top-level code, no request_id.
        return _json_reply(200, {"success": False, "code": "Unauthorized"}, actual=401)
    if name == "envelope_token_expired":
        return _json_reply(200, {"success": False, "message": "Token expired"}, actual=401)
    if name == "envelope_internal_error":
        return _json_reply(
            200, envelope_body("internal_error", details or "Internal error", request_id=request_id), actual=500
        )
    if name == "envelope_chat_not_found":
        return _json_reply(200, chat_not_found_body(request_id), actual=404)
    if name == "waf_json":
        body = {
            "ret": ["FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM::哎哟喂,被挤爆啦,请稍后重试"],
            "data": {"url": _punish_url(path)},
        }
        return _json_reply(200, body, actual=None, content_type="application/json;charset=utf-8")
    if name == "waf_html":
        status = int(spec.params.get("status", "200"))
        return CannedReply(status, (("content-type", "text/html; charset=utf-8"),), _waf_html(path))
    if name in ("http_500", "http_502", "http_503"):
        status = int(name[5:])
        headers: list[tuple[str, str]] = [("content-type", "text/html")]
        if spec.retry_after is not None:
            headers.append(("retry-after", _seconds_text(spec.retry_after)))
        return CannedReply(status, tuple(headers), _http_error_page(status))
    # JSON-endpoint twins of the mid-stream faults.
    if name == "malformed_event":
        return CannedReply(
            200, (("content-type", "application/json"), ("x-actual-status-code", "200")), b'{"success":true,"data":{"'
        )
    if name == "invalid_utf8":
        body_bytes = b'{"success":true,"request_id":"' + request_id.encode() + b'","data":"\xff\xfe\xfd"}'
        return CannedReply(200, (("content-type", "application/json"), ("x-actual-status-code", "200")), body_bytes)
    if name == "stream_error":
        text = details or "Input data may contain inappropriate content!"
        return _json_reply(200, envelope_body("data_inspection_failed", text, request_id=request_id), actual=400)
    if name == "stream_error_string":
        return _json_reply(200, envelope_body("internal_error", "Internal error!", request_id=request_id), actual=500)
    return None
