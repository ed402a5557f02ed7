"""The HTTP layer: routes, client authentication, body limits, JSON and SSE answers, access log.

Endpoints: ``POST /v1/chat/completions``, ``GET /v1/models``, ``GET /v1/models/{id}``,
``POST /v1/images/generations`` (OpenAI shape, ``Authorization: Bearer KEY`` when keys are set),
``GET /healthz`` and ``GET /metrics`` (open: they carry no secrets).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import hmac
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import attrs
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from qwen_api import QwenAPIError, QwenNotFoundError
from qwen_api.types.models import Model

from .accounts import AccountPool
from .anthropic_adapter import (
    EventBuilder,
    anthropic_error_body,
    estimate_tokens,
    message_body,
    parse_messages_request,
    stop_reason,
)
from .chat import ChatService, Upstream
from .conversations import ConversationStore
from .errors import GatewayError, bad_request, from_sdk_error, openai_error_body
from .metrics import CONTENT_TYPE, GatewayMetrics
from .openai_adapter import (
    MODEL_VARIANTS,
    ChatRequest,
    ChoiceResult,
    ChunkFactory,
    completion_body,
    parse_chat_request,
    split_model,
    url_citations,
    usage_body,
)

__all__ = ["GatewaySettings", "create_app"]

access_log = logging.getLogger("qwen_api.gateway.access")
logger = logging.getLogger("qwen_api.gateway")


def _std_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


_dumps: Callable[[Any], bytes] = _std_dumps
try:
    import orjson

    _dumps = orjson.dumps
except ImportError:  # pragma: no cover - orjson is a dependency on CPython
    pass


_DONE = b"data: [DONE]\n\n"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_IMAGE_RATIOS = {"1:1": 1.0, "3:4": 0.75, "4:3": 4 / 3, "16:9": 16 / 9, "9:16": 9 / 16}


@attrs.frozen
class GatewaySettings:
    api_keys: tuple[str, ...] = ()
    max_body_bytes: int = 32 * 1024 * 1024
    default_image_model: str = "qwen-max-latest"
    models_ttl: float = 300.0


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(_dumps(body), status_code=status, media_type="application/json", headers=headers)


def error_response(error: GatewayError) -> Response:
    return _json(openai_error_body(error), error.status, error.headers())


class GuardedStream(StreamingResponse):
    """A streamed answer whose clean-up runs even if its body never started (the client left before
    the first byte): a generator that never ran has no ``finally`` to release its account."""

    def __init__(self, content: AsyncIterator[bytes], on_close: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._on_close = on_close

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._on_close()


def _sse(value: Any) -> bytes:
    return b"data: " + _dumps(value) + b"\n\n"


class Gateway:
    """What the handlers share: settings, the pool, the conversation map, metrics, the model cache."""

    def __init__(
        self, settings: GatewaySettings, pool: AccountPool, store: ConversationStore, metrics: GatewayMetrics
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.store = store
        self.metrics = metrics
        self.chat = ChatService(pool, store, metrics)
        self.started = int(time.time())
        self._models: list[Model] | None = None
        self._models_at = 0.0
        self._keys = tuple(key.encode() for key in settings.api_keys)
        self._http: httpx.AsyncClient | None = None

    # -- auth and input ------------------------------------------------------------------------------

    def authorize(self, request: Request) -> str:
        """Check the client's key; returns its scope (a digest of the key, "" without keys)."""
        if not self._keys:
            return ""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else request.headers.get("x-api-key", "").strip()
        if not given:
            raise GatewayError(
                401, "missing API key: send Authorization: Bearer <key>", "invalid_request_error", "invalid_api_key"
            )
        if not any(hmac.compare_digest(given.encode(), key) for key in self._keys):
            raise GatewayError(401, "incorrect API key provided", "invalid_request_error", "invalid_api_key")
        return hashlib.sha256(given.encode()).hexdigest()[:32]

    async def read_json(self, request: Request) -> Any:
        limit = self.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise GatewayError(
                413, f"the request body is larger than {limit} bytes", "invalid_request_error", "request_too_large"
            )
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise GatewayError(
                    413, f"the request body is larger than {limit} bytes", "invalid_request_error", "request_too_large"
                )
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError):
            raise bad_request("the request body is not valid JSON") from None

    # -- models --------------------------------------------------------------------------------------

    async def models(self) -> list[Model]:
        now = time.monotonic()
        if self._models is not None and now - self._models_at < self.settings.models_ttl:
            return self._models
        last: QwenAPIError | None = None
        for account in self.pool.accounts:
            if not self.pool.usable(account.name):
                continue
            try:
                self._models = await account.client.models.alist()
                self._models_at = now
                return self._models
            except QwenAPIError as error:
                last = error
                self.pool.penalize(account, error)
        if self._models is not None:
            return self._models  # stale beats nothing
        if last is not None:
            raise from_sdk_error(last)
        raise self.pool.unavailable()

    async def check_model(self, model: str, base: str) -> None:
        """404 unless ``base`` is an upstream id or an alias the SDK resolves."""
        models = await self.models()
        if any(m.id == base for m in models):
            return
        account = next((a for a in self.pool.accounts if self.pool.usable(a.name)), self.pool.accounts[0])
        try:
            await account.client.models.aretrieve(base)
        except QwenNotFoundError:
            raise GatewayError(
                404, f"The model '{model}' does not exist", "invalid_request_error", "model_not_found", "model"
            ) from None
        except QwenAPIError as error:
            raise from_sdk_error(error) from None

    def model_object(self, model_id: str, model: Model | None) -> dict[str, Any]:
        created = model.raw.get("created") if model is not None else None
        if not isinstance(created, int) or isinstance(created, bool):
            created = self.started
        return {"id": model_id, "object": "model", "created": created, "owned_by": "qwen"}

    async def fetch_images(self, chat: ChatRequest) -> ChatRequest:
        """Download the http(s) images of the message being answered, so the SDK uploads them (the
        service does not fetch third-party URLs); the URL stays the image's identity in the history."""
        last = chat.messages[-1]
        if not any(image.url and image.data is None for image in last.images):
            return chat
        images = []
        for image in last.images:
            if image.url and image.data is None:
                data, mimetype = await self._download(image.url)
                image = attrs.evolve(image, data=data, mimetype=mimetype)
            images.append(image)
        messages = (*chat.messages[:-1], attrs.evolve(last, images=tuple(images)))
        return attrs.evolve(chat, messages=messages)

    async def _download(self, url: str) -> tuple[bytes, str]:
        limit = MAX_IMAGE_BYTES
        try:
            async with self.http().stream("GET", url) as reply:
                if reply.status_code != 200:
                    raise bad_request(f"fetching the image {url} answered HTTP {reply.status_code}", param="messages")
                chunks, size = [], 0
                async for chunk in reply.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise GatewayError(
                            413,
                            f"the image {url} is larger than {limit} bytes",
                            "invalid_request_error",
                            "image_too_large",
                            "messages",
                        )
                    chunks.append(chunk)
                mimetype = reply.headers.get("content-type", "image/png").split(";")[0].strip() or "image/png"
        except httpx.HTTPError as exc:
            raise bad_request(f"fetching the image {url} failed ({type(exc).__name__})", param="messages") from None
        if not mimetype.startswith("image/"):
            raise bad_request(f"{url} is not an image ({mimetype})", param="messages")
        return b"".join(chunks), mimetype

    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30.0, follow_redirects=True)
        return self._http

    async def aclose(self) -> None:
        await self.chat.drain()
        if self._http is not None:
            await self._http.aclose()
        await self.pool.aclose()
        self.store.close()


