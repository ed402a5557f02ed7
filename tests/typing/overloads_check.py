"""Checked by mypy (tests/typing/test_typing.py): ``stream=True`` is typed as a stream, else a response."""

from __future__ import annotations

from typing import Literal, assert_type

from qwen_api import AsyncConversation, AsyncQwen, AsyncStream, Qwen, RawResponse, Stream
from qwen_api.resources.chats import Conversation
from qwen_api.types.account import Account
from qwen_api.types.chat import ChatResponse, ChatResponseStream
from qwen_api.types.chats import ChatDetail, ChatSummary
from qwen_api.types.completion import CompletionResponse
from qwen_api.types.files import FileResult
from qwen_api.types.images import ImagesResponse
from qwen_api.types.models import Model, ModelList
from qwen_api.types.params import ChatMessageParam, JSONValue
from qwen_api.types.tools import ResponseFormat, ToolCall, ToolCallDelta, ToolChoice, ToolParam


def sync_calls(client: Qwen, flag: bool) -> None:
    assert_type(client.completion.create(model="m", prompt="p"), CompletionResponse)
    assert_type(client.completion.create(model="m", prompt="p", stream=False), CompletionResponse)
    assert_type(client.completion.create(model="m", prompt="p", stream=True), Stream[ChatResponseStream])
    assert_type(
        client.completion.create(model="m", prompt="p", stream=flag), CompletionResponse | Stream[ChatResponseStream]
    )
    assert_type(client.chat.create([{"role": "user", "content": "x"}]), ChatResponse)
    assert_type(client.chat.create([{"role": "user", "content": "x"}], stream=True), Stream[ChatResponseStream])
    for chunk in client.chat.create([{"role": "user", "content": "x"}], stream=True):
        assert_type(chunk.choices[0].delta.content, str)
    assert_type(client.chat.upload_file(file_path="x.png"), FileResult)
    assert_type(client.images.generate("a cat"), ImagesResponse)
    conversation = client.chats.new()
    assert_type(conversation, Conversation)
    assert_type(conversation.send("hi"), ChatResponse)
    assert_type(conversation.send("hi", stream=True), Stream[ChatResponseStream])
    assert_type(conversation.send("hi", stream=flag), ChatResponse | Stream[ChatResponseStream])
    raw = client.chat.with_raw_response.create([{"role": "user", "content": "x"}], timeout=5)
    assert_type(raw, RawResponse[ChatResponse])
    assert_type(raw.parse(), ChatResponse)
    assert_type(raw.status_code, int)
    raw_stream = client.chat.with_raw_response.create([{"role": "user", "content": "x"}], stream=True)
    assert_type(raw_stream.parse(), Stream[ChatResponseStream])
    assert_type(client.images.with_raw_response.generate("a cat").parse(), ImagesResponse)
    assert_type(client.with_options(timeout=5, max_retries=0), Qwen)
    assert_type(client.chat.create([{"role": "user", "content": "x"}]).to_dict(), dict[str, JSONValue])


async def async_calls(client: Qwen, flag: bool) -> None:
    assert_type(await client.completion.acreate(model="m", prompt="p"), CompletionResponse)
    assert_type(await client.completion.acreate(model="m", prompt="p", stream=True), AsyncStream[ChatResponseStream])
    stream = await client.chat.acreate([{"role": "user", "content": "x"}], stream=True)
    async for chunk in stream:
        assert_type(chunk, ChatResponseStream)
    assert_type(await client.chat.acreate([{"role": "user", "content": "x"}]), ChatResponse)
    assert_type(await client.chat.async_upload_file(file_path="x.png"), FileResult)
    assert_type(await client.chat.aupload_file(file_path="x.png"), FileResult)
    raw = await client.chat.with_raw_response.acreate([{"role": "user", "content": "x"}], stream=True)
    assert_type(raw.parse(), AsyncStream[ChatResponseStream])
    assert_type(
        await client.chat.acreate([{"role": "user", "content": "x"}], stream=flag),
        ChatResponse | AsyncStream[ChatResponseStream],
    )
    conversation = await client.chats.anew()
    assert_type(await conversation.asend("hi"), ChatResponse)
    assert_type(await conversation.asend("hi", stream=True), AsyncStream[ChatResponseStream])
    assert_type(await conversation.asend("hi", stream=flag), ChatResponse | AsyncStream[ChatResponseStream])


