"""Check one exchange against the spec, and say what a failed answer most likely means.

:func:`validate_exchange` is pure: ``(spec, exchange) -> [Finding]``. Error answers the service
sends with HTTP 200 (``{"success": false, ...}``, the anti-bot ``{"ret": [...]}`` block, an HTML
WAF page, an ``error`` stream event) are checked against the spec's error schemas rather than the
operation's success schema, and :func:`diagnose` turns them into a :class:`Problem` with its likely
cause and what to do; they are not drift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from ._compare import Diff, Presence, compare, compare_best, merge_presence
from ._exchange import Exchange, sse_events, sse_other_fields
from ._findings import Finding, merge_findings
from ._spec import Operation, Spec

__all__ = ["CAUSES", "Problem", "diagnose", "is_qwen_exchange", "validate_exchange"]

#: Likely causes of a failed answer, and what the user should do about each.
CAUSES: dict[str, str] = {
    "expired_token": "the access token has expired: sign in at https://chat.qwen.ai again and run "
    "`qwen auth import-har` with a fresh HAR export (or set QWEN_REFRESH_TOKEN so the SDK renews it)",
    "unauthorized": "the service refused the credentials: check QWEN_AUTH_TOKEN and QWEN_COOKIE "
    "(`qwen auth status`), or import them again with `qwen auth import-har`",
    "anti_bot_block": "the service's anti-bot check (WAF/captcha) blocked the request: open https://chat.qwen.ai "
    "in the browser, solve the check, then re-import the session (bx-ua, bx-umidtoken, cookies) with "
    "`qwen auth import-har`; do not retry in a tight loop",
    "rate_limited": "the account's quota or rate limit was reached: wait (see the retry time) or use another account",
    "protocol_drift": "the service's wire protocol differs from the spec this SDK was built on: update the SDK "
    "(pip install -U qwen-api); if that does not help, report the findings (`qwen doctor --json`) to the project",
    "service_error": "the service failed (a 5xx or an internal error): try again later",
    "content_filtered": "the service's content filter refused the prompt or the answer: rephrase it",
    "request_rejected": "the service rejected the request: if it persists with a current SDK, the protocol has "
    "probably changed (report it with `qwen doctor --json`)",
    "network": "the service could not be reached: check the network, a proxy, or --base-url / QWEN_BASE_URL",
    "sdk_error": "the SDK could not handle an answer (probably a protocol change the findings show): report it "
    "with the output of `qwen doctor --json`",
}


@attrs.frozen
class Problem:
    """A failed answer: its likely cause (a key of :data:`CAUSES`) and a short, secret-free detail."""

    cause: str
    exchange: str
    detail: str

    @property
    def advice(self) -> str:
        return CAUSES.get(self.cause, "")

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON (``qwen doctor --json``)."""
        return {"cause": self.cause, "exchange": self.exchange, "detail": self.detail, "advice": self.advice}


def is_qwen_exchange(spec: Spec, exchange: Exchange, hosts: frozenset[str] | None = None) -> bool:
    """An API call to one of the spec's hosts (or ``hosts``) that the spec means to describe; pages,
    assets, other sites and the spec's ``x-undescribed-paths`` are not."""
    allowed = hosts if hosts is not None else spec.hosts
    return (
        exchange.host in allowed
        and exchange.path.startswith("/api/")
        and exchange.method != "OPTIONS"
        and not spec.is_undescribed(exchange.path)
    )


def _parse_json(text: str | None) -> tuple[bool, Any]:
    if text is None or not text.strip():
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        return False, None


def _is_waf(body: Any) -> bool:
    return isinstance(body, Mapping) and isinstance(body.get("ret"), list)


def _is_error(body: Any) -> bool:
    if not isinstance(body, Mapping):
        return False
    return body.get("success") is False or ("success" not in body and "code" in body and "data" not in body)