# -- handlers ----------------------------------------------------------------------------------------


async def list_models(gateway: Gateway, request: Request) -> Response:
    gateway.authorize(request)
    data = []
    for model in await gateway.models():
        data.append(gateway.model_object(model.id, model))
        for suffix in MODEL_VARIANTS:
            data.append(gateway.model_object(model.id + suffix, model))
    return _json({"object": "list", "data": data})


async def retrieve_model(gateway: Gateway, request: Request) -> Response:
    gateway.authorize(request)
    model_id: str = request.path_params["model_id"]
    base, _, _ = split_model(model_id)
    await gateway.check_model(model_id, base)
    found = next((m for m in await gateway.models() if m.id == base), None)
    return _json(gateway.model_object(model_id, found))


async def chat_completions(gateway: Gateway, request: Request) -> Response:
    scope = gateway.authorize(request)
    chat = parse_chat_request(await gateway.read_json(request))
    await gateway.check_model(chat.model, chat.base_model)
    chat = await gateway.fetch_images(chat)
    request.scope["qwen.model"] = chat.model
    service = gateway.chat
    if chat.n == 1:
        ups = [await service.open(chat, scope=scope)]
    else:
        ups = await _open_many(service, chat, scope)
    request.scope["qwen.account"] = ",".join(sorted({up.account.name for up in ups}))
    headers = {}
    unsent = [n for n, v in (("temperature", chat.temperature), ("max_tokens", chat.max_tokens)) if v is not None]
    if unsent and any(up.kind == "continued" for up in ups):
        # the SDK's Conversation.asend has no such parameters: say so rather than drop them silently
        headers["X-Qwen-Gateway-Unsent"] = ",".join(unsent)
    if chat.stream:
        return GuardedStream(
            _stream(gateway, chat, ups),
            functools.partial(_finish_all, service, ups),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **headers},
        )
    try:
        results = [await _collect(service, up, chat) for up in ups]
    except QwenAPIError as error:
        raise from_sdk_error(error) from None
    finally:
        for up in ups:
            service.finish(up)
    return _json(completion_body(chat.model, results), headers=headers)


