"""The ASGI app: routes, OpenAI- or Anthropic-shaped errors per route, the access log, lifespan.

Endpoints: ``POST /v1/chat/completions``, ``GET /v1/models``, ``GET /v1/models/{id}``,
``POST /v1/images/generations`` (OpenAI shape, ``Authorization: Bearer KEY`` when keys are set),
``POST /v1/messages`` and ``POST /v1/messages/count_tokens`` (Anthropic shape, ``x-api-key``),
``GET /healthz`` and ``GET /metrics`` (open: they carry no secrets).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .accounts import AccountPool
from .anthropic_adapter import (
    anthropic_error_body,
    is_anthropic_path,
)
from .anthropic_routes import count_tokens, messages
from .conversations import ConversationStore
from .core import Gateway, GatewaySettings, error_response, json_response
from .errors import GatewayError
from .metrics import CONTENT_TYPE, GatewayMetrics
from .openai_routes import chat_completions, generate_images, list_models, retrieve_model

__all__ = ["GatewaySettings", "create_app"]

access_log: logging.Logger = logging.getLogger("qwen_api.gateway.access")


async def healthz(gateway: Gateway, request: Request) -> Response:
    accounts = gateway.pool.snapshot()
    ready = sum(1 for a in accounts if a["state"] == "ready")
    status = "ok" if ready else "degraded"
    return json_response(
        {"status": status, "accounts": {"total": len(accounts), "ready": ready}}, 200 if ready else 503
    )


async def metrics(gateway: Gateway, request: Request) -> Response:
    return Response(gateway.metrics.render(), media_type=CONTENT_TYPE)


# -- the app -----------------------------------------------------------------------------------------

Handler = Callable[[Gateway, Request], Awaitable[Response]]
_ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/models": "models",
    "/v1/images/generations": "images",
    "/v1/messages": "messages",
    "/v1/messages/count_tokens": "count_tokens",
    "/healthz": "healthz",
    "/metrics": "metrics",
}


def _endpoint(
    gateway: Gateway, handler: Handler, *, anthropic: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(gateway, request)
        except GatewayError as error:
            request.scope["qwen.error"] = error.code or error.type
            if anthropic:
                return json_response(anthropic_error_body(error), error.status, error.headers())
            return error_response(error)

    return endpoint


class AccessLog:
    """ASGI middleware: one JSON line per request (never a header or a body), and the request metrics."""

    def __init__(self, app: Any, gateway: Gateway) -> None:
        self.app = app
        self.gateway = gateway

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            path = scope.get("path", "")
            endpoint = _ENDPOINTS.get(path) or ("models" if path.startswith("/v1/models/") else "other")
            self.gateway.metrics.requests.labels(endpoint, str(status)).inc()
            self.gateway.metrics.latency.labels(endpoint).observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                client = scope.get("client")
                record = {
                    "method": scope.get("method"),
                    "path": path,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": client[0] if client else None,
                    "model": scope.get("qwen.model"),
                    "account": scope.get("qwen.account"),
                    "error": scope.get("qwen.error"),
                }
                access_log.info(json.dumps(record, ensure_ascii=False))


def create_app(
    settings: GatewaySettings,
    pool: AccountPool,
    store: ConversationStore,
    gateway_metrics: GatewayMetrics | None = None,
) -> Starlette:
    """The gateway as an ASGI app; ``app.state.gateway`` holds its :class:`Gateway`."""
    metrics_ = gateway_metrics or GatewayMetrics(pool)
    pool.on_cooldown = lambda account, reason: metrics_.cooldowns.labels(account.name, reason).inc()
    gateway = Gateway(settings, pool, store, metrics_)

    def route(path: str, handler: Handler, methods: list[str]) -> Route:
        return Route(path, _endpoint(gateway, handler), methods=methods)

    routes = [
        route("/v1/chat/completions", chat_completions, ["POST"]),
        route("/v1/models", list_models, ["GET"]),
        route("/v1/models/{model_id:path}", retrieve_model, ["GET"]),
        route("/v1/images/generations", generate_images, ["POST"]),
        Route("/v1/messages", _endpoint(gateway, messages, anthropic=True), methods=["POST"]),
        Route("/v1/messages/count_tokens", _endpoint(gateway, count_tokens, anthropic=True), methods=["POST"]),
        route("/healthz", healthz, ["GET"]),
        route("/metrics", metrics, ["GET"]),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        error = GatewayError(
            status,
            f"no route {request.method} {request.url.path}",
            "invalid_request_error",
            "not_found" if status == 404 else None,
        )
        if is_anthropic_path(request.url.path):  # an Anthropic client reads only its own error shape
            return json_response(anthropic_error_body(error), error.status, error.headers())
        return error_response(error)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await gateway.aclose()

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found}, lifespan=lifespan)
    app.state.gateway = gateway
    app.add_middleware(AccessLog, gateway=gateway)
    return app