def _is_waf_html(exchange: Exchange) -> bool:
    text = (exchange.response_body or "")[:20000].lower()
    return exchange.content_type == "text/html" and any(
        marker in text for marker in ("aliyun_waf", "_____tmd_____", "punish", "x5secdata", "captcha")
    )


def _finding(
    exchange: Exchange, operation: Operation | None, location: str, diff: Diff, event: int | None = None
) -> Finding:
    return Finding(
        kind=diff.kind,
        exchange=exchange.label,
        location=location,
        path=diff.path,
        message=diff.message,
        operation=operation.operation_id if operation else None,
        schema=diff.schema,
        first_event=event,
    )


def _media(content: Any, media_type: str) -> Mapping[str, Any] | None:
    if not isinstance(content, Mapping):
        return None
    for key, value in content.items():
        if str(key).split(";", 1)[0].strip().lower() == media_type and isinstance(value, Mapping):
            return value
    return None


def _response(spec: Spec, operation: Operation, status: int) -> Mapping[str, Any] | None:
    responses = operation.document.get("responses", {})
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            resolved = spec.resolve(responses[key])
            return resolved if isinstance(resolved, Mapping) else None
    return None


def validate_exchange(spec: Spec, exchange: Exchange, *, check_request: bool = True) -> list[Finding]:
    """Every drift between ``exchange`` and the spec (request side too unless ``check_request`` is off)."""
    operation, path_known = spec.match(exchange.method, exchange.path)
    if operation is None:
        what = f"method {exchange.method} of a known path" if path_known else "path"
        return [
            Finding(
                kind="new_endpoint",
                exchange=exchange.label,
                location="endpoint",
                path=exchange.path,
                message=f"{exchange.method} {exchange.path}: the spec does not describe this {what}",
            )
        ]
    findings: list[Finding] = []
    if check_request:
        findings.extend(_check_request(spec, operation, exchange))
    if exchange.status is not None:
        findings.extend(_check_response(spec, operation, exchange))
    return merge_findings(findings)


def _parameters(operation: Operation, where: str) -> set[str]:
    return {str(p.get("name", "")).lower() for p in operation.parameters if p.get("in") == where}


def _check_request(spec: Spec, operation: Operation, exchange: Exchange) -> list[Finding]:
    findings = []
    known_headers = spec.request_headers | _parameters(operation, "header")
    for name, _ in exchange.request_headers:
        lower = name.lower()
        if not lower.startswith(":") and lower not in known_headers:
            diff = Diff("new_header", lower, f"new request header {lower}")
            findings.append(_finding(exchange, operation, "request.headers", diff))
    known_query = _parameters(operation, "query")
    for name, _ in exchange.query:
        if name.lower() not in known_query:
            diff = Diff("new_query_parameter", name, f"new query parameter {name}")
            findings.append(_finding(exchange, operation, "request.query", diff))
    body = operation.document.get("requestBody")
    media = _media(spec.resolve(body).get("content") if isinstance(body, Mapping) else None, "application/json")
    if media is not None and exchange.request_body and exchange.request_body.strip():
        ok, value = _parse_json(exchange.request_body)
        if not ok:
            diff = Diff("unreadable_body", "", "the request body is not JSON")
            findings.append(_finding(exchange, operation, "request.body", diff))
        else:
            for diff in compare(spec, value, media.get("schema")):
                findings.append(_finding(exchange, operation, "request.body", diff))
    return findings


def _check_response(spec: Spec, operation: Operation, exchange: Exchange) -> list[Finding]:
    assert exchange.status is not None
    response = _response(spec, operation, exchange.status)
    if response is None:
        diff = Diff("unknown_status", str(exchange.status), f"HTTP {exchange.status} is not a listed answer")
        return [_finding(exchange, operation, "response.status", diff)]
    findings = []
    known_headers = spec.response_headers | {str(h).lower() for h in response.get("headers", {})}
    for name, _ in exchange.response_headers:
        lower = name.lower()
        if not lower.startswith(":") and lower not in known_headers:
            diff = Diff("new_header", lower, f"new response header {lower}")
            findings.append(_finding(exchange, operation, "response.headers", diff))
    findings.extend(_check_body(spec, operation, exchange, response.get("content")))
    return findings