def _finish_all(service: ChatService, ups: list[Upstream]) -> None:
    for up in ups:
        service.finish(up)


async def _open_many(service: ChatService, chat: ChatRequest, scope: str) -> list[Upstream]:
    """``n`` answers, each in its own new chat (concurrent turns in one chat would collide upstream)."""
    tasks = [asyncio.ensure_future(service.open(chat, reuse=False, scope=scope)) for _ in range(chat.n)]
    done = await asyncio.gather(*tasks, return_exceptions=True)
    ups = [item for item in done if isinstance(item, Upstream)]
    failure = next((item for item in done if isinstance(item, BaseException)), None)
    if failure is not None:
        for up in ups:
            service.finish(up)
        raise failure
    return ups


async def _collect(service: ChatService, up: Upstream, chat: ChatRequest) -> ChoiceResult:
    async for _ in service.pieces(up, chat):
        pass
    result = service.result(up, chat)
    service.remember(up)
    return result


async def _stream(gateway: Gateway, chat: ChatRequest, ups: list[Upstream]) -> AsyncIterator[bytes]:
    service = gateway.chat
    factory = ChunkFactory(chat.model)
    gateway.metrics.streams.inc()
    try:
        for index in range(len(ups)):
            yield _sse(factory.role(index))
        try:
            if len(ups) == 1:
                delta = factory.delta
                async for content, reasoning in service.pieces(ups[0], chat):
                    yield _sse(delta(0, content, reasoning))
            else:
                async for index, content, reasoning in _merged(service, ups, chat):
                    yield _sse(factory.delta(index, content, reasoning))
        except QwenAPIError as error:
            gateway.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()
            yield _sse(openai_error_body(from_sdk_error(error)))
            return
        results = []
        for index, up in enumerate(ups):
            result = service.result(up, chat)
            service.remember(up)
            results.append(result)
            annotations = url_citations(result.content, result.sources) if result.sources else None
            yield _sse(factory.finish(index, result.finish_reason, annotations))
        if chat.include_usage:
            yield _sse(factory.usage(usage_body([r.usage for r in results])))
        yield _DONE
    finally:
        gateway.metrics.streams.dec()
        for up in ups:
            service.finish(up)


async def _merged(
    service: ChatService, ups: list[Upstream], chat: ChatRequest
) -> AsyncIterator[tuple[int, str, str | None]]:
    queue: asyncio.Queue[tuple[int, str, str | None] | BaseException | None] = asyncio.Queue()

    async def pump(index: int, up: Upstream) -> None:
        try:
            async for content, reasoning in service.pieces(up, chat):
                await queue.put((index, content, reasoning))
        except BaseException as error:  # handed to the reader, which raises it
            await queue.put(error)
            return
        await queue.put(None)

    tasks = [asyncio.ensure_future(pump(i, up)) for i, up in enumerate(ups)]
    try:
        running = len(tasks)
        while running:
            item = await queue.get()
            if item is None:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


# -- the Anthropic Messages API -------------------------------------------------------------------


def _event(name: str, payload: dict[str, Any]) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + _dumps(payload) + b"\n\n"


def _tokens(up: Upstream) -> tuple[int, int]:
    usage = up.stream.usage
    if usage is None:
        return 0, 0
    return usage.input_tokens or 0, usage.output_tokens or 0


