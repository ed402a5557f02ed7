"""A stream call returns once its first chunk arrived; failures before it are retried, after it never.

The server drives the byte boundaries here (pytest-httpx hands the body over in the pieces given),
so the cases that depend on what arrives in one read are deterministic: an error in the same read as
the first chunks is raised only after those chunks, and a failure before any chunk starts over.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from qwen_api import Qwen, _engine
from qwen_api.core import exceptions as exc

BASE = "https://chat.example.test"
CHAT_ID = "004c84c5-6e71-4510-ad21-f41a08bf8373"
COMPLETIONS = httpx.URL(f"{BASE}/api/v2/chat/completions", params={"chat_id": CHAT_ID})
CREATED = b'data: {"response.created":{"chat_id":"%s","response_id":"r-1"}}\n\n' % CHAT_ID.encode()


def answer(text: str, status: str = "typing") -> bytes:
    delta = {"role": "assistant", "content": text, "phase": "answer", "status": status}
    return b"data: " + json.dumps({"choices": [{"delta": delta}], "response_id": "r-1"}).encode() + b"\n\n"


FINISHED = answer("", "finished")
INTERNAL_ERROR = b'data: {"error":"Internal error!"}\n\n'  # error_in_stream_internal_error_string.sse
CONTENT_FILTER = (
    b'data: {"error":{"code":"data_inspection_failed","details":"Output data may contain inappropriate content."}}\n\n'
)


class Pieces(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body delivered in the given pieces; an exception among them is raised at that point."""

    def __init__(self, *pieces: bytes | Exception) -> None:
        self.pieces = pieces

    def __iter__(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, Exception):
                raise piece
            yield piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.__iter__():
            yield piece


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_engine, "INITIAL_RETRY_DELAY", 0.0)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def add_chat(httpx_mock: HTTPXMock) -> None:
    body = {"success": True, "request_id": "q", "data": {"id": CHAT_ID}}
    httpx_mock.add_response(method="POST", url=f"{BASE}/api/v2/chats/new", json=body)


def add_stream(httpx_mock: HTTPXMock, *pieces: bytes | Exception) -> None:
    httpx_mock.add_response(
        method="POST",
        url=COMPLETIONS,
        headers={"content-type": "text/event-stream; charset=utf-8"},
        stream=Pieces(*pieces),
    )


def stream_answer(mode: str, max_retries: int = 2) -> tuple[list[str], BaseException | None]:
    """Stream one answer; returns the contents handed out and the error that ended it, if any."""
    received: list[str] = []
    kwargs: dict[str, Any] = {"api_key": "tok", "base_url": BASE, "max_retries": max_retries}
    messages = [{"role": "user", "content": "hi"}]
    if mode == "sync":
        with Qwen(**kwargs) as client:
            try:
                for chunk in client.chat.create(messages, model="qwen3.7-plus", stream=True):
                    received.append(chunk.choices[0].delta.content)
            except exc.QwenAPIError as error:
                return received, error
        return received, None

    async def main() -> BaseException | None:
        async with Qwen(**kwargs) as client:
            try:
                async for chunk in await client.chat.acreate(messages, model="qwen3.7-plus", stream=True):
                    received.append(chunk.choices[0].delta.content)
            except exc.QwenAPIError as error:
                return error
        return None

    return received, asyncio.run(main())


def completion_requests(httpx_mock: HTTPXMock) -> int:
    return len(httpx_mock.get_requests(url=COMPLETIONS))


def test_connection_lost_before_the_first_chunk_starts_over(mode: str, httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED, httpx.ReadError("connection reset"))
    add_stream(httpx_mock, CREATED, answer("Hello"), answer(" there"), FINISHED)
    received, error = stream_answer(mode)
    assert error is None
    assert "".join(received) == "Hello there"
    assert completion_requests(httpx_mock) == 2


def test_retryable_error_event_before_the_first_chunk_starts_over(mode: str, httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED + INTERNAL_ERROR)
    add_stream(httpx_mock, CREATED + answer("ok") + FINISHED)
    received, error = stream_answer(mode)
    assert error is None and received == ["ok", ""]
    assert completion_requests(httpx_mock) == 2


def test_failures_before_the_first_chunk_use_up_the_retries(mode: str, httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    for _ in range(2):
        add_stream(httpx_mock, CREATED, httpx.ReadError("connection reset"))
    received, error = stream_answer(mode, max_retries=1)
    assert type(error) is exc.QwenConnectionError
    assert received == [] and error.partial_content is None
    assert completion_requests(httpx_mock) == 2


def test_connection_lost_after_the_first_chunk_is_not_retried(mode: str, httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED, answer("Hel"), answer("lo"), httpx.ReadError("connection reset"))
    received, error = stream_answer(mode)
    assert type(error) is exc.QwenStreamInterruptedError
    assert received == ["Hel", "lo"] and error.partial_content == "Hello"
    assert completion_requests(httpx_mock) == 1


@pytest.mark.parametrize("event", [INTERNAL_ERROR, CONTENT_FILTER], ids=["retryable", "final"])
def test_error_in_the_same_read_as_the_first_chunks_comes_after_them(
    event: bytes, mode: str, httpx_mock: HTTPXMock
) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED + answer("Hel") + answer("lo") + event)
    received, error = stream_answer(mode)
    assert isinstance(error, exc.QwenAPIError)
    assert received == ["Hel", "lo"] and error.partial_content == "Hello"
    assert completion_requests(httpx_mock) == 1


def test_a_stream_that_ends_before_any_chunk_is_retried_as_cut_short(mode: str, httpx_mock: HTTPXMock) -> None:
    # No end-of-answer marker: the body was cut short (issue 16), and nothing was handed out yet.
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED)
    add_stream(httpx_mock, CREATED, answer("Hi"), FINISHED)
    received, error = stream_answer(mode)
    assert error is None and received == ["Hi", ""]
    assert completion_requests(httpx_mock) == 2


def test_a_finished_stream_without_chunks_is_empty_not_an_error(mode: str, httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED + b'data: {"response.stopped":{"response_id":"r-1"}}\n\n')
    received, error = stream_answer(mode)
    assert error is None and received == []
    assert completion_requests(httpx_mock) == 1


def test_the_call_returns_holding_the_first_chunk(httpx_mock: HTTPXMock) -> None:
    add_chat(httpx_mock)
    add_stream(httpx_mock, CREATED, answer("first"), answer(" second"), FINISHED)
    with Qwen(api_key="tok", base_url=BASE) as client:
        stream = client.chat.create([{"role": "user", "content": "hi"}], model="qwen3.7-plus", stream=True)
        assert stream.text == "first" and stream.response_id == "r-1" and not stream.closed
        assert [c.choices[0].delta.content for c in stream] == ["first", " second", ""]
        assert stream.finished and stream.closed
