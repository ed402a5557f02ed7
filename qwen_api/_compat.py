"""The older SDK's documented helper methods on ``Qwen`` (``_build_headers``, ``_process_stream``...).

The documentation lists them, so they exist and work, on the v2 protocol: they build what the
client would send, and turn an ``httpx`` response of a completion request into the same typed
objects the client returns. New code should call ``client.chat`` / ``client.completion`` instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from ._errors import classify_error_body
from ._messages import normalise_messages, render_turn_text
from ._sse import SSEDecoder
from ._stream_parser import StreamState
from ._wire import completion_spec
from .resources._options import turn_options, validate_model
from .types.chat import ChatResponse, ChatResponseStream

if TYPE_CHECKING:
    from .client import Qwen


def build_headers(client: Qwen) -> dict[str, str]:
    return {**client._headers.for_request("/"), **client._auth.auth_headers}


def build_payload(
    client: Qwen, messages: Sequence[Any], temperature: float | None, model: str, max_tokens: int | None
) -> dict[str, Any]:
    """The ``chat/completions`` body for ``messages`` (``chat_id`` is filled in once a chat exists)."""
    parsed = normalise_messages(messages)
    last = parsed[-1]
    options = turn_options(
        model=validate_model(model),
        thinking=last.thinking,
        thinking_mode=last.thinking_mode,
        web_search=last.web_search,
        temperature=temperature,
        max_tokens=max_tokens,
    )
    spec = completion_spec(
        client._config, client._headers, chat_id="", parent_id=None, text=render_turn_text(parsed), options=options
    )
    body: dict[str, Any] = spec.json
    return body


def _check(response: httpx.Response, content: bytes) -> None:
    content_type = response.headers.get("content-type", "")
    if response.status_code < 400 and "text/event-stream" in content_type:
        return
    error = classify_error_body(
        status=response.status_code,
        headers=response.headers,
        content=content,
        method=response.request.method,
        url=str(response.request.url),
    )
    if error is not None:
        raise error


def _state(response: httpx.Response) -> StreamState:
    return StreamState(method=response.request.method, url=str(response.request.url))


def process_response(response: httpx.Response) -> ChatResponse:
    content = response.read()
    _check(response, content)
    state = _state(response)
    for payload in SSEDecoder().feed(content):
        state.feed(payload)
    return state.chat_response(response.headers.get("x-request-id"))


async def process_aresponse(response: httpx.Response) -> ChatResponse:
    content = await response.aread()
    _check(response, content)
    state = _state(response)
    for payload in SSEDecoder().feed(content):
        state.feed(payload)
    return state.chat_response(response.headers.get("x-request-id"))


def process_stream(response: httpx.Response) -> Iterator[ChatResponseStream]:
    if "text/event-stream" not in response.headers.get("content-type", "") or response.status_code >= 400:
        _check(response, response.read())
    state, decoder = _state(response), SSEDecoder()
    try:
        for chunk in response.iter_bytes():
            for payload in decoder.feed(chunk):
                parsed = state.feed(payload)
                if parsed is not None:
                    yield parsed
    finally:
        response.close()


async def process_astream(response: httpx.Response) -> AsyncIterator[ChatResponseStream]:
    if "text/event-stream" not in response.headers.get("content-type", "") or response.status_code >= 400:
        _check(response, await response.aread())
    state, decoder = _state(response), SSEDecoder()
    try:
        async for chunk in response.aiter_bytes():
            for payload in decoder.feed(chunk):
                parsed = state.feed(payload)
                if parsed is not None:
                    yield parsed
    finally:
        await response.aclose()