async def messages(gateway: Gateway, request: Request) -> Response:
    scope = gateway.authorize(request)
    chat = parse_messages_request(await gateway.read_json(request))
    await gateway.check_model(chat.model, chat.base_model)
    chat = await gateway.fetch_images(chat)
    request.scope["qwen.model"] = chat.model
    service = gateway.chat
    up = await service.open(chat, scope=scope)
    request.scope["qwen.account"] = up.account.name
    if chat.stream:
        return GuardedStream(
            _message_events(gateway, chat, up),
            lambda: service.finish(up),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    try:
        async for _ in service.pieces(up, chat):
            pass
    except QwenAPIError as error:
        raise from_sdk_error(error) from None
    finally:
        service.finish(up)
    result = service.result(up, chat)
    service.remember(up)
    reason = stop_reason(result.finish_reason, up.stop_sequence)
    return _json(message_body(chat.model, result.content, result.reasoning, reason, up.stop_sequence, _tokens(up)))


async def _message_events(gateway: Gateway, chat: ChatRequest, up: Upstream) -> AsyncIterator[bytes]:
    service = gateway.chat
    events = EventBuilder(chat.model)
    gateway.metrics.streams.inc()
    try:
        for name, payload in events.start():
            yield _event(name, payload)
        try:
            async for content, reasoning in service.pieces(up, chat):
                for name, payload in events.piece(content, reasoning):
                    yield _event(name, payload)
        except QwenAPIError as error:
            gateway.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()
            yield _event("error", anthropic_error_body(from_sdk_error(error)))
            return
        result = service.result(up, chat)
        service.remember(up)
        reason = stop_reason(result.finish_reason, up.stop_sequence)
        for name, payload in events.finish(reason, up.stop_sequence, _tokens(up)):
            yield _event(name, payload)
    finally:
        gateway.metrics.streams.dec()
        service.finish(up)


async def count_tokens(gateway: Gateway, request: Request) -> Response:
    gateway.authorize(request)
    body = await gateway.read_json(request)
    if isinstance(body, dict):
        body = {"max_tokens": 1, **body}
    chat = parse_messages_request(body)
    await gateway.check_model(chat.model, chat.base_model)
    return _json({"input_tokens": estimate_tokens(chat)})


def image_ratio(size: Any) -> str:
    """OpenAI ``size`` (``1024x1024``, ``1792x1024``, ``auto``) or a ratio (``16:9``) -> the upstream's ratio."""
    if size is None or size == "auto":
        return "1:1"
    if not isinstance(size, str):
        raise bad_request("size must be a string such as 1024x1024", param="size")
    if size in _IMAGE_RATIOS:
        return size
    width, sep, height = size.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) == 0 or int(height) == 0:
        raise bad_request(
            f"size must be WIDTHxHEIGHT (e.g. 1024x1024), auto, or one of {list(_IMAGE_RATIOS)}", param="size"
        )
    wanted = math.log(int(width) / int(height))
    return min(_IMAGE_RATIOS, key=lambda ratio: abs(math.log(_IMAGE_RATIOS[ratio]) - wanted))


async def generate_images(gateway: Gateway, request: Request) -> Response:
    gateway.authorize(request)
    body = await gateway.read_json(request)
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise bad_request("prompt is required", param="prompt")
    n = body.get("n", 1) if body.get("n") is not None else 1
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 4:
        raise bad_request("n must be an integer between 1 and 4", param="n")
    response_format = body.get("response_format") or "url"
    if response_format not in ("url", "b64_json"):
        raise bad_request("response_format must be url or b64_json", param="response_format")
    ratio = image_ratio(body.get("size"))
    model = body.get("model")
    if model is None:
        model = gateway.settings.default_image_model
    elif not isinstance(model, str) or not model.strip():
        raise bad_request("model must be a model id", param="model")
    else:
        await gateway.check_model(model, split_model(model)[0])
    base = split_model(model)[0]
    urls: list[str] = []
    tried: set[str] = set()
    while len(urls) < n:
        account = await gateway.pool.acquire(exclude=tried)
        try:
            result = await account.client.images.agenerate(prompt, model=base, size=ratio)
        except QwenAPIError as error:
            gateway.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()
            if gateway.pool.penalize(account, error):
                tried.add(account.name)
                continue
            raise from_sdk_error(error) from None
        finally:
            gateway.pool.release(account)
        if not result.urls:
            raise GatewayError(502, "the upstream answered without an image", "upstream_error", "no_image")
        urls.extend(result.urls)
    data: list[dict[str, Any]] = []
    for url in urls[:n]:
        if response_format == "url":
            data.append({"url": url, "revised_prompt": prompt})
        else:
            try:
                reply = await gateway.http().get(url)
                reply.raise_for_status()
            except httpx.HTTPError as exc:
                raise GatewayError(
                    502,
                    f"downloading the generated image failed ({type(exc).__name__})",
                    "upstream_error",
                    "image_download_failed",
                ) from None
            data.append({"b64_json": base64.b64encode(reply.content).decode("ascii"), "revised_prompt": prompt})
    return _json({"created": int(time.time()), "data": data})


async def healthz(gateway: Gateway, request: Request) -> Response:
    accounts = gateway.pool.snapshot()
    ready = sum(1 for a in accounts if a["state"] == "ready")
    status = "ok" if ready else "degraded"
    return _json({"status": status, "accounts": {"total": len(accounts), "ready": ready}}, 200 if ready else 503)


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
                return _json(anthropic_error_body(error), error.status, error.headers())
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
        return error_response(
            GatewayError(
                status,
                f"no route {request.method} {request.url.path}",
                "invalid_request_error",
                "not_found" if status == 404 else None,
            )
        )

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
