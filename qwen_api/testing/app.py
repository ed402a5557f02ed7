"""The Starlette app: the spec's endpoints with the recorded framing, auth, state and fault injection.

Every chat endpoint goes through one wrapper (:func:`_chat_endpoint`) that records the request,
decides the fault (header ``x-qwen-mock-fault`` or a server rule), checks the token, and only then
runs the handler, so the order of failures is the same everywhere: edge faults, then auth, then the
endpoint's own business errors.

Error forms, chosen to match the recordings *and* the spec's response schemas:

* auth failure: HTTP 200, ``x-actual-status-code: 401``, ``{"success":false,"code":"Unauthorized"}``
  (error_unauthorized_missing_bearer.json); a minted token past its ``exp`` answers
  ``{"success":false,"message":"Token expired"}``.
* unknown or deleted chat (completions, detail, delete, stop): HTTP 200, ``x-actual-status-code: 404``,
  ``{"success":false,"request_id":…,"code":"CHAT_NOT_FOUND","details":"Chat not found"}`` (the code the
  service gives for a made-up chat id). The code is top-level (a documented service shape) rather than
  under ``data`` because the spec's 200 schema for chat detail requires ``data.id``; an error under
  ``data`` could never conform there.
* other validation errors: the same top-level form with ``Bad_Request`` (``x-actual-status-code: 400``).
* a malformed control header (``x-qwen-mock-*``, the server's own API rather than the service's), on
  any endpoint: a plain HTTP 400, ``text/plain`` ``qwen mock server: <what is wrong>``, before auth
  and before the handler runs (see :mod:`.controls`).

Handlers live in :mod:`.chats`, :mod:`.files`, :mod:`.account` and :mod:`.oss`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import account, chats, files, oss
from .auth import AuthVerdict, TokenIssuer, check_access, request_token
from .config import ServerConfig
from .connection import AbortResponse, ConnectionControl, QwenApp, StallResponse
from .context import BadRequest, Ctx, Runtime, json_response
from .controls import AnswerControls, ControlHeaderError, check_control_headers, read_controls
from .drift import DRIFT_HEADER, parse_drift_header, with_drift
from .faults import FAULT_HEADER, FaultSpec, canned_reply, parse_fault_header, select_fault
from .state import RecordedRequest, ServerState

__all__ = ["Runtime", "create_app"]

Handler = Callable[[Ctx], Awaitable[Response]]


MAX_REQUEST_BODY = 16 * 1024 * 1024
"""A chat endpoint refuses a bigger body with 413 (the real service's limit is lower still)."""


class _TooLarge(Exception):
    pass


async def _read_body(request: Request) -> bytes:
    """The body, read as it arrives and refused once it passes :data:`MAX_REQUEST_BODY`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_REQUEST_BODY:
        raise _TooLarge
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BODY:
            raise _TooLarge
        parts.append(chunk)
    return b"".join(parts)


def _too_large() -> Response:
    return PlainTextResponse(f"qwen mock server: request body larger than {MAX_REQUEST_BODY} bytes", status_code=413)


async def _record(request: Request, state: ServerState) -> tuple[RecordedRequest, Any]:
    raw = await _read_body(request)
    body: Any = None
    if raw:
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            body = None
    record = RecordedRequest(
        method=request.method,
        path=request.url.path,
        query=dict(request.query_params),
        headers={name.lower(): value for name, value in request.headers.items()},
        json=body,
        size=len(raw),
    )
    state.record(record)
    return record, body


def _checked_controls(request: Request) -> AnswerControls:
    """Every ``x-qwen-mock-*`` header checked up front, so a malformed one is a 400 on any endpoint.

    Raises :class:`ControlHeaderError`; the fault header is parsed again (and counted) by
    :func:`select_fault` where faults apply, the drift header by :func:`with_drift`.
    """
    headers = request.headers
    check_control_headers(headers.items())  # known, once, not empty: then each value is parsed
    fault, drift = headers.get(FAULT_HEADER, ""), headers.get(DRIFT_HEADER, "")
    try:
        if fault:
            parse_fault_header(fault)
        parse_drift_header(drift)
    except ValueError as exc:
        raise ControlHeaderError(str(exc)) from None
    return read_controls(headers)


def _control_error(exc: ValueError) -> Response:
    """A malformed control header: a plain HTTP 400 (the server's own API, not a service envelope)."""
    return PlainTextResponse(f"qwen mock server: {exc}", status_code=400)


def _auth_failure(verdict: AuthVerdict, request_id: str) -> Response:
    if verdict is AuthVerdict.EXPIRED:
        return json_response({"success": False, "message": "Token expired"}, request_id=request_id, actual=401)
    return json_response({"success": False, "code": "Unauthorized"}, request_id=request_id, actual=401)


def _fault_response(
    runtime: Runtime, fault: FaultSpec, *, request_id: str, path: str, then: Callable[[], Awaitable[Response]]
) -> Response:
    """The before-headers form of a fault (mid-stream faults on JSON endpoints use their twin)."""
    if fault.name in ("drop_before_headers", "drop_after_events"):
        return AbortResponse(runtime.control)
    if fault.name in ("stall_before_headers", "stall_between_events"):
        return StallResponse(runtime.control, fault.seconds, then)
    reply = canned_reply(fault, request_id=request_id, path=path)
    assert reply is not None
    headers = {"x-request-id": request_id, **dict(reply.headers)}
    return Response(reply.body, status_code=reply.status, headers=headers)


class StrictRoute(Route):
    """A Route whose pattern must match the whole path.

    Starlette compiles ``...$``, and Python's ``$`` also matches before a trailing newline, so
    ``/api/v2/chats/%0A`` would be served by the chat *list*; ``\\Z`` makes it a (missing) chat id.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        pattern = self.path_regex.pattern
        if pattern.endswith("$"):
            self.path_regex: re.Pattern[str] = re.compile(pattern[:-1] + r"\Z")


def _chat_endpoint(
    runtime: Runtime, handler: Handler, *, auth: bool = True, stream: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            record, body = await _record(request, runtime.state)
        except _TooLarge:
            return _too_large()
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        try:
            controls = _checked_controls(request)
            fault = select_fault(
                header=request.headers.get(FAULT_HEADER),
                path=request.url.path,
                chat_endpoint=True,
                rules=runtime.all_rules(),
                attempts=runtime.state.attempts,
            )
        except ValueError as exc:
            return _control_error(exc)
        ctx = Ctx(request=request, runtime=runtime, request_id=request_id, body=body, controls=controls)

        async def serve_normally() -> Response:
            if auth:
                verdict, claims = check_access(
                    request_token(request.headers, request.cookies), config=runtime.config, issuer=runtime.issuer
                )
                if verdict is not AuthVerdict.OK:
                    return _auth_failure(verdict, request_id)
                ctx.claims = claims
            try:
                return await handler(ctx)
            except BadRequest as exc:
                return ctx.error(exc.code, exc.details, exc.actual)

        if fault is not None:
            record.fault = fault.name
            if stream and fault.is_mid_stream:
                ctx.stream_fault = fault
            else:
                return _fault_response(
                    runtime, fault, request_id=request_id, path=request.url.path, then=serve_normally
                )
        return with_drift(request, await serve_normally())  # x-qwen-mock-drift: see drift.py

    return endpoint


def _media_endpoint(
    runtime: Runtime, handler: Callable[[Request], Awaitable[Response]]
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        record = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={name.lower(): value for name, value in request.headers.items()},
        )
        runtime.state.record(record)
        try:
            _checked_controls(request)  # they do nothing here, but a malformed one is still an error
        except ControlHeaderError as exc:
            return _control_error(exc)
        fault = select_fault(
            header=None,
            path=request.url.path,
            chat_endpoint=False,
            rules=runtime.all_rules(),
            attempts=runtime.state.attempts,
        )
        if fault is not None:
            record.fault = fault.name

            async def then() -> Response:
                return await handler(request)

            return _fault_response(runtime, fault, request_id=oss.new_request_id(), path=request.url.path, then=then)
        return await handler(request)

    return endpoint


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    detail = exc.detail if isinstance(exc, HTTPException) else "Not Found"
    return JSONResponse({"detail": detail}, status_code=status)


def create_app(config: ServerConfig | None = None) -> QwenApp:
    """Build the Starlette app; ``app.state.runtime`` holds its :class:`Runtime` (state, config, issuer)."""
    config = config or ServerConfig()
    if config.storage_dir is not None:
        config.storage_dir.mkdir(parents=True, exist_ok=True)
    runtime = Runtime(
        config=config,
        state=ServerState(),
        issuer=TokenIssuer(user_id=config.user_id),
        control=ConnectionControl(),
    )

    def chat(path: str, handler: Handler, methods: list[str], **options: bool) -> Route:
        return StrictRoute(path, _chat_endpoint(runtime, handler, **options), methods=methods)

    async def put_object(request: Request) -> Response:
        return await oss.handle_put(request, runtime.state, runtime.config.storage_dir)

    async def get_object(request: Request) -> Response:
        return await oss.handle_get(request, runtime.state)

    routes = [
        chat("/api/v2/chats/new", chats.create_chat, ["POST"]),
        chat("/api/v2/chats/", chats.list_chats, ["GET"]),
        chat("/api/v2/chats/pinned", chats.list_pinned, ["GET"]),
        chat("/api/v2/chats/{chat_id}", chats.get_chat, ["GET"]),
        chat("/api/v2/chats/{chat_id}", chats.delete_chat, ["DELETE"]),
        chat("/api/v2/chat/completions/stop", chats.stop_completion, ["POST"]),
        chat("/api/v2/chat/completions", chats.create_completion, ["POST"], stream=True),
        chat("/api/chat/completions", chats.legacy_completion, ["POST"], stream=True, auth=False),
        chat("/api/models", account.list_models, ["GET"], auth=False),
        chat("/api/v2/models/", account.list_models_v2, ["GET"]),
        chat("/api/v2/files/getstsToken", files.get_sts_token, ["POST"]),
        chat("/api/v1/files/getstsToken", files.get_sts_token_v1, ["POST"]),
        chat("/api/v2/files/parse", files.parse_file, ["POST"]),
        chat("/api/v2/files/parse/status", files.parse_status, ["POST"]),
        chat("/api/v2/library/list", files.list_library, ["GET"]),
        chat("/api/v2/task/status/{task_id}", chats.get_task_status, ["GET"]),
        chat("/api/v1/tasks/status/{task_id}", chats.get_task_status_v1, ["GET"]),
        chat("/api/v1/auths/", account.session_user, ["GET"]),
        chat("/api/v2/users/status", account.users_status, ["POST"]),
        chat("/api/v2/auths/refresh", account.refresh_tokens, ["GET"], auth=False),
        StrictRoute("/output/{path:path}", _media_endpoint(runtime, files.output), methods=["GET", "HEAD"]),
        StrictRoute("/{bucket}/{key:path}", _media_endpoint(runtime, put_object), methods=["PUT"]),
        StrictRoute(f"/{oss.BUCKET}/{{key:path}}", _media_endpoint(runtime, get_object), methods=["GET", "HEAD"]),
    ]
    runtime.state.scripted.extend(config.script)
    app = QwenApp(routes=routes, exception_handlers={404: _not_found, 405: _not_found})
    app.state.runtime = runtime
    return app
