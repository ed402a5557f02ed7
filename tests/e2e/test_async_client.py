"""``AsyncQwen`` end to end: the main scenarios over a real socket against the local server.

Each test runs in one ``asyncio.run`` with one ``AsyncQwen``, as an async program would.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from qwen_api import AsyncConversation, AsyncQwen, AsyncStream, QwenClientClosedError, QwenNotFoundError
from qwen_api.testing import RunningServer, expected_answer
from qwen_api.types.chat import ChatMessage, ImageBlock, TextBlock

from .conftest import TOKEN
from .test_upload import png_bytes

T = TypeVar("T")
QUESTION = [{"role": "user", "content": "What is the weather in Paris?"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
CALL_PARIS = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'


def run(server: RunningServer, scenario: Callable[[AsyncQwen], Awaitable[T]]) -> T:
    async def main() -> T:
        async with AsyncQwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10) as client:
            return await scenario(client)

    return asyncio.run(main())


def test_chat_whole_and_streamed(server: RunningServer) -> None:
    async def scenario(client: AsyncQwen) -> None:
        response = await client.chat.create([{"role": "user", "content": "Hello"}])
        assert response.choices[0].message.content == expected_answer("Hello")
        stream = await client.chat.create([{"role": "user", "content": "Write a story"}], stream=True)
        assert isinstance(stream, AsyncStream)
        chunks = [chunk async for chunk in stream]
        assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("Write a story")
        assert stream.finished

    run(server, scenario)


def test_completion_whole_and_streamed(server: RunningServer) -> None:
    async def scenario(client: AsyncQwen) -> None:
        response = await client.completion.create(model="qwen-max", prompt="Hi there")
        assert response.choices[0].text == expected_answer("Hi there")
        stream = await client.completion.create(model="qwen-max", prompt="Write a story", stream=True)
        text = "".join([c.choices[0].delta.content async for c in stream])
        assert text == expected_answer("Write a story")

    run(server, scenario)


@pytest.mark.parametrize("stream", [False, True])
def test_a_tool_call(server: RunningServer, stream: bool) -> None:
    server.state.scripted.clear()
    server.script("Let me check.\n" + CALL_PARIS)

    async def scenario(client: AsyncQwen) -> Any:
        if not stream:
            return await client.chat.create(QUESTION, tools=[WEATHER])
        answer = await client.chat.create(QUESTION, tools=[WEATHER], stream=True)
        async for _ in answer:
            pass
        return answer.final_response()

    response = run(server, scenario)
    assert not server.state.scripted
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content == "Let me check."
    (tool_call,) = choice.message.tool_calls or []
    assert tool_call.function.name == "get_weather"
    assert json.loads(tool_call.function.arguments) == {"city": "Paris"}


def test_upload_then_chat_with_the_image(server: RunningServer, tmp_path: Path) -> None:
    image = tmp_path / "photo.png"
    image.write_bytes(png_bytes())

    async def scenario(client: AsyncQwen) -> None:
        picture = await client.chat.upload_file(file_path=image)
        assert (picture.file_type, picture.mimetype) == ("image", "image/png")
        assert server.state.uploads[picture.file_path].verdict == "ok"
        message = ChatMessage(role="user", blocks=[TextBlock(text="describe"), ImageBlock(url=picture.file_url)])
        response = await client.chat.create([message])
        assert response.choices[0].message.content == expected_answer("describe")
        assert server.state.requests[-1].json["messages"][0]["files"][0]["file_class"] == "vision"

    run(server, scenario)


def test_models_images_account_and_conversations(server: RunningServer) -> None:
    async def scenario(client: AsyncQwen) -> None:
        models = await client.models.list()
        assert len(models) >= 3
        assert (await client.models.retrieve("qwen-max-latest")).id in {m.id for m in models}
        images = await client.images.generate("a panda", size="16:9")
        assert images.data and images.data[0].url.startswith("http")
        account = await client.account.retrieve()
        assert account.id and account.email
        conversation = await client.chats.new(model="qwen3.7-plus")
        first = await conversation.asend("one")
        assert first.choices[0].message.content == expected_answer("one")
        assert conversation.chat_id in {c.id async for c in client.chats.list()}
        detail = await client.chats.get(conversation.chat_id)
        assert [m.role for m in detail.messages] == ["user", "assistant"]
        assert await client.chats.delete(conversation.chat_id) is True
        with pytest.raises(QwenNotFoundError):
            await client.chats.get(conversation.chat_id)

    run(server, scenario)


def test_a_conversation_of_the_async_client_is_awaited(server: RunningServer) -> None:
    """``chats.new()`` / ``resume()`` of ``AsyncQwen`` hand out an ``AsyncConversation``: the sync
    ``Conversation.send`` they gave before blocked the loop, sent the turn, then failed the ``await``."""

    async def scenario(client: AsyncQwen) -> None:
        conversation = await client.chats.new(model="qwen3.7-plus")
        assert isinstance(conversation, AsyncConversation) and conversation.parent_id is None
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        running = asyncio.ensure_future(ticker())
        first = await conversation.send("one")
        running.cancel()
        assert ticks > 0  # the loop kept running while the turn was sent
        assert first.choices[0].message.content == expected_answer("one")
        assert conversation.parent_id == first.id
        async with await conversation.send("two", stream=True) as stream:
            assert "".join([c.choices[0].delta.content or "" async for c in stream]) == expected_answer("two")
        again = client.chats.resume(conversation.chat_id, model="qwen3.7-plus", parent_id=conversation.parent_id)
        assert isinstance(again, AsyncConversation) and again.chat_id == conversation.chat_id
        third = await again.asend("three")  # the Conversation names work too
        assert third.choices[0].message.content == expected_answer("three")
        assert [t.requested_parent_id for t in server.state.chats[conversation.chat_id].turns][1:] == [
            first.id,
            server.state.chats[conversation.chat_id].turns[1].response_id,
        ]
        assert repr(conversation).startswith("AsyncConversation(chat_id=")
        assert await conversation.delete() is True
        with pytest.raises(QwenNotFoundError):
            await again.send("four")

    run(server, scenario)


def test_request_options_and_with_options(server: RunningServer) -> None:
    async def scenario(client: AsyncQwen) -> None:
        await client.chat.create(
            [{"role": "user", "content": "Hi"}], extra_headers={"X-Trace": "abc"}, extra_query={"trace": "1"}
        )
        sent = server.state.requests_to("/api/v2/chat/completions")[-1]
        assert sent.headers["x-trace"] == "abc" and sent.query["trace"] == "1"
        tagged = client.with_options(default_headers={"X-Tag": "copy"}, timeout=5)
        assert isinstance(tagged, AsyncQwen) and tagged.timeout == 5 and client.timeout == 10
        await tagged.models.list()
        assert server.state.requests_to("/api/v2/models/")[-1].headers["x-tag"] == "copy"
        await tagged.aclose()  # a copy's close leaves the shared pool alone
        await client.models.list()

    run(server, scenario)


def test_one_pool_and_closing(server: RunningServer) -> None:
    async def main() -> None:
        client = AsyncQwen(api_key=TOKEN, base_url=server.url, max_retries=0)
        await client.models.list()
        await client.chat.create([{"role": "user", "content": "Hi"}])
        pool = client._core._async_client
        assert pool is not None and not pool.is_closed
        await client.close()
        assert pool.is_closed
        with pytest.raises(QwenClientClosedError):
            await client.models.list()

    asyncio.run(main())


def test_a_given_http_client_is_used_and_left_open(server: RunningServer) -> None:
    async def main() -> None:
        async with httpx.AsyncClient() as http:
            async with AsyncQwen(api_key=TOKEN, base_url=server.url, http_client=http) as client:
                await client.models.list()
            assert not http.is_closed

    asyncio.run(main())
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        AsyncQwen(api_key=TOKEN, http_client=httpx.Client())  # type: ignore[arg-type]
    assert "api_key=<redacted>" in repr(AsyncQwen(api_key=TOKEN)) and TOKEN not in repr(AsyncQwen(api_key=TOKEN))


def test_one_client_across_successive_asyncio_runs(server: RunningServer) -> None:
    """Each ``asyncio.run`` closes the pool made on its loop; the next run makes a fresh one."""
    client = AsyncQwen(api_key=TOKEN, base_url=server.url, max_retries=0)

    async def ask(text: str) -> str | None:
        response = await client.chat.create([{"role": "user", "content": text}])
        return response.choices[0].message.content

    pools = []
    for text in ("one", "two", "three"):
        assert asyncio.run(ask(text)) == expected_answer(text)
        pools.append(client._core._async_client)
    assert len({id(pool) for pool in pools}) == 3 and all(pool is not None and pool.is_closed for pool in pools)
    asyncio.run(client.aclose())


def test_a_second_live_loop_is_refused_clearly(server: RunningServer) -> None:
    client = AsyncQwen(api_key=TOKEN, base_url=server.url, max_retries=0)
    first = asyncio.new_event_loop()
    try:
        first.run_until_complete(client.models.list())
        with pytest.raises(RuntimeError, match="one AsyncQwen per event loop"):
            asyncio.run(client.models.list())
        first.run_until_complete(client.aclose())
    finally:
        first.close()


def test_with_raw_response(server: RunningServer) -> None:
    async def scenario(client: AsyncQwen) -> None:
        raw = await client.chat.with_raw_response.create([{"role": "user", "content": "Hi"}])
        assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/event-stream")
        assert raw.parse().choices[0].message.content == expected_answer("Hi")
        models = await client.models.with_raw_response.list()
        assert models.status_code == 200 and len(models.parse()) >= 3

    run(server, scenario)
