"""End-to-end fixtures: the local server over a real socket, scripted to answer like a model with tools."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api.testing import RunningServer, serve
from qwen_api.types import ChatResponse, ChatResponseStream

TOKEN = "tools-test-token-1234567890"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.fixture
def scripted(server: RunningServer) -> Iterator[RunningServer]:
    """The server with an empty script queue (and nothing left over for the next test)."""
    server.state.scripted.clear()
    yield server
    leftover = list(server.state.scripted)
    server.state.scripted.clear()
    assert not leftover, f"scripted answers were not used: {leftover}"


@pytest.fixture
def client(server: RunningServer) -> Iterator[Qwen]:
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10) as qwen:
        yield qwen


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=[False, True], ids=["whole", "stream"])
def stream(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def ask(
    mode: str, client: Qwen, stream: bool, messages: Any, **kwargs: Any
) -> tuple[ChatResponse, list[ChatResponseStream]]:
    """One chat call in either mode; a stream is read to the end and its final response returned too."""
    if mode == "sync":
        if stream:
            result = client.chat.create(messages, stream=True, **kwargs)
            chunks = list(result)
            return result.final_response(), chunks
        return client.chat.create(messages, **kwargs), []

    async def run() -> tuple[ChatResponse, list[ChatResponseStream]]:
        if stream:
            result = await client.chat.acreate(messages, stream=True, **kwargs)
            chunks = [chunk async for chunk in result]
            return result.final_response(), chunks
        return await client.chat.acreate(messages, **kwargs), []

    return asyncio.run(run())


def streamed_view(chunks: list[ChatResponseStream]) -> tuple[str, list[dict[str, Any]], str | None]:
    """What an OpenAI-style consumer assembles from the chunks: text, calls, last finish_reason."""
    text = ""
    calls: dict[int, dict[str, Any]] = {}
    finish = None
    for chunk in chunks:
        choice = chunk.choices[0]
        text += choice.delta.content or "" if choice.delta.phase in (None, "answer") else ""
        for delta in choice.delta.tool_calls or []:
            entry = calls.setdefault(delta.index, {"id": None, "name": "", "arguments": ""})
            entry["id"] = delta.id or entry["id"]
            if delta.function is not None:
                entry["name"] += delta.function.name or ""
                entry["arguments"] += delta.function.arguments or ""
        if choice.finish_reason is not None:
            finish = choice.finish_reason
    ordered = [calls[index] for index in sorted(calls)]
    for entry in ordered:
        entry["arguments"] = json.loads(entry["arguments"])
    return text, ordered, finish


def completion_prompts(server: RunningServer) -> list[str]:
    """The text of every completion request the server got, oldest first."""
    prompts = []
    for record in server.state.requests:
        if record.path == "/api/v2/chat/completions" and isinstance(record.json, dict):
            message = record.json["messages"][-1]
            prompts.append(message["content"] if isinstance(message["content"], str) else "")
    return prompts
