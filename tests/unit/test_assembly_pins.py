"""What the assembled answer holds, field by field (issue 21: fields no test checked).

Reasoning may arrive in any phase the service has used (``think``, ``thinking_summary``,
``reasoning``, ``thinking``), search results and image URLs in their own phases, unknown phases
beside them, tool-call fields on the deltas of those phases; the final response and the chunks must
carry each in its own place, through the public client, sync and async, stream and not.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from qwen_api import Qwen
from qwen_api.types.chat import ChatResponse

BASE = "https://chat.example.test"
CHAT_ID = "0b8f2a52-8f0e-4c8e-9a55-2a7f8d8b6c01"


def event(payload: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def delta(phase: str, content: str = "", status: str = "typing", **fields: Any) -> bytes:
    body = {"role": "assistant", "content": content, "phase": phase, "status": status, **fields}
    return event({"choices": [{"delta": body}], "response_id": "r-9"})


CREATED = event({"response.created": {"chat_id": CHAT_ID, "parent_id": "p-3", "response_id": "r-9"}})
USAGE = {"input_tokens": 3, "output_tokens": 7, "total_tokens": 10}
FINISHED = event(
    {
        "choices": [{"delta": {"role": "assistant", "content": "", "phase": "answer", "status": "finished"}}],
        "response_id": "r-9",
        "usage": USAGE,
    }
)


def run(httpx_mock: HTTPXMock, mode: str, body: bytes, *, stream: bool) -> tuple[ChatResponse, list[Any]]:
    httpx_mock.add_response(
        method="POST", url=f"{BASE}/api/v2/chats/new", json={"success": True, "data": {"id": CHAT_ID}}
    )
    httpx_mock.add_response(
        method="POST", url=f"{BASE}/api/v2/chat/completions?chat_id={CHAT_ID}", content=body,
        headers={"content-type": "text/event-stream"},
    )  # fmt: skip
    messages = [{"role": "user", "content": "hi"}]
    with Qwen(api_key="unit-token", base_url=BASE, max_retries=0) as client:
        if mode == "sync":
            if not stream:
                return client.chat.create(messages=messages, model="qwen3.7-max"), []
            with client.chat.create(messages=messages, model="qwen3.7-max", stream=True) as chunks:
                collected = list(chunks)
                return chunks.final_response(), collected

        async def go() -> tuple[ChatResponse, list[Any]]:
            if not stream:
                return await client.chat.acreate(messages=messages, model="qwen3.7-max"), []
            async with await client.chat.acreate(messages=messages, model="qwen3.7-max", stream=True) as achunks:
                collected = [chunk async for chunk in achunks]
                return achunks.final_response(), collected

        return asyncio.run(go())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=[False, True], ids=["whole", "stream"])
def stream(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.mark.parametrize("phase", ["think", "thinking_summary", "reasoning", "thinking"])
def test_reasoning_in_any_reasoning_phase_is_reasoning_not_content(
    httpx_mock: HTTPXMock, mode: str, stream: bool, phase: str
) -> None:
    body = CREATED + delta(phase, "First, ") + delta(phase, "think.") + delta("answer", "Answer.") + FINISHED
    response, chunks = run(httpx_mock, mode, body, stream=stream)
    message = response.choices[0].message
    assert message.reasoning_content == "First, think."
    assert message.content == "Answer."
    if stream:
        reasoning = [c.choices[0].delta.reasoning_content for c in chunks if c.choices[0].delta.reasoning_content]
        assert reasoning == ["First, ", "think."]
        assert "".join(c.choices[0].delta.content for c in chunks) == "Answer."


def test_a_thinking_summary_is_rendered_title_then_thought(httpx_mock: HTTPXMock, mode: str, stream: bool) -> None:
    summary = {"summary_title": ["Reading"], "summary_thought": ["The user said hi."]}
    body = CREATED + delta("thinking_summary", extra=summary) + delta("answer", "Hello.") + FINISHED
    response, _ = run(httpx_mock, mode, body, stream=stream)
    assert response.choices[0].message.reasoning_content == "Reading\nThe user said hi."


def test_ids_usage_and_model_of_the_assembled_answer(httpx_mock: HTTPXMock, mode: str, stream: bool) -> None:
    response, _ = run(httpx_mock, mode, CREATED + delta("answer", "Hi.") + FINISHED, stream=stream)
    assert (response.id, response.response_id, response.chat_id, response.parent_id) == ("r-9", "r-9", CHAT_ID, "p-3")
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens) == (3, 7, 10)
    assert response.choices[0].finish_reason == "stop"
    assert response.model == "qwen3.7-max"


def test_search_results_images_and_unknown_phases_each_keep_their_place(
    httpx_mock: HTTPXMock, mode: str, stream: bool
) -> None:
    source = {"url": "https://example.org/a", "title": "A", "snippet": "s", "hostname": "example.org"}
    body = (
        CREATED
        + delta("web_search", extra={"web_search_info": [source]})
        + delta("image_gen", "https://cdn.example/img.png", extra={"output_image_hw": [[64, 32]]})
        + delta("future_phase", "kept")
        + delta("answer", "Done.")
        + FINISHED
    )
    response, chunks = run(httpx_mock, mode, body, stream=stream)
    message = response.choices[0].message
    assert message.content == "Done."
    assert [(s.url, s.title, s.hostname) for s in message.web_search_info] == [
        ("https://example.org/a", "A", "example.org")
    ]
    assert response.choices[0].extra is not None
    assert [s.url for s in response.choices[0].extra.web_search_info] == ["https://example.org/a"]
    assert message.images == ["https://cdn.example/img.png"]
    assert response.phases == {"future_phase": "kept"}
    if stream:
        phases = [c.choices[0].delta.phase for c in chunks]
        assert phases[:4] == ["web_search", "image_gen", "future_phase", "answer"]
        image_chunk = chunks[1].choices[0].delta
        assert image_chunk.extra is not None and image_chunk.extra.output_image_hw == [[64, 32]]
        assert image_chunk.content == "https://cdn.example/img.png"


def test_tool_call_fields_of_a_non_answer_delta_reach_the_chunk(httpx_mock: HTTPXMock, mode: str) -> None:
    call = {"name": "web_search", "arguments": '{"q": "hi"}'}
    fields = {"role": "function", "name": "web_search", "function_call": call, "function_id": "f-1"}
    body = CREATED + delta("web_search", **fields) + delta("answer", "Done.") + FINISHED
    response, chunks = run(httpx_mock, mode, body, stream=True)
    tool = chunks[0].choices[0].delta
    assert (tool.role, tool.phase, tool.name, tool.function_id) == ("function", "web_search", "web_search", "f-1")
    assert tool.function_call is not None
    assert (tool.function_call.name, tool.function_call.arguments) == ("web_search", '{"q": "hi"}')
    assert tool.raw["function_id"] == "f-1"
    answer_delta = chunks[1].choices[0].delta
    assert (answer_delta.role, answer_delta.name, answer_delta.function_call) == ("assistant", None, None)
    assert [c.choices[0].finish_reason for c in chunks] == [None, None, "stop"]
    assert [(c.response_id, c.chat_id, c.model) for c in chunks] == [("r-9", CHAT_ID, "qwen3.7-max")] * 3
    assert response.choices[0].message.content == "Done."


class OneEventPerRead(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The body handed over one event per read, so an open stream has not yet seen its end."""

    def __init__(self, body: bytes) -> None:
        self.events = [block + b"\n\n" for block in body.split(b"\n\n") if block]

    def __iter__(self) -> Iterator[bytes]:
        yield from self.events

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for event in self.events:
            yield event


