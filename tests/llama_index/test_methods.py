"""Every QwenLlamaIndex method, sync and async, against the local server over a real socket."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from qwen_api._streaming import AsyncStream, Stream
from qwen_api.core.exceptions import QwenAuthenticationError, QwenConnectionError
from qwen_api.llama_index import QwenLlamaIndex
from qwen_api.testing import expected_answer, expected_reasoning
from tests.llama_index.conftest import TOKEN

UNAUTHORIZED = {"x-qwen-mock-fault": "envelope_unauthorized"}
SLOW_AND_LONG = {"x-qwen-mock-delay": "0.05", "x-qwen-mock-answer-length": "400", "x-qwen-mock-chunk-size": "4"}


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.USER, content=text)]


def check_cumulative(texts: list[str], deltas: list[str | None], final: str) -> None:
    """LlamaIndex's streaming contract: ``delta`` is the new piece, the text is everything so far."""
    assert len(texts) > 1, "the answer should arrive in several pieces"
    so_far = ""
    for text, delta in zip(texts, deltas, strict=True):
        assert delta is not None
        so_far += delta
        assert text == so_far
    assert so_far == final


# -- chat ------------------------------------------------------------------------------------


def test_chat(llm: QwenLlamaIndex) -> None:
    response = llm.chat(user("What is the capital of France?"))
    assert response.message.role == MessageRole.ASSISTANT
    assert response.message.content == expected_answer("What is the capital of France?")
    assert response.additional_kwargs["chat_id"]
    assert response.additional_kwargs["total_tokens"] > 0
    assert "reasoning_content" not in response.additional_kwargs
    assert response.raw["choices"][0]["message"]["content"] == response.message.content


def test_chat_sends_the_history_as_one_transcript_turn(llm: QwenLlamaIndex) -> None:
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
        ChatMessage(role=MessageRole.USER, content="Hi"),
        ChatMessage(role=MessageRole.CHATBOT, content="Hello!"),
        ChatMessage(role=MessageRole.USER, content="Bye"),
    ]
    response = llm.chat(messages)
    transcript = "[system]\nBe brief.\n\n[user]\nHi\n\n[assistant]\nHello!\n\n[user]\nBye"
    assert response.message.content == expected_answer(transcript)


def test_stream_chat(llm: QwenLlamaIndex) -> None:
    prompt = "Stream a somewhat longer answer, please."
    responses = list(llm.stream_chat(user(prompt)))
    check_cumulative(
        [r.message.content or "" for r in responses], [r.delta for r in responses], expected_answer(prompt)
    )
    assert all(r.message.role == MessageRole.ASSISTANT for r in responses)
    assert responses[-1].additional_kwargs["chat_id"]


async def test_achat(llm: QwenLlamaIndex) -> None:
    response = await llm.achat(user("async chat"))
    assert response.message.content == expected_answer("async chat")


async def test_astream_chat(llm: QwenLlamaIndex) -> None:
    prompt = "async streamed chat with several chunks"
    responses = [r async for r in await llm.astream_chat(user(prompt))]
    check_cumulative(
        [r.message.content or "" for r in responses], [r.delta for r in responses], expected_answer(prompt)
    )


# -- completion ------------------------------------------------------------------------------


def test_complete(llm: QwenLlamaIndex) -> None:
    response = llm.complete("Complete this sentence")
    assert response.text == expected_answer("Complete this sentence")
    assert response.additional_kwargs["completion_tokens"] > 0


def test_stream_complete(llm: QwenLlamaIndex) -> None:
    prompt = "a completion streamed piece by piece"
    responses = list(llm.stream_complete(prompt))
    check_cumulative([r.text for r in responses], [r.delta for r in responses], expected_answer(prompt))


async def test_acomplete(llm: QwenLlamaIndex) -> None:
    response = await llm.acomplete("async completion")
    assert response.text == expected_answer("async completion")


async def test_acreate_is_the_documented_alias_of_acomplete(llm: QwenLlamaIndex) -> None:
    response = await llm.acreate("documented acreate")
    assert response.text == expected_answer("documented acreate")


async def test_astream_complete(llm: QwenLlamaIndex) -> None:
    prompt = "async completion streamed in pieces"
    responses = [r async for r in await llm.astream_complete(prompt)]
    check_cumulative([r.text for r in responses], [r.delta for r in responses], expected_answer(prompt))


