"""The older SDK's documented helper methods on ``Qwen`` (``_build_headers``, ``_process_stream``...).

The documentation lists them, so they exist and work, on the v2 protocol: they build what the
client would send, and turn an ``httpx`` response of a completion request into the same typed
objects the client returns. New code should call ``client.chat`` / ``client.completion`` instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ._assembler import TurnAssembler
from ._errors import classify_error_body
from ._messages import normalise_messages, render_turn_text
from ._request_specs import completion_spec
from ._stream_parser import StreamState
from .resources._options import turn_options, validate_model
from .types.chat import ChatResponse, ChatResponseStream

if TYPE_CHECKING:
    import httpx

    from ._runtime import Runtime


def build_headers(runtime: Runtime) -> dict[str, str]:
    return {**runtime.headers.for_request("/"), **runtime.auth.auth_headers}


def build_payload(
    runtime: Runtime, messages: Sequence[Any], temperature: float | None, model: str, max_tokens: int | None
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
        runtime.config, runtime.headers, chat_id="", parent_id=None, text=render_turn_text(parsed), options=options
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


def _assembler(response: httpx.Response) -> TurnAssembler:
    return TurnAssembler(StreamState(method=response.request.method, url=str(response.request.url)))


def _whole(response: httpx.Response, content: bytes) -> ChatResponse:
    _check(response, content)
    assembler = _assembler(response)
    assembler.keep_chunks = False
    assembler.receive_data(content)
    assembler.receive_end()
    assembler.raise_error()
    return assembler.state.chat_response(response.headers.get("x-request-id"))


def _drain(assembler: TurnAssembler) -> Iterator[ChatResponseStream]:
    pending = assembler.pending
    while pending:
        yield pending.popleft()


def process_response(response: httpx.Response) -> ChatResponse:
    return _whole(response, response.read())


async def process_aresponse(response: httpx.Response) -> ChatResponse:
    return _whole(response, await response.aread())


def process_stream(response: httpx.Response) -> Iterator[ChatResponseStream]:
    if "text/event-stream" not in response.headers.get("content-type", "") or response.status_code >= 400:
        _check(response, response.read())
    assembler = _assembler(response)
    try:
        for data in response.iter_bytes():
            failed = not assembler.receive_data(data)
            yield from _drain(assembler)
            if failed:
                break
        else:
            assembler.receive_end()
    finally:
        response.close()
    assembler.raise_error()


async def process_astream(response: httpx.Response) -> AsyncIterator[ChatResponseStream]:
    if "text/event-stream" not in response.headers.get("content-type", "") or response.status_code >= 400:
        _check(response, await response.aread())
    assembler = _assembler(response)
    try:
        async for data in response.aiter_bytes():
            failed = not assembler.receive_data(data)
            for chunk in _drain(assembler):
                yield chunk
            if failed:
                break
        else:
            assembler.receive_end()
    finally:
        await response.aclose()
    assembler.raise_error()