def _check_body(spec: Spec, operation: Operation, exchange: Exchange, content: Any) -> list[Finding]:
    text = exchange.response_body
    if text is None or not text.strip():
        return []
    media_type = exchange.content_type
    if media_type == "text/event-stream":
        stream = _media(content, "text/event-stream")
        if stream is None:
            diff = Diff("unexpected_content_type", "", "an event stream where the spec lists none")
            return [_finding(exchange, operation, "response.body", diff)]
        return _check_events(spec, operation, exchange, stream.get("schema"))
    if media_type == "text/html" and _is_waf_html(exchange):
        return []  # an anti-bot page: a problem (see diagnose), not drift
    ok, value = _parse_json(text)
    if not ok:
        if media_type.endswith("json"):
            diff = Diff("unreadable_body", "", f"the {media_type} body is not JSON")
            return [_finding(exchange, operation, "response.body", diff)]
        if _media(content, media_type) is None:
            diff = Diff("unexpected_content_type", "", f"a {media_type or 'untyped'} body where the spec lists none")
            return [_finding(exchange, operation, "response.body", diff)]
        return []
    if _is_waf(value):
        schema: Any = spec.schema("WafBlock")
    elif _is_error(value):
        schema = spec.schema("ErrorEnvelope")
    else:
        media = _media(content, "application/json")
        if media is None:
            diff = Diff("unexpected_content_type", "", "a JSON body where the spec lists none")
            return [_finding(exchange, operation, "response.body", diff)]
        schema = media.get("schema")
    presence = Presence()
    diffs = [*compare(spec, value, schema, presence=presence), *_vanished(presence, "the answer")]
    return [_finding(exchange, operation, "response.body", diff) for diff in diffs]


def _vanished(presence: Presence, where: str) -> list[Diff]:
    """A ``vanished_field`` for each ``x-expected`` property that no value of the answer carried."""
    return [
        Diff("vanished_field", path, f"{path}: absent from {where} (the service has always sent it; the SDK reads it)")
        for path, present in presence.items()
        if not present
    ]


def _event_branches(spec: Spec, schema: Any) -> list[Any]:
    resolved = spec.resolve(schema)
    if isinstance(resolved, Mapping):
        for combinator in ("oneOf", "anyOf"):
            if isinstance(resolved.get(combinator), list):
                return list(resolved[combinator])
    return [schema]


def _check_events(spec: Spec, operation: Operation, exchange: Exchange, schema: Any) -> list[Finding]:
    """Each ``data:`` line against the event kind whose required keys it carries."""
    findings = []
    branches = _event_branches(spec, schema)
    presence = Presence()
    first_without: dict[str, int] = {}
    for index, data in sse_events(exchange.response_body or ""):
        ok, event = _parse_json(data)
        if not ok:
            diff = Diff("unreadable_body", "", "a stream event that is not JSON")
            findings.append(_finding(exchange, operation, "response.events", diff, index))
            continue
        candidates = [
            branch
            for branch in branches
            if isinstance(event, Mapping)
            and all(key in event for key in (spec.resolve(branch) or {}).get("required", ()))
        ]
        if not candidates:
            keys = ", ".join(sorted(str(k) for k in event)) if isinstance(event, Mapping) else type(event).__name__
            names = ", ".join(str(b.get("$ref", "?")).rsplit("/", 1)[-1] for b in branches if isinstance(b, Mapping))
            diff = Diff("new_event_shape", "", f"an event with keys [{keys}] matches none of {names}")
            findings.append(_finding(exchange, operation, "response.events", diff, index))
            continue
        seen = Presence()
        best = compare_best(spec, event, candidates, seen)
        merge_presence(presence, seen)
        for path, present in seen.items():
            if not present:
                first_without.setdefault(path, index)
        findings.extend(_finding(exchange, operation, "response.events", diff, index) for diff in best)
    for diff in _vanished(presence, "every event of the stream"):
        findings.append(_finding(exchange, operation, "response.events", diff, first_without.get(diff.path)))
    for index, field, value in sse_other_fields(exchange.response_body or ""):
        # The spec's streams are `data:` lines only: a named event (`event: delta`), an `id:` or a
        # `retry:` is a new stream shape, even when the JSON on the data line still validates.
        shown = f"{field}: {value[:40]!r}" if field == "event" else f"{field[:40]!r}"
        diff = Diff("new_event_shape", field[:40], f"an SSE {shown} field (the spec's streams have data: lines only)")
        findings.append(_finding(exchange, operation, "response.events", diff, index))
    return findings


