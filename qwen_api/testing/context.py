"""Per-request plumbing shared by the handlers: the runtime, the request context, JSON answers.

Kept apart from the routes so every handler module (chats, files, account) can build answers the
same way: compact JSON, ``x-request-id`` echoed, the real status in ``x-actual-status-code``.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response

from .auth import TokenIssuer
from .config import ServerConfig
from .connection import ConnectionControl
from .controls import AnswerControls
from .faults import FaultRule, FaultSpec, chat_not_found_body
from .state import ServerState

__all__ = ["BadRequest", "Ctx", "Runtime", "chat_headers", "json_response"]


@attrs.define
class Runtime:
    """What the handlers share: configuration, state, token issuer and connection control."""

    config: ServerConfig
    state: ServerState
    issuer: TokenIssuer
    control: ConnectionControl
    public_url: str | None = None

    def base_url(self, request: Request) -> str:
        """Where this server is reachable (grants, image URLs); the request's own base by default."""
        return (self.config.public_url or self.public_url or str(request.base_url)).rstrip("/")

    def all_rules(self) -> list[FaultRule]:
        """The fault rules from the configuration, then those added at run time."""
        return [*self.config.faults, *self.state.fault_rules]


class BadRequest(Exception):
    """A business error the handler reports as an HTTP-200 envelope, as the service does.

    Not for the ``x-qwen-mock-*`` control headers: those are the local server's own API and a
    malformed one is a plain HTTP 400 (:class:`.controls.ControlHeaderError`).
    """

    def __init__(self, details: str, *, code: str = "Bad_Request", actual: int = 400) -> None:
        super().__init__(details)
        self.details = details
        self.code = code
        self.actual = actual


@attrs.define
class Ctx:
    """One chat request after recording, fault selection and auth."""

    request: Request
    runtime: Runtime
    request_id: str
    body: Any
    claims: dict[str, Any] | None = None
    stream_fault: FaultSpec | None = None
    controls: AnswerControls = attrs.field(factory=AnswerControls)

    @property
    def state(self) -> ServerState:
        return self.runtime.state

    @property
    def config(self) -> ServerConfig:
        return self.runtime.config

    def envelope(self, data: Any) -> Response:
        """A success envelope ``{success: true, data: ...}``."""
        return json_response({"success": True, "request_id": self.request_id, "data": data}, request_id=self.request_id)

    def error(self, code: str, details: str, actual: int) -> Response:
        """An error envelope with the service's ``code`` and the status it reports as actual."""
        body = {"success": False, "request_id": self.request_id, "code": code, "details": details}
        return json_response(body, request_id=self.request_id, actual=actual)

    def not_found(self) -> Response:
        """The service's answer for an unknown chat."""
        return json_response(chat_not_found_body(self.request_id), request_id=self.request_id, actual=404)

    def body_dict(self) -> dict[str, Any]:
        """The JSON body as a dict; a 400 answer when it is not an object."""
        if not isinstance(self.body, dict):
            raise BadRequest("Request body must be a JSON object")
        return self.body


def _compact(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chat_headers(request_id: str, actual: int | None) -> dict[str, str]:
    """The headers every answer carries (request id, and the actual status when set)."""
    headers = {"x-request-id": request_id, "cache-control": "no-cache"}
    if actual is not None:
        headers["x-actual-status-code"] = str(actual)
    return headers


def json_response(payload: object, *, request_id: str, actual: int | None = 200, status: int = 200) -> Response:
    """A compact JSON answer with the service's headers (``x-actual-status-code`` carries the real status)."""
    return Response(
        _compact(payload), status_code=status, headers=chat_headers(request_id, actual), media_type="application/json"
    )
