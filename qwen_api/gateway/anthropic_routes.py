"""The Anthropic endpoints: ``POST /v1/messages`` (a message, or the documented event stream) and
``POST /v1/messages/count_tokens``."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from qwen_api import QwenAPIError

from .anthropic_adapter import (
    EventBuilder,
    anthropic_error_body,
    estimate_tokens,
    message_body,
    parse_messages_request,
    stop_reason,
)
from .chat import Upstream
from .core import ClientGone, Gateway, GuardedStream, coalesce, dumps, json_response, unless_disconnected
from .errors import from_sdk_error
from .openai_adapter import (
    ChatRequest,
)

__all__ = ["count_tokens", "messages"]


def _event(name: str, payload: dict[str, Any]) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + dumps(payload) + b"\n\n"


def _tokens(up: Upstream) -> tuple[int, int]:
    usage = up.stream.usage
    if usage is None:
        return 0, 0
    return usage.input_tokens or 0, usage.output_tokens or 0


async def _drain(pieces: AsyncIterator[Any]) -> None:
    async for _ in pieces:
        pass


async def messages(gateway: Gateway, request: Request) -> Response:
    """``POST /v1/messages``: an Anthropic Messages request answered through Qwen Chat, whole or as SSE events."""
    scope = gateway.authorize(request)
    chat = gateway.tuned(parse_messages_request(await gateway.read_json(request)))
    await gateway.check_chat(chat)
    chat = await gateway.fetch_images(chat)
    request.scope["qwen.model"] = chat.model
    service = gateway.chat
    up = await service.open(chat, scope=scope)
    request.scope["qwen.account"] = up.account.name
    if chat.stream:
        return GuardedStream(
            coalesce(_message_events(gateway, chat, up)),
            lambda: service.finish(up),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    try:
        await unless_disconnected(request, _drain(service.pieces(up, chat)))
    except QwenAPIError as error:
        raise from_sdk_error(error) from None
    except ClientGone:
        return Response(status_code=499)  # nobody reads it; the answer is stopped upstream below
    finally:
        service.finish(up)
    result = service.result(up, chat)
    service.remember(up)
    reason = stop_reason(result.finish_reason, up.stop_sequence)
    return json_response(
        message_body(
            chat.model,
            result.content,
            result.reasoning,
            reason,
            up.stop_sequence,
            _tokens(up),
            result.tool_calls,
            result.validation_error,
        )
    )


async def _message_events(gateway: Gateway, chat: ChatRequest, up: Upstream) -> AsyncGenerator[bytes, None]:
    service = gateway.chat
    events = EventBuilder(chat.model)
    gateway.metrics.streams.inc()
    try:
        for name, payload in events.start(_tokens(up)[0]):
            yield _event(name, payload)
        try:
            async for content, reasoning, calls in service.pieces(up, chat):
                for name, payload in events.piece(content, reasoning, calls):
                    yield _event(name, payload)
        except QwenAPIError as error:
            gateway.metrics.upstream_errors.labels(error.code or type(error).__name__).inc()
            yield _event("error", anthropic_error_body(from_sdk_error(error)))
            return
        result = service.result(up, chat)
        service.remember(up)
        reason = stop_reason(result.finish_reason, up.stop_sequence)
        for name, payload in events.finish(reason, up.stop_sequence, _tokens(up), result.validation_error):
            yield _event(name, payload)
    finally:
        gateway.metrics.streams.dec()
        service.finish(up)


async def count_tokens(gateway: Gateway, request: Request) -> Response:
    """``POST /v1/messages/count_tokens``: an estimate of the request's input tokens (nothing is sent upstream)."""
    gateway.authorize(request)
    body = await gateway.read_json(request)
    if isinstance(body, dict):
        body = {"max_tokens": 1, **body}
    chat = parse_messages_request(body)
    await gateway.check_chat(chat)
    return json_response({"input_tokens": estimate_tokens(chat)})
