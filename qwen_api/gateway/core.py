"""What every endpoint shares: settings, client authentication, body limits, the model cache, image
fetching, and the JSON / SSE encoders (:class:`Gateway` holds the pool, the conversation map and metrics).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import attrs
import httpx
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from qwen_api import QwenAPIError, QwenNotFoundError
from qwen_api.types.models import Model

from .accounts import AccountPool
from .chat import ChatService
from .conversations import ConversationStore
from .errors import GatewayError, bad_request, from_sdk_error, openai_error_body
from .metrics import GatewayMetrics
from .openai_adapter import MODEL_VARIANTS, ChatRequest
from .warm_chats import WarmChats

T = TypeVar("T")

__all__ = [
    "Gateway",
    "GatewaySettings",
    "GuardedStream",
    "dumps",
    "error_response",
    "json_response",
    "lacks",
    "model_ids",
    "sse_data",
]


def _std_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


dumps: Callable[[Any], bytes] = _std_dumps
try:
    import orjson

    dumps = orjson.dumps
except ImportError:  # pragma: no cover - orjson is a dependency on CPython
    pass


MAX_IMAGE_BYTES = 20 * 1024 * 1024


def lacks(model: Model, capability: str) -> bool:
    """True only when the model list says outright that ``model`` cannot do ``capability``; a flag
    the list leaves out is not a no (the upstream then decides, as it does for new models)."""
    info = model.raw.get("info")
    meta = info.get("meta") if isinstance(info, dict) else None
    capabilities = meta.get("capabilities") if isinstance(meta, dict) else None
    return isinstance(capabilities, dict) and capabilities.get(capability) is False


def model_ids(model: Model) -> list[str]:
    """``model``'s id and its ``-thinking`` / ``-search`` / ``-thinking-search`` variants (all of them,
    as the gateway's contract says; a mode the model lacks is refused when a request asks for it)."""
    return [model.id, *(model.id + suffix for suffix in MODEL_VARIANTS)]