def test_a_stream_is_finished_only_once_its_last_event_arrived(httpx_mock: HTTPXMock, mode: str) -> None:
    httpx_mock.add_response(
        method="POST", url=f"{BASE}/api/v2/chats/new", json={"success": True, "data": {"id": CHAT_ID}}
    )
    httpx_mock.add_response(
        method="POST", url=f"{BASE}/api/v2/chat/completions?chat_id={CHAT_ID}",
        stream=OneEventPerRead(CREATED + delta("answer", "A") + delta("answer", "B") + FINISHED),
        headers={"content-type": "text/event-stream"},
    )  # fmt: skip
    messages = [{"role": "user", "content": "hi"}]
    with Qwen(api_key="unit-token", base_url=BASE, max_retries=0) as client:
        if mode == "sync":
            with client.chat.create(messages=messages, model="qwen3.7-max", stream=True) as chunks:
                before = chunks.finished
                texts = [c.choices[0].delta.content for c in chunks]
                after, completion = chunks.finished, chunks.final_completion()
        else:

            async def go() -> tuple[bool, list[str], bool, Any]:
                async with await client.chat.acreate(messages=messages, model="qwen3.7-max", stream=True) as achunks:
                    before = achunks.finished
                    texts = [c.choices[0].delta.content async for c in achunks]
                    return before, texts, achunks.finished, achunks.final_completion()

            before, texts, after, completion = asyncio.run(go())
    assert (before, after) == (False, True)  # booleans both, not merely falsy and truthy
    assert texts == ["A", "B", ""]
    (choice,) = completion.choices
    assert (choice.text, choice.finish_reason, completion.id, completion.chat_id) == ("AB", "stop", "r-9", CHAT_ID)
