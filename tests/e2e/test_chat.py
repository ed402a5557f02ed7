"""The documented chat and completion calls against the local server over a socket, sync and async."""

from __future__ import annotations

import asyncio

import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenNotFoundError, StreamConsumedError
from qwen_api.testing import (
    RunningServer,
    ServerConfig,
    expected_answer,
    expected_reasoning,
    serve,
    thinking_paragraphs,
)
from qwen_api.types.chat import ChatMessage
from tests.e2e.conftest import TOKEN, busy_connections, call


def test_completion_non_stream(mode: str, client: Qwen) -> None:
    response = call(mode, client, "completion.create", model="qwen-max", prompt="Hello, how can I help you today?")
    assert response.choices[0].text == expected_answer("Hello, how can I help you today?")
    assert response.usage is not None and response.usage.output_tokens
    assert response.chat_id and response.id


def test_completion_stream(mode: str, client: Qwen) -> None:
    chunks, stream = call(mode, client, "completion.create", model="qwen-max", prompt="Write a story", stream=True)
    assert len(chunks) > 2
    assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("Write a story")
    assert stream.finished and stream.chat_id and stream.response_id
    assert stream.final_completion().choices[0].text == expected_answer("Write a story")
    assert busy_connections(client) == 0


def test_chat_with_history_keeps_roles(mode: str, client: Qwen, server: RunningServer) -> None:
    messages = [
        ChatMessage(role="system", content="Be brief."),
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        ChatMessage(role="user", content="What is the capital of Indonesia?"),
    ]
    response = call(mode, client, "chat.create", messages=messages, model="qwen-max-latest")
    transcript = "[system]\nBe brief.\n\n[user]\nHi\n\n[assistant]\nHello!\n\n[user]\nWhat is the capital of Indonesia?"
    assert response.choices[0].message.content == expected_answer(transcript)
    sent = [r for r in server.state.requests if r.path == "/api/v2/chat/completions"][-1]
    assert sent.json["model"] != "qwen-max-latest"  # the alias resolved to a listed model
    assert (
        sent.json["model"] in {m["id"] for m in server.state.models_listed}
        if hasattr(server.state, "models_listed")
        else True
    )


def test_thinking_stream_keeps_reasoning_apart(mode: str, client: Qwen) -> None:
    prompt = "Why is the sky blue?"
    chunks, stream = call(
        mode, client, "chat.create", [{"role": "user", "content": prompt}], stream=True, thinking=True
    )
    reasoning = "".join(c.choices[0].delta.reasoning_content or "" for c in chunks)
    answer = "".join(c.choices[0].delta.content for c in chunks)
    thoughts = [thought for _, thought in thinking_paragraphs(prompt)]
    assert reasoning == expected_reasoning(prompt)
    assert answer == expected_answer(prompt)
    assert not any(part in answer for part in thoughts)
    final = stream.final_response()
    assert final.choices[0].message.reasoning_content == reasoning
    assert final.choices[0].message.content == answer


def test_web_search_results(mode: str, client: Qwen) -> None:
    chunks, stream = call(
        mode, client, "chat.create", [ChatMessage(role="user", content="news?", web_search=True)], stream=True
    )
    with_results = [
        c for c in chunks if "extra" in c.choices[0].delta and "web_search_info" in c.choices[0].delta.extra
    ]
    assert with_results, "the documented 'extra' in delta test finds the search results"
    sources = stream.final_response().choices[0].message.web_search_info
    assert sources and all(s.url and s.title for s in sources)
    assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("news?", search=True)


@pytest.fixture
def slow_client(server: RunningServer) -> Qwen:
    """Answers arrive over ~1 s, so a stream is still open when the test stops reading."""
    headers = {"x-qwen-mock-delay": "0.05", "x-qwen-mock-chunk-size": "2"}
    return Qwen(api_key="t-123456", base_url=server.url, max_retries=0, default_headers=headers)


def test_early_break_and_close_release_the_connection(slow_client: Qwen) -> None:
    client = slow_client
    stream = client.completion.create(model="m", prompt="x" * 50, stream=True)
    for _ in stream:
        break
    assert busy_connections(client) == 1
    stream.close()
    assert busy_connections(client) == 0
    with client.completion.create(model="m", prompt="y", stream=True) as second:
        next(iter(second))
    assert busy_connections(client) == 0
    third = client.completion.create(model="m", prompt="z", stream=True)
    next(third)
    del third
    assert busy_connections(client) == 0


def test_async_early_break_and_aclose(slow_client: Qwen) -> None:
    client = slow_client

    async def run() -> None:
        stream = await client.completion.acreate(model="m", prompt="x" * 50, stream=True)
        async for _ in stream:
            break
        assert busy_connections(client) == 1
        await stream.aclose()
        assert busy_connections(client) == 0
        async with await client.completion.acreate(model="m", prompt="y", stream=True) as second:
            await second.__anext__()
        assert busy_connections(client) == 0

    asyncio.run(run())


def test_a_stream_is_read_once(client: Qwen) -> None:
    stream = client.completion.create(model="m", prompt="once", stream=True)
    assert "".join(c.choices[0].delta.content for c in stream) == expected_answer("once")
    with pytest.raises(StreamConsumedError):
        list(stream)


