"""The adapters' tool rules on plain dicts: what reaches the SDK, how calls and results feed back, and
that an answer's key in the conversation map is the key of the message the client hands back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qwen_api.gateway.anthropic_adapter import EventBuilder, message_body, parse_messages_request
from qwen_api.gateway.errors import GatewayError
from qwen_api.gateway.openai_adapter import ChoiceResult, completion_body, parse_chat_request
from qwen_api.types.tools import ToolCall, ToolCallDelta, ToolCallFunction, ToolCallFunctionDelta

TOOL = {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "qwen3.7-plus", "messages": [{"role": "user", "content": "hi"}], **fields}


def test_tool_parameters_reach_the_sdk_unchanged() -> None:
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}, "strict": True}}
    request = parse_chat_request(
        body(tools=[TOOL], tool_choice="required", parallel_tool_calls=False, response_format=fmt)
    )
    options = request.sdk_options()
    assert options["tools"] == [TOOL] and options["tool_choice"] == "required"
    assert options["parallel_tool_calls"] is False and options["response_format"] == fmt
    assert options["repair_rounds"] == 1
    plain = parse_chat_request(body(tool_choice="none", response_format={"type": "text"})).sdk_options()
    assert not {"tools", "tool_choice", "response_format", "repair_rounds"} & set(plain)


def test_calls_and_results_feed_back_as_sdk_messages() -> None:
    request = parse_chat_request(
        body(
            messages=[
                {"role": "user", "content": "weather?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
                },
                {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "sunny"}]},
            ],
            tools=[TOOL],
        )
    )
    assistant, result = (m.sdk_dict() for m in request.messages[1:])
    assert assistant == {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
    }
    assert result == {"role": "tool", "content": "sunny", "tool_call_id": "c1", "name": "f"}


def test_the_answer_key_is_the_key_of_the_message_handed_back() -> None:
    call = ToolCall("call_1", ToolCallFunction("f", '{"b": 1, "a": [2]}'))
    answer = ChoiceResult("Checking.", None, "tool_calls", tool_calls=[call])
    openai_back = parse_chat_request(
        body(
            messages=[
                {"role": "user", "content": "q"},
                {"role": "assistant", "content": "Checking.", "tool_calls": [call.to_dict()]},
                {"role": "tool", "tool_call_id": "call_1", "content": "r"},
            ]
        )
    ).messages[1]
    anthropic_back = parse_messages_request(
        {
            "model": "m",
            "max_tokens": 5,
            "messages": [
                {"role": "user", "content": "q"},
                {
                    "role": "assistant",
                    "content": [
                        {"type": "text", "text": "Checking."},
                        {"type": "tool_use", "id": "call_1", "name": "f", "input": {"a": [2], "b": 1}},
                    ],
                },
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "call_1", "content": "r"}]},
            ],
        }
    ).messages[1]
    assert answer.key_text() == openai_back.key_text() == anthropic_back.key_text()
    other = ChoiceResult("Checking.", None, "tool_calls", tool_calls=[ToolCall("c", ToolCallFunction("f", "{}"))])
    assert other.key_text() != answer.key_text()


def test_an_answer_handed_back_streamed_or_whole_has_one_key() -> None:
    """Text around a call: whole, one text block ("Hi.\\n\\nbye") before the tool_use; streamed,
    text / tool_use / text blocks, which the adapter joins with one line break."""
    call = ToolCall("call_1", ToolCallFunction("f", '{"x": 1}'))
    answer = ChoiceResult("Hi.\n\nbye", None, "tool_calls", tool_calls=[call])
    tool_use = {"type": "tool_use", "id": "call_1", "name": "f", "input": {"x": 1}}
    forms = [
        [{"type": "text", "text": "Hi.\n\nbye"}, tool_use],
        [{"type": "text", "text": "Hi."}, tool_use, {"type": "text", "text": "bye"}],
        [{"type": "text", "text": "Hi."}, tool_use, {"type": "text", "text": "\n\nbye"}],
    ]
    for content in forms:
        request = parse_messages_request(
            {
                "model": "m",
                "max_tokens": 5,
                "messages": [
                    {"role": "user", "content": "q"},
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "call_1", "content": "r"}]},
                ],
            }
        )
        assert request.messages[1].key_text() == answer.key_text(), content
    assert ChoiceResult("Hi. bye!", None, "stop").key_text() != ChoiceResult("Hi. bye", None, "stop").key_text()


def test_event_builder_starts_the_text_after_a_call_without_its_blank_lines() -> None:
    events = EventBuilder("m")
    delta = ToolCallDelta(0, "call_1", "function", ToolCallFunctionDelta("f", "{}"))
    out = events.piece("Hi.", None) + events.piece("", None, [delta])
    out += events.piece("\n", None) + events.piece("\nbye", None) + events.piece(" \n more", None)
    texts = [payload["delta"]["text"] for _, payload in out if payload.get("delta", {}).get("type") == "text_delta"]
    assert texts == ["Hi.", "bye", " \n more"]


def test_answers_with_calls_have_openai_and_anthropic_shapes() -> None:
    calls = [ToolCall("call_1", ToolCallFunction("f", '{"x": 1}'))]
    completion = completion_body("m", [ChoiceResult("", None, "tool_calls", tool_calls=calls)])
    message = completion["choices"][0]["message"]
    assert message["content"] is None and message["tool_calls"] == [calls[0].to_dict()]
    assert completion["choices"][0]["finish_reason"] == "tool_calls"
    anthropic = message_body("m", "", "why", "tool_use", None, (1, 2), calls)
    assert [b["type"] for b in anthropic["content"]] == ["thinking", "tool_use"]
    assert anthropic["content"][1] == {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"x": 1}}
    broken = message_body("m", "", None, "tool_use", None, (1, 2), [ToolCall("c", ToolCallFunction("f", "{'x': 1,"))])
    assert broken["content"][0]["input"] == {"x": 1}  # mended, as the SDK mends


def test_event_builder_gives_each_call_its_tool_use_block() -> None:
    events = EventBuilder("m")
    out = events.piece("Checking.", None)
    delta = ToolCallDelta(0, "call_1", "function", ToolCallFunctionDelta("f", '{"x": 1}'))
    out += events.piece("", None, [delta])
    out += events.finish("tool_use", None, (1, 1))
    kinds = [(name, payload.get("index")) for name, payload in out]
    assert kinds == [
        ("content_block_start", 0),
        ("content_block_delta", 0),
        ("content_block_stop", 0),
        ("content_block_start", 1),
        ("content_block_delta", 1),
        ("content_block_stop", 1),
        ("message_delta", None),
        ("message_stop", None),
    ]
    assert out[3][1]["content_block"] == {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
    assert json.loads(out[4][1]["delta"]["partial_json"]) == {"x": 1}


def test_anthropic_tool_results_split_from_the_users_text() -> None:
    request = parse_messages_request(
        {
            "model": "m",
            "max_tokens": 5,
            "tools": [{"name": "f", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}}],
            "tool_choice": {"type": "any", "disable_parallel_tool_use": True},
            "messages": [
                {"role": "user", "content": "q"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
                {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": "bad"}]},
                        {"type": "text", "text": "and now?"},
                    ],
                },
            ],
        }
    )
    assert [(m.role, m.text) for m in request.messages] == [
        ("user", "q"),
        ("assistant", ""),
        ("tool", "bad"),
        ("user", "and now?"),
    ]
    assert request.tools == ({"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}},)
    assert (request.tool_choice, request.parallel_tool_calls) == ("required", False)


@pytest.mark.parametrize(
    "fields",
    [
        {"tools": [{"name": "f", "input_schema": {"type": "object"}}], "tool_choice": {"type": "sometimes"}},
        {"tools": [{"name": "bad name", "input_schema": {"type": "object"}}]},
        {"tools": [{"type": "bash_20250124", "name": "bash"}]},
        {"tools": "f"},
    ],
)
def test_bad_anthropic_tools_are_400s(fields: dict[str, Any]) -> None:
    with pytest.raises(GatewayError) as caught:
        parse_messages_request(
            {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], **fields}
        )
    assert caught.value.status == 400