# -- diagnosis ------------------------------------------------------------------------------------


def diagnose(exchange: Exchange) -> Problem | None:
    """The likely cause when ``exchange`` is a failed answer (HTTP error, error envelope, WAF block,
    in-stream error); None for a successful one. The detail holds codes and short texts only."""
    label = exchange.label
    status = exchange.status
    if _is_waf_html(exchange):
        return Problem("anti_bot_block", label, f"HTTP {status}: an HTML anti-bot (WAF) page")
    ok, body = _parse_json(exchange.response_body)
    if ok and _is_waf(body):
        first = str(body["ret"][0]).split("::", 1)[0] if body["ret"] else "?"
        return Problem("anti_bot_block", label, f"anti-bot block ({first})")
    actual = exchange.response_header("x-actual-status-code")
    actual_status = int(actual) if actual and actual.strip().isdigit() else status
    if ok and _is_error(body):
        return _envelope_problem(label, body, actual_status)
    if exchange.content_type == "text/event-stream":
        for _, data in sse_events(exchange.response_body or ""):
            event_ok, event = _parse_json(data)
            if event_ok and isinstance(event, Mapping) and "error" in event:
                error = event["error"]
                fields = error if isinstance(error, Mapping) else {"code": "", "details": error}
                problem = _envelope_problem(label, fields, None)
                return attrs.evolve(problem, detail=f"in-stream error: {problem.detail}")
    if status is None:
        return None
    if status in (401, 403):
        return Problem("unauthorized", label, f"HTTP {status}")
    if status == 429:
        return Problem("rate_limited", label, "HTTP 429")
    if status >= 500:
        return Problem("service_error", label, f"HTTP {status}")
    if status >= 400:
        return Problem("request_rejected", label, f"HTTP {status}")
    return None


def _short(value: object, limit: int = 120) -> str:
    text = str(value) if value is not None else ""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _envelope_problem(label: str, body: Mapping[str, Any], actual: int | None) -> Problem:
    raw = body.get("data")
    data: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    code = str(body.get("code") or data.get("code") or "")
    details = body.get("message") or body.get("details") or data.get("details") or ""
    text = f"{code} {_short(details)}".strip() + (f" (actual status {actual})" if actual else "")
    lowered = f"{code} {details}".lower()
    if "expired" in lowered and "token" in lowered:
        return Problem("expired_token", label, text)
    if code.lower() in ("unauthorized", "not_login") or actual in (401, 403):
        return Problem("unauthorized", label, text)
    if code in ("RateLimited", "ParallelLimited", "quotaLimited", "Too_Many_Requests") or actual == 429:
        return Problem("rate_limited", label, text)
    if code == "data_inspection_failed":
        return Problem("content_filtered", label, text)
    if code.lower() in ("internal_error", "") or (actual or 0) >= 500:
        return Problem("service_error", label, text)
    return Problem("request_rejected", label, text)