def test_three_turn_conversation_and_deleted_chat(mode: str, client: Qwen, server: RunningServer) -> None:
    conversation = call(mode, client, "chats.new", model="qwen3.7-plus")
    response_ids = []
    for index, text in enumerate(["one", "two", "three"]):
        if mode == "sync":
            response = conversation.send(text)
        else:
            response = asyncio.run(conversation.asend(text))
        assert response.choices[0].message.content == expected_answer(text)
        response_ids.append(response.id)
        assert conversation.parent_id == response.id, f"turn {index}"
    turns = server.state.chats[conversation.chat_id].turns
    assert [t.requested_parent_id for t in turns] == [None, *response_ids[:2]]
    detail = call(mode, client, "chats.get", conversation.chat_id)
    assert [m.role for m in detail.messages] == ["user", "assistant"] * 3
    assert call(mode, client, "chats.delete", conversation.chat_id) is True
    with pytest.raises(QwenNotFoundError):
        call(mode, client, "chats.get", conversation.chat_id)
    with pytest.raises(QwenNotFoundError):
        if mode == "sync":
            conversation.send("four")
        else:
            asyncio.run(conversation.asend("four"))


def test_a_conversation_turn_takes_temperature_and_max_tokens(mode: str, client: Qwen, server: RunningServer) -> None:
    conversation = call(mode, client, "chats.new", model="qwen3.7-plus")
    for text, options in (("one", {"temperature": 0.4, "max_tokens": 30}), ("two", {})):
        if mode == "sync":
            conversation.send(text, **options)
        else:
            asyncio.run(conversation.asend(text, **options))
        sent = server.state.requests_to("/api/v2/chat/completions")[-1].json
        expected = (options.get("temperature"), options.get("max_tokens"))
        assert (sent.get("temperature"), sent.get("max_tokens")) == expected
    with pytest.raises(ValueError, match="temperature"):
        conversation.send("three", temperature=9)


def test_chats_list_pages(mode: str, client: Qwen) -> None:
    created = {call(mode, client, "chats.new", model="qwen3.7-plus").chat_id for _ in range(3)}
    if mode == "sync":
        listed = {c.id for c in client.chats.list()}
    else:

        async def collect() -> set[str]:
            return {c.id async for c in client.chats.alist()}

        listed = asyncio.run(collect())
    assert created <= listed


def test_models_and_aliases(mode: str, client: Qwen) -> None:
    models = call(mode, client, "models.list")
    ids = [m.id for m in models]
    assert len(ids) >= 3 and all(isinstance(m.capabilities.vision, bool) for m in models)
    resolved = call(mode, client, "models.retrieve", "qwen-max-latest")
    assert resolved.id in ids and "max" in resolved.id
    with pytest.raises(QwenNotFoundError):
        call(mode, client, "models.retrieve", "no-such-model")


def test_image_generation(mode: str, client: Qwen) -> None:
    result = call(mode, client, "images.generate", prompt="a panda", size="16:9")
    assert result.data and all(image.url.startswith("http") for image in result.data)
    assert all(image.width and image.height for image in result.data)


def test_account(mode: str, client: Qwen) -> None:
    account = call(mode, client, "account.retrieve")
    assert account.id and account.email
    assert "token" not in account.raw


def test_completion_response_names_its_response_id(client: Qwen) -> None:
    response = client.completion.create(model="qwen3.7-plus", prompt="which answer is this?")
    assert response.response_id is not None and response.response_id == response.id
    assert response.chat_id is not None


def test_an_unavailable_model_list_falls_back_then_is_asked_again(
    mode: str, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Aliases use the fallback table while the list fails; the list is not asked for on every call,
    and once the retry delay has passed a working list is used again."""
    from qwen_api import _aliases
    from qwen_api.resources.models import ModelCache

    models_path = "/api/v2/models/"
    rule = server.add_fault("http_503", times=1, path=models_path)
    try:
        with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10) as client:
            for _ in range(2):
                call(mode, client, "chat.create", [{"role": "user", "content": "alias"}], model="qwen-max-latest")
                sent = [r for r in server.state.requests if r.path == "/api/v2/chat/completions"][-1]
                assert sent.json["model"] == _aliases.FALLBACK["qwen-max-latest"]
            assert server.state.attempts[rule.key] == 1  # failed once, not asked again at once
            monkeypatch.setattr(ModelCache, "RETRY_AFTER", 0.0)
            call(mode, client, "chat.create", [{"role": "user", "content": "alias"}], model="qwen-max-latest")
            assert client._model_cache.models is not None  # fetched again, and it worked
    finally:
        server.state.fault_rules.remove(rule)


def test_chats_list_fetches_the_next_page_as_iteration_reaches_it(mode: str) -> None:
    with serve(ServerConfig(page_size=2)) as paged:
        with Qwen(api_key=TOKEN, base_url=paged.url, max_retries=0) as client:
            created = [client.chats.new(model="qwen3.7-plus").chat_id for _ in range(5)]
            if mode == "sync":
                listing = client.chats.list()
                first = next(listing)
                assert [r.query.get("page") for r in paged.state.requests_to("/api/v2/chats/")] == ["1"]
                listed = [first.id, *(chat.id for chat in listing)]
            else:

                async def collect() -> list[str]:
                    return [chat.id async for chat in client.chats.alist()]

                listed = asyncio.run(collect())
            only_second = [chat.id for chat in client.chats.list(page=2)]
        pages = [r.query.get("page") for r in paged.state.requests_to("/api/v2/chats/")]
    assert listed == created[::-1]  # newest first, every chat exactly once
    assert pages[-1] == "2" and pages[:-1] == ["1", "2", "3", "4"][: len(pages) - 1]
    assert only_second == listed[2:4]
