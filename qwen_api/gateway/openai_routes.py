"""The OpenAI endpoints: ``POST /v1/chat/completions`` (JSON or SSE, ``n`` choices merged),
``GET /v1/models``, ``GET /v1/models/{id}`` and ``POST /v1/images/generations``."""

from __future__ import annotations

import asyncio
import base64
import functools
import math
import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, cast

import httpx
from starlette.requests import Request
from starlette.responses import Response

from qwen_api import QwenAPIError
from qwen_api.types import ImageSize

from .chat import ChatService, Piece, Upstream
from .core import (
    ClientGone,
    Gateway,
    GuardedStream,
    coalesce,
    json_response,
    model_ids,
    sse_data,
    unless_disconnected,
)
from .errors import GatewayError, bad_request, from_sdk_error, openai_error_body
from .openai_adapter import (
    ChatRequest,
    ChoiceResult,
    ChunkFactory,
    completion_body,
    parse_chat_request,
    split_model,
    url_citations,
    usage_body,
)

__all__ = ["chat_completions", "generate_images", "image_ratio", "list_models", "retrieve_model"]

_DONE = b"data: [DONE]\n\n"
_IMAGE_RATIOS = {"1:1": 1.0, "3:4": 0.75, "4:3": 4 / 3, "16:9": 16 / 9, "9:16": 9 / 16}


async def list_models(gateway: Gateway, request: Request) -> Response:
    """``GET /v1/models``: the upstream models and their ``-thinking`` / ``-search`` / ``-thinking-search`` variants."""
    gateway.authorize(request)
    data: list[dict[str, Any]] = []
    for model in await gateway.models():
        data.extend(gateway.model_object(model_id, model) for model_id in model_ids(model))
    return json_response({"object": "list", "data": data})


async def retrieve_model(gateway: Gateway, request: Request) -> Response:
    """``GET /v1/models/{model_id}``: one model (404 for an unknown one)."""
    gateway.authorize(request)
    model_id: str = request.path_params["model_id"]
    base, _, _ = split_model(model_id)
    await gateway.check_model(model_id, base)
    found = next((m for m in await gateway.models() if m.id == base), None)
    return json_response(gateway.model_object(model_id, found))


async def chat_completions(gateway: Gateway, request: Request) -> Response:
    """``POST /v1/chat/completions``: an OpenAI chat request answered through Qwen Chat, whole or
    as SSE chunks (``n`` answers in parallel)."""
    scope = gateway.authorize(request)
    chat = gateway.tuned(parse_chat_request(await gateway.read_json(request)))
    await gateway.check_chat(chat)
    chat = await gateway.fetch_images(chat)
    request.scope["qwen.model"] = chat.model
    service = gateway.chat
    if chat.n == 1:
        ups = [await service.open(chat, scope=scope)]
    else:
        ups = await _open_many(service, chat, scope)
    request.scope["qwen.account"] = ",".join(sorted({up.account.name for up in ups}))
    headers = {}
    if chat.ignored:
        names = (name.encode("ascii", "backslashreplace").decode("ascii") for name in chat.ignored)
        headers["X-Qwen-Gateway-Ignored"] = ",".join(names)[:1000]
    if chat.stream:
        return GuardedStream(
            coalesce(_stream(gateway, chat, ups)),
            functools.partial(_finish_all, service, ups),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **headers},
        )
    try:
        results = await unless_disconnected(request, _collect_all(service, ups, chat))
    except QwenAPIError as error:
        raise from_sdk_error(error) from None
    except ClientGone:
        return Response(status_code=499)  # nobody reads it; the answers are stopped upstream below
    finally:
        for up in ups:
            service.finish(up)
    return json_response(completion_body(chat.model, results), headers=headers)


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


async def _collect_all(service: ChatService, ups: list[Upstream], chat: ChatRequest) -> list[ChoiceResult]:
    return [await _collect(service, up, chat) for up in ups]


async def _collect(service: ChatService, up: Upstream, chat: ChatRequest) -> ChoiceResult:
    async for _ in service.pieces(up, chat):
        pass
    result = service.result(up, chat)
    service.remember(up)
    return result


async def _stream(gateway: Gateway, chat: ChatRequest, ups: list[Upstream]) -> AsyncGenerator[bytes, None]:
    service = gateway.chat
    factory = ChunkFactory(chat.model, include_usage=chat.include_usage)
    gateway.metrics.streams.inc()
    try:
        # The role chunks go out with the first delta (one write, one wake-up of the client).
        pending = b"".join(sse_data(factory.role(index, bool(chat.tools))) for index in range(len(ups)))
        try:
            if len(ups) == 1:
                delta = factory.delta
                async for content, reasoning, calls in service.pieces(ups[0], chat):
                    if pending:
                        yield pending + sse_data(delta(0, content, reasoning, calls))
                        pending = b""
                        continue
                    yield sse_data(delta(0, content, reasoning, calls))
            else:
                yield pending
                pending = b""
                async for index, (content, reasoning, calls) in _merged(service, ups, chat):
                    yield sse_data(factory.delta(index, content, reasoning, calls))
        except QwenAPIError as error:
            gateway.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()
            yield pending + sse_data(openai_error_body(from_sdk_error(error)))
            return
        results = []
        tail = [pending]  # an answer without any text still starts with its role chunks
        for index, up in enumerate(ups):
            result = service.result(up, chat)
            service.remember(up)
            results.append(result)
            annotations = url_citations(result.content, result.sources) if result.sources else None
            tail.append(sse_data(factory.finish(index, result.finish_reason, annotations, result.validation_error)))
        if chat.include_usage:
            tail.append(sse_data(factory.usage(usage_body([r.usage for r in results]))))
        tail.append(_DONE)
        yield b"".join(tail)
    finally:
        gateway.metrics.streams.dec()
        for up in ups:
            service.finish(up)


async def _merged(service: ChatService, ups: list[Upstream], chat: ChatRequest) -> AsyncIterator[tuple[int, Piece]]:
    queue: asyncio.Queue[tuple[int, Piece] | BaseException | None] = asyncio.Queue()

    async def pump(index: int, up: Upstream) -> None:
        try:
            async for piece in service.pieces(up, chat):
                await queue.put((index, piece))
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
    """``POST /v1/images/generations``: images drawn by Qwen Chat, as URLs."""
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
            result = await account.client.images.agenerate(prompt, model=base, size=cast("ImageSize", ratio))
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
    return json_response({"created": int(time.time()), "data": data})
