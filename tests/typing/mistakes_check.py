"""Checked by mypy --strict and basedpyright (tests/typing/test_typing.py): each mistake is a type error."""

from __future__ import annotations

import io
from pathlib import Path

from qwen_api import AsyncQwen, Qwen
from qwen_api.types import ChatMessage, ChatMessageParam, ImageBlock, JSONValue, MessageRole, ToolParam


def mistakes(client: Qwen) -> None:
    client.chat.create([{"role": "user", "contnet": "hi"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.create([{"role": "usr", "content": "hi"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    ChatMessage(role="usr", content="hi")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chat.create([{"role": "user", "content": "hi"}], thinking_mode="deep")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.images.generate("a cat", size="99:1")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chat.upload_file(file_path="x.png", progres=print)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    client.completion.create(prompt="hi", thinking_mode="deep")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.upload_file(file_path="x.png", signature_version="v3")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    client.chat.upload_file("x.png", file=io.BytesIO(b"x"))  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    client.chats.new(chat_type="chat")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    ImageBlock(path=123)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chat.create([{"role": "user", "content": [{"type": "image", "image_url": {"url": "u"}}]}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.create([ChatMessage(role="user", content="hi", thinking_mode="deep")])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chats.new().send("hi", thinking_mode="deep")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    print(client.chat.create([{"role": "user", "content": "hi"}]).choices[0].message.contnet)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue]

    client.chat.create([{"role": "user", "content": "hi"}], timeot=5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    client.chat.create([{"role": "user", "content": "hi"}], extra_headers={"X-Trace": 1})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.with_options(timeout="5")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chat.with_raw_response.create([{"role": "user", "content": "hi"}], thinking_mode="deep")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]

    # Tool calling and structured output take OpenAI's shapes as TypedDicts, not ``Mapping[str, Any]``.
    hi: list[ChatMessageParam] = [{"role": "user", "content": "hi"}]
    client.chat.create(hi, response_format={"type": "yaml"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.create(hi, tools=[{"type": "funktion", "function": {"name": "f"}}])  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.create(hi, tools=[{"type": "function", "function": {"nmae": "f"}}])  # type: ignore[typeddict-item, typeddict-unknown-key]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chat.create(hi, response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": {"a": b""}}})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    client.chats.new().send("hi", response_format={"type": "yaml"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    client.chats.new().send("hi", tools=[{"type": "funktion", "function": {"name": "f"}}])  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType]
    client.chat.with_raw_response.create(hi, response_format={"type": "yaml"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]


async def async_mistakes(client: Qwen) -> None:
    await client.chat.acreate([{"role": "user", "contnet": "hi"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType, reportCallIssue]
    await client.images.agenerate("a cat", size="2:1")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    await client.chat.async_upload_file(file_path="x.png", progres=print)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    await client.chat.aupload_file(file_path="x.png", progres=print)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    hi: list[ChatMessageParam] = [{"role": "user", "content": "hi"}]
    await client.chat.acreate(hi, response_format={"type": "yaml"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    await client.chat.acreate(hi, tools=[{"type": "funktion", "function": {"name": "f"}}])  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType, reportCallIssue]


async def async_client_mistakes(client: AsyncQwen, hi: list[ChatMessageParam]) -> None:
    await client.chat.create(hi, response_format={"type": "yaml"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType, reportCallIssue]
    await client.chat.create(hi, tools=[{"type": "funktion", "function": {"name": "f"}}])  # type: ignore[typeddict-item]  # pyright: ignore[reportArgumentType, reportCallIssue]


def correct_usage(client: Qwen) -> None:
    messages: list[ChatMessageParam] = [
        {"role": "system", "content": "be brief"},
        {
            "role": MessageRole.USER,
            "content": [{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": {"url": "u"}}],
        },
    ]
    client.chat.create(messages, thinking_mode="auto")
    client.chat.create([ChatMessage(role=MessageRole.USER, content="hi", blocks=[ImageBlock(path=Path("x.png"))])])
    client.chat.upload_file(file_path=Path("x.png"), progress=lambda sent, total: None, parse_documents=False)
    client.chat.upload_file(file=io.BytesIO(b"x"), filename="x.txt", signature_version="v1")
    client.images.generate("a cat", size="16:9")
    weather: ToolParam = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }
    client.chat.create(messages, tools=[weather], tool_choice={"type": "function", "function": {"name": "get_weather"}})
    answer = client.chat.create(
        messages,
        response_format={"type": "json_schema", "json_schema": {"name": "city", "schema": {"type": "object"}}},
    )
    parsed: JSONValue = answer.choices[0].message.parsed
    print(parsed)
    for chunk in client.chat.create(messages, stream=True):
        delta = chunk.choices[0].delta
        if "extra" in delta and "web_search_info" in delta.extra:
            print(delta.extra.web_search_info)