@attrs.frozen
class GatewaySettings:
    """The operator's settings of a gateway: API keys (empty: no auth), request body limit, model
    for image generation, how long the model list is cached, repair rounds for tools and formats."""

    api_keys: tuple[str, ...] = ()
    max_body_bytes: int = 32 * 1024 * 1024
    default_image_model: str = "qwen-max-latest"
    models_ttl: float = 300.0
    repair_rounds: int = 1
    warm_chats: bool = False
    """Keep a chat made ahead per account and model (see :mod:`.warm_chats`)."""


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (orjson when installed)."""
    return Response(dumps(body), status_code=status, media_type="application/json", headers=headers)


def error_response(error: GatewayError) -> Response:
    """The OpenAI-style JSON error response for ``error``, with its headers."""
    return json_response(openai_error_body(error), error.status, error.headers())


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


class _Failed:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


async def coalesce(source: AsyncGenerator[bytes, None]) -> AsyncIterator[bytes]:
    """``source``'s pieces, joined into one write whenever several are ready at once.

    A fast upstream delivers many events in one read; the SDK hands them out one by one without
    waiting, and a write per event costs a system call (and a wake-up of the client) each. A task
    reads ``source`` ahead; each time this generator resumes it takes everything queued meanwhile.
    The first piece is never held back: it is written as soon as it is there.
    """
    queue: asyncio.Queue[Any] = asyncio.Queue()

    async def pump() -> None:
        first = True
        try:
            async for piece in source:
                queue.put_nowait(piece)
                if first:  # let the first piece be written now, before reading ahead
                    first = False
                    await asyncio.sleep(0)
        except BaseException as error:  # handed to the reader, which raises it after what came before
            queue.put_nowait(_Failed(error))
            if isinstance(error, asyncio.CancelledError):
                raise
        else:
            queue.put_nowait(_END)
        finally:
            # A loop left by an exception does not close its generator: close it now, so its own
            # clean-up (the account's slot, the stream gauge) runs at once rather than when collected.
            await source.aclose()

    task = asyncio.ensure_future(pump())
    try:
        while True:
            item = await queue.get()
            batch: list[bytes] = []
            while True:
                if item is _END or isinstance(item, _Failed):
                    if batch:
                        yield b"".join(batch)
                    if isinstance(item, _Failed):
                        raise item.error
                    return
                batch.append(item)
                if queue.empty():
                    break
                item = queue.get_nowait()
            yield batch[0] if len(batch) == 1 else b"".join(batch)
    finally:
        if not task.done():
            task.cancel()


class ClientGone(Exception):
    """The client disconnected before its whole (non-streamed) answer was ready."""


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """``work``'s result, or :class:`ClientGone` as soon as the client disconnects: a client that
    gave up on a long answer (a timeout) must not leave it running upstream, on the account's quota.

    The request body has been read, so the next ASGI message can only be ``http.disconnect``."""
    task = asyncio.ensure_future(work)
    watch = asyncio.ensure_future(_disconnect(request))
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watch.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
    if task.cancelled():
        raise ClientGone
    return task.result()


async def _disconnect(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


def sse_data(value: Any) -> bytes:
    """One server-sent event ``data: <json>`` line with its blank line."""
    return b"data: " + dumps(value) + b"\n\n"


class Gateway:
    """What the handlers share: settings, the pool, the conversation map, metrics, the model cache."""

    def __init__(
        self, settings: GatewaySettings, pool: AccountPool, store: ConversationStore, metrics: GatewayMetrics
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.store = store
        self.metrics = metrics
        warm = (
            WarmChats(on_event=lambda outcome: metrics.warm_chats.labels(outcome).inc())
            if settings.warm_chats
            else None
        )
        self.chat: ChatService = ChatService(pool, store, metrics, warm, fetch_images=self.fetch_images)
        self.started: int = int(time.time())
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
                401,
                "missing API key: send it as Authorization: Bearer <key> or as x-api-key: <key>",
                "invalid_request_error",
                "invalid_api_key",
            )
        if not any(hmac.compare_digest(given.encode(), key) for key in self._keys):
            raise GatewayError(401, "incorrect API key provided", "invalid_request_error", "invalid_api_key")
        return hashlib.sha256(given.encode()).hexdigest()[:32]

    async def read_json(self, request: Request) -> Any:
        """The request body decoded as JSON, read at most ``max_body_bytes``.

        Raises:
            GatewayError: 413 for a larger body, 400 for one that is not JSON.
        """
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

    def tuned(self, chat: ChatRequest) -> ChatRequest:
        """The request with the operator's settings applied (the repair budget of tools and formats)."""
        return attrs.evolve(chat, repair_rounds=self.settings.repair_rounds)

    # -- models --------------------------------------------------------------------------------------

    async def models(self) -> list[Model]:
        """The upstream model list, cached for ``models_ttl`` seconds, from the first usable account."""
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

    async def check_model(self, model: str, base: str) -> Model | None:
        """404 unless ``base`` is an upstream id or an alias the SDK resolves; the listed model, if it
        is one (None for an alias)."""
        found = next((m for m in await self.models() if m.id == base), None)
        if found is not None:
            return found
        account = next((a for a in self.pool.accounts if self.pool.usable(a.name)), self.pool.accounts[0])
        try:
            await account.client.models.aretrieve(base)
        except QwenNotFoundError:
            raise GatewayError(
                404, f"The model '{model}' does not exist", "invalid_request_error", "model_not_found", "model"
            ) from None
        except QwenAPIError as error:
            raise from_sdk_error(error) from None
        return None

    async def check_chat(self, chat: ChatRequest) -> None:
        """:meth:`check_model`, then a 400 for a mode asked for (a ``-thinking`` / ``-search`` model
        variant, ``enable_thinking``, ``reasoning_effort``, ``enable_search``, Anthropic's ``thinking``)
        that the model list denies: the upstream would answer without it, and the client would never know."""
        found = await self.check_model(chat.model, chat.base_model)
        if found is None:
            return
        base = chat.base_model
        for asked, capability, mode, options in (
            (
                chat.thinking or chat.thinking_mode == "thinking",
                "thinking",
                "thinking mode",
                "enable_thinking, reasoning_effort or thinking",
            ),
            (chat.web_search, "search", "web search", "enable_search"),
        ):
            if asked and lacks(found, capability):
                raise bad_request(
                    f"the model '{base}' has no {mode}: ask with the model id '{base}' and without {options}",
                    param="model",
                )

    def model_object(self, model_id: str, model: Model | None) -> dict[str, Any]:
        """OpenAI's ``model`` object for ``model_id`` (``created`` from the model list when known)."""
        created = model.raw.get("created") if model is not None else None
        if not isinstance(created, int) or isinstance(created, bool):
            created = self.started
        return {"id": model_id, "object": "model", "created": created, "owned_by": "qwen"}

    async def fetch_images(self, chat: ChatRequest, start: int | None = None) -> ChatRequest:
        """Download the http(s) images of the messages sent upstream -- the one being answered by
        default, from ``start`` on when a new chat carries the transcript -- so the SDK uploads them
        (the service does not fetch third-party URLs); the URL stays the image's identity in the history."""
        first = len(chat.messages) - 1 if start is None else max(0, start)
        if not any(image.url and image.data is None for m in chat.messages[first:] for image in m.images):
            return chat
        messages = list(chat.messages)
        for index in range(first, len(messages)):
            message = messages[index]
            if not any(image.url and image.data is None for image in message.images):
                continue
            images = []
            for image in message.images:
                if image.url and image.data is None:
                    data, mimetype = await self._download(image.url)
                    image = attrs.evolve(image, data=data, mimetype=mimetype)
                images.append(image)
            messages[index] = attrs.evolve(message, images=tuple(images))
        return attrs.evolve(chat, messages=tuple(messages))

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
        """The gateway's own client for fetching image URLs of requests (made on first use)."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30.0, follow_redirects=True)
        return self._http

    async def aclose(self) -> None:
        """Let running answers finish, then close the HTTP clients, the accounts and the conversation store."""
        await self.chat.drain()
        await self.chat.aclose()
        if self._http is not None:
            await self._http.aclose()
        await self.pool.aclose()
        self.store.close()