async def test_async_methods_use_the_async_client_not_threads(
    llm: QwenLlamaIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an async method called the synchronous client")

    monkeypatch.setattr(llm.client.chat, "create", forbidden)
    monkeypatch.setattr(llm.client.completion, "create", forbidden)
    prompts = [f"concurrent {n}" for n in range(4)]
    answers = await asyncio.gather(
        llm.achat(user(prompts[0])),
        llm.acomplete(prompts[1]),
        _drain(await llm.astream_chat(user(prompts[2]))),
        _drain(await llm.astream_complete(prompts[3])),
    )
    assert [str(a.message.content if hasattr(a, "message") else a.text) for a in answers] == [
        expected_answer(p) for p in prompts
    ]


async def _drain(gen: Any) -> Any:
    last = None
    async for last in gen:
        pass
    return last


def test_completion_to_prompt_applies_unless_formatted(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    llm = make_llm(completion_to_prompt=lambda prompt: f"Q: {prompt}")
    assert llm.complete("raw").text == expected_answer("Q: raw")
    assert llm.complete("raw", formatted=True).text == expected_answer("raw")


# -- per-call options and reasoning ----------------------------------------------------------


def client_reasoning(llm: QwenLlamaIndex, prompt: str) -> str:
    """The reasoning text our client reports for ``prompt`` (the adapter passes it through unchanged)."""
    reasoning = llm.client.completion.create(prompt=prompt, thinking=True).choices[0].reasoning_content
    assert reasoning is not None
    for thought in expected_reasoning(prompt).split("\n\n"):  # the server's thoughts, in the client's layout
        assert thought in reasoning
    return reasoning


def test_reasoning_is_kept_out_of_the_answer(llm: QwenLlamaIndex) -> None:
    prompt = "think about this"
    reasoning = client_reasoning(llm, prompt)
    response = llm.chat(user(prompt), thinking=True)
    assert response.message.content == expected_answer(prompt)
    assert response.additional_kwargs["reasoning_content"] == reasoning

    completion = llm.complete(prompt, thinking=True)
    assert completion.text == expected_answer(prompt)
    assert completion.additional_kwargs["reasoning_content"] == reasoning


def test_streamed_reasoning_arrives_as_its_own_deltas(llm: QwenLlamaIndex) -> None:
    prompt = "think while streaming"
    reasoning = client_reasoning(llm, prompt)
    responses = list(llm.stream_chat(user(prompt), thinking=True))
    assert "".join(r.additional_kwargs.get("reasoning_delta", "") for r in responses) == reasoning
    assert responses[-1].additional_kwargs["reasoning_content"] == reasoning
    answer_responses = [r for r in responses if r.delta]
    check_cumulative(
        [r.message.content or "" for r in answer_responses],
        [r.delta for r in answer_responses],
        expected_answer(prompt),
    )
    assert all(r.message.content == "" for r in responses if "reasoning_delta" in r.additional_kwargs)


async def test_async_streamed_reasoning(llm: QwenLlamaIndex) -> None:
    prompt = "think asynchronously"
    reasoning = client_reasoning(llm, prompt)
    responses = [r async for r in await llm.astream_complete(prompt, thinking=True)]
    assert "".join(r.additional_kwargs.get("reasoning_delta", "") for r in responses) == reasoning
    assert responses[-1].text == expected_answer(prompt)


def test_per_call_options_reach_the_request(llm: QwenLlamaIndex, server: Any) -> None:
    before = len(server.state.requests)
    llm.chat(user("options"), temperature=0.2, max_tokens=64, model="qwen3-coder-plus")
    bodies = [r.json for r in server.state.requests[before:] if r.path == "/api/v2/chat/completions"]
    assert len(bodies) == 1
    body = bodies[0]
    sent = repr(body)
    assert "qwen3-coder-plus" in sent
    assert "0.2" in sent and "64" in sent


def test_unknown_call_option_is_a_type_error(llm: QwenLlamaIndex) -> None:
    with pytest.raises(TypeError, match="temprature"):
        llm.chat(user("typo"), temprature=0.1)
    with pytest.raises(TypeError, match="stop"):
        llm.complete("typo", stop=["\n"])


# -- errors ----------------------------------------------------------------------------------


def test_errors_surface_as_typed_exceptions(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    llm = make_llm(default_headers=UNAUTHORIZED)
    with pytest.raises(QwenAuthenticationError):
        llm.chat(user("hi"))
    with pytest.raises(QwenAuthenticationError):
        llm.complete("hi")
    with pytest.raises(QwenAuthenticationError):
        list(llm.stream_chat(user("hi")))
    with pytest.raises(QwenAuthenticationError):
        list(llm.stream_complete("hi"))


async def test_async_errors_surface_as_typed_exceptions(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    llm = make_llm(default_headers=UNAUTHORIZED)
    with pytest.raises(QwenAuthenticationError):
        await llm.achat(user("hi"))
    with pytest.raises(QwenAuthenticationError):
        await llm.acomplete("hi")
    with pytest.raises(QwenAuthenticationError):
        [r async for r in await llm.astream_chat(user("hi"))]
    with pytest.raises(QwenAuthenticationError):
        [r async for r in await llm.astream_complete("hi")]


def test_connection_errors_are_typed_too() -> None:
    llm = QwenLlamaIndex(auth_token="unreachable-token", base_url="http://127.0.0.1:9", max_retries=0, timeout=2)
    try:
        with pytest.raises(QwenConnectionError):
            llm.complete("hi")
    finally:
        llm.close()


def test_last_message_must_be_the_users(llm: QwenLlamaIndex) -> None:
    with pytest.raises(ValueError, match="must be 'user'"):
        llm.chat([*user("hi"), ChatMessage(role=MessageRole.ASSISTANT, content="prefill")])


# -- early stop releases the connection ------------------------------------------------------


@pytest.fixture
def closed_streams(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Streams (ours) as they get closed, with whether they had been read to the end."""
    seen: list[Any] = []
    close, aclose = Stream.close, AsyncStream.aclose

    def spy_close(self: Stream[Any]) -> None:
        seen.append((self, self.finished))
        close(self)

    async def spy_aclose(self: AsyncStream[Any]) -> None:
        seen.append((self, self.finished))
        await aclose(self)

    monkeypatch.setattr(Stream, "close", spy_close)
    monkeypatch.setattr(AsyncStream, "aclose", spy_aclose)
    return seen


def test_breaking_out_of_stream_chat_closes_our_stream(
    make_llm: Callable[..., QwenLlamaIndex], closed_streams: list[Any]
) -> None:
    llm = make_llm(default_headers=SLOW_AND_LONG)
    gen = llm.stream_chat(user("a long answer"))
    first = next(gen)
    assert first.delta
    assert not closed_streams
    gen.close()
    assert closed_streams, "closing the LlamaIndex generator must close the Qwen stream"
    stream, finished = closed_streams[0]
    assert stream.closed and not finished


def test_breaking_out_of_stream_complete_closes_our_stream(
    make_llm: Callable[..., QwenLlamaIndex], closed_streams: list[Any]
) -> None:
    llm = make_llm(default_headers=SLOW_AND_LONG)
    for response in llm.stream_complete("a long answer"):
        assert response.delta
        break
    del response  # the loop's generator is gone now; CPython finalises it at once
    assert closed_streams and closed_streams[0][0].closed and not closed_streams[0][1]


async def _wait_closed(seen: list[Any]) -> None:
    for _ in range(100):
        if seen:
            return
        await asyncio.sleep(0.01)


async def test_breaking_out_of_astream_chat_closes_our_stream(
    make_llm: Callable[..., QwenLlamaIndex], closed_streams: list[Any]
) -> None:
    llm = make_llm(default_headers=SLOW_AND_LONG)
    gen = await llm.astream_chat(user("a long answer"))
    first = await gen.__anext__()
    assert first.delta
    await gen.aclose()
    # LlamaIndex's callback wrapper does not aclose() our generator; the event loop's async-generator
    # finaliser does, right after the wrapper lets go of it.
    await _wait_closed(closed_streams)
    assert closed_streams and closed_streams[0][0].closed and not closed_streams[0][1]


async def test_breaking_out_of_astream_complete_closes_our_stream(
    make_llm: Callable[..., QwenLlamaIndex], closed_streams: list[Any]
) -> None:
    llm = make_llm(default_headers=SLOW_AND_LONG)
    gen = await llm.astream_complete("a long answer")
    async for response in gen:
        assert response.delta
        break
    await gen.aclose()
    await _wait_closed(closed_streams)
    assert closed_streams and closed_streams[0][0].closed and not closed_streams[0][1]


def test_a_stream_read_to_the_end_is_closed_as_well(llm: QwenLlamaIndex, closed_streams: list[Any]) -> None:
    list(llm.stream_chat(user("to the end")))
    assert closed_streams and all(stream.closed for stream, _ in closed_streams)


def test_adapter_log_lines_are_redacted_for_the_applications_handlers(
    make_llm: Callable[..., QwenLlamaIndex], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records of the adapter's own logger reach handlers on the root logger with secrets removed."""
    llm = make_llm(model="model-for-redaction")

    def leaky_lookup(model: str) -> Any:
        raise RuntimeError(f"lookup of {model} failed with Authorization: Bearer {TOKEN}")

    monkeypatch.setattr(llm.client.models, "retrieve", leaky_lookup)
    with caplog.at_level(logging.DEBUG, logger="qwen_api.llama_index"):
        assert llm.metadata.model_name == "model-for-redaction"
    assert "looking up model 'model-for-redaction' failed" in caplog.text
    assert TOKEN not in caplog.text and "<redacted>" in caplog.text