def tool_calls(client: Qwen, flag: bool) -> None:
    tools: list[ToolParam] = [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
    messages: list[ChatMessageParam] = [{"role": "user", "content": "x"}]
    response = client.chat.create(
        [{"role": "user", "content": "x"}],
        tools=tools,
        tool_choice="auto",
        parallel_tool_calls=False,
        response_format={"type": "json_object"},
        repair_rounds=0,
    )
    assert_type(response, ChatResponse)
    assert_type(response.choices[0].message.tool_calls, list[ToolCall] | None)
    assert_type(response.choices[0].message.validation_error, str | None)
    call = (response.choices[0].message.tool_calls or [])[0]
    assert_type(call.function.arguments, str)
    assert_type(call.type, Literal["function"])
    assert_type(call.error, str | None)
    named: ToolChoice = {"type": "function", "function": {"name": "f"}}
    schema: ResponseFormat = {"type": "json_schema", "json_schema": {"name": "p", "schema": {"type": "object"}}}
    stream = client.chat.create(messages, tools=tools, tool_choice=named, response_format=schema, stream=True)
    assert_type(stream, Stream[ChatResponseStream])
    for chunk in stream:
        assert_type(chunk.choices[0].delta.tool_calls, list[ToolCallDelta] | None)
    assert_type(client.chat.create(messages, tools=tools, stream=flag), ChatResponse | Stream[ChatResponseStream])


async def async_tool_calls(client: Qwen) -> None:
    tools: list[ToolParam] = [{"type": "function", "function": {"name": "f"}}]
    response = await client.chat.acreate([{"role": "user", "content": "x"}], tools=tools, tool_choice="required")
    assert_type(response.choices[0].message.tool_calls, list[ToolCall] | None)
    stream = await client.chat.acreate([{"role": "user", "content": "x"}], tools=tools, stream=True)
    assert_type(stream, AsyncStream[ChatResponseStream])
    async for chunk in stream:
        assert_type(chunk.choices[0].delta.tool_calls, list[ToolCallDelta] | None)


def conversation_tools(client: Qwen, flag: bool) -> None:
    tools: list[ToolParam] = [{"type": "function", "function": {"name": "f"}}]
    conversation = client.chats.new()
    assert_type(conversation.send("hi", tools=tools, tool_choice="auto"), ChatResponse)
    assert_type(conversation.send("hi", tools=tools, stream=True), Stream[ChatResponseStream])
    assert_type(
        conversation.send("hi", response_format={"type": "json_object"}, stream=flag),
        ChatResponse | Stream[ChatResponseStream],
    )


async def async_client_calls(client: AsyncQwen, flag: bool) -> None:
    messages: list[ChatMessageParam] = [{"role": "user", "content": "x"}]
    assert_type(await client.chat.create(messages), ChatResponse)
    assert_type(await client.chat.create(messages, stream=False), ChatResponse)
    assert_type(await client.chat.create(messages, stream=True), AsyncStream[ChatResponseStream])
    assert_type(await client.chat.create(messages, stream=flag), ChatResponse | AsyncStream[ChatResponseStream])
    tools: list[ToolParam] = [{"type": "function", "function": {"name": "f"}}]
    answer = await client.chat.create(messages, tools=tools, stream=True, timeout=5, extra_headers={"X": "y"})
    async for chunk in answer:
        assert_type(chunk.choices[0].delta.tool_calls, list[ToolCallDelta] | None)
    assert_type(await client.completion.create(prompt="p"), CompletionResponse)
    assert_type(await client.completion.create(prompt="p", stream=True), AsyncStream[ChatResponseStream])
    assert_type(await client.chat.upload_file(file_path="x.png"), FileResult)
    assert_type(await client.images.generate("a cat"), ImagesResponse)
    assert_type(await client.models.list(), ModelList)
    assert_type(await client.models.retrieve("m"), Model)
    assert_type(await client.account.retrieve(), Account)
    conversation = await client.chats.new()
    assert_type(conversation, AsyncConversation)
    assert_type(await conversation.send("hi"), ChatResponse)
    assert_type(await conversation.send("hi", stream=True), AsyncStream[ChatResponseStream])
    assert_type(await conversation.delete(), bool)
    assert_type(client.chats.resume("id"), AsyncConversation)
    async for summary in client.chats.list():
        assert_type(summary, ChatSummary)
    assert_type(await client.chats.get("id"), ChatDetail)
    assert_type(await client.chats.delete("id"), bool)
    assert_type(client.with_options(timeout=5), AsyncQwen)
    raw = await client.chat.with_raw_response.create(messages)
    assert_type(raw, RawResponse[ChatResponse])
    raw_stream = await client.chat.with_raw_response.create(messages, stream=True)
    assert_type(raw_stream.parse(), AsyncStream[ChatResponseStream])
    assert_type(await client.models.with_raw_response.list(), RawResponse[ModelList])
    await client.aclose()
