"""Tool use through ``POST /v1/messages`` with the official ``anthropic`` client: full tool loops
(``tool_use`` -> ``tool_result`` -> answer), sync and async, whole and streamed, ``messages.stream``
with thinking, the documented event sequence with ``tool_use`` blocks, ``count_tokens`` with tools,
and a coding agent's tool set (the kind Claude Code sends) against the scripted local server."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import anthropic
import httpx
import pytest

from qwen_api.gateway.server import RunningGateway
from qwen_api.testing import RunningServer, ScriptedAnswer
from qwen_api.tools import render_call
from tests.tools.coding_agent import CODING_AGENT_TOOLS, EDIT_ARGUMENTS, TODO_ARGUMENTS

from .conftest import GatewayFactory, completions_posts, new_chats

MODEL = "qwen3.7-plus"
KEY = "sk-ant-local"
WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
        "required": ["city"],
    },
}
TIME = {"name": "get_time", "input_schema": {"type": "object", "properties": {"zone": {"type": "string"}}}}
TOOLS: list[Any] = [WEATHER, TIME]
CALL_PARIS = render_call("get_weather", {"city": "Paris"})
QUESTION: list[Any] = [{"role": "user", "content": "What is the weather in Paris?"}]
SUNNY = "It is sunny in Paris, 21 °C."
# The coding agent's tools in Anthropic's shape (what Claude Code-like clients send).
AGENT_TOOLS = [
    {
        "name": t["function"]["name"],
        "description": t["function"]["description"],
        "input_schema": t["function"]["parameters"],
    }
    for t in CODING_AGENT_TOOLS
]


@pytest.fixture
def gateway(gateway_factory: GatewayFactory) -> RunningGateway:
    return gateway_factory(api_keys=(KEY,))


@pytest.fixture
def claude(gateway: RunningGateway) -> Iterator[anthropic.Anthropic]:
    with anthropic.Anthropic(base_url=gateway.url, api_key=KEY, max_retries=0) as client:
        yield client


def prompt_of(upstream: RunningServer) -> str:
    return str(completions_posts(upstream)[-1].json["messages"][0]["content"])


def blocks(message: Any) -> list[dict[str, Any]]:
    return [block.model_dump(exclude_none=True) for block in message.content]


def loop_history(first: Any, result: Any, *, is_error: bool = False) -> list[Any]:
    """The question, the assistant's answer handed back as is, and the result of its first tool_use."""
    call = next(block for block in first.content if block.type == "tool_use")
    tool_result = {"type": "tool_result", "tool_use_id": call.id, "content": result}
    if is_error:
        tool_result["is_error"] = True
    return [
        *QUESTION,
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in first.content]},
        {"role": "user", "content": [tool_result]},
    ]


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_full_tool_loop(claude: anthropic.Anthropic, upstream: RunningServer, stream: bool) -> None:
    upstream.script("Let me check.\n" + CALL_PARIS, SUNNY)

    def ask(messages: list[Any]) -> Any:
        if stream:
            with claude.messages.stream(model=MODEL, max_tokens=1024, messages=messages, tools=TOOLS) as events:
                return events.get_final_message()
        return claude.messages.create(model=MODEL, max_tokens=1024, messages=messages, tools=TOOLS)

    first = ask(QUESTION)
    assert first.stop_reason == "tool_use"
    content = blocks(first)
    assert [b["type"] for b in content] == ["text", "tool_use"]
    assert content[0]["text"] == "Let me check."
    assert content[1]["name"] == "get_weather" and content[1]["input"] == {"city": "Paris"}
    assert "get_weather: Current weather for a city." in prompt_of(upstream)

    final = ask(loop_history(first, [{"type": "text", "text": '{"sky": "sunny"}'}]))
    assert final.stop_reason == "end_turn"
    assert blocks(final) == [{"type": "text", "text": SUNNY}]
    sent = prompt_of(upstream)
    assert '<tool_response name="get_weather"' in sent and '{"sky": "sunny"}' in sent
    assert "What is the weather in Paris?" not in sent  # the upstream chat holds it already
    assert new_chats(upstream) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_async_tool_loop_with_an_error_result(
    gateway: RunningGateway, upstream: RunningServer, stream: bool
) -> None:
    upstream.script(CALL_PARIS, "The weather service is down.")
    async with anthropic.AsyncAnthropic(base_url=gateway.url, api_key=KEY, max_retries=0) as client:

        async def ask(messages: list[Any]) -> Any:
            if stream:
                async with client.messages.stream(
                    model=MODEL, max_tokens=1024, messages=messages, tools=TOOLS
                ) as events:
                    return await events.get_final_message()
            return await client.messages.create(model=MODEL, max_tokens=1024, messages=messages, tools=TOOLS)

        first = await ask(QUESTION)
        assert first.stop_reason == "tool_use"
        assert [b["type"] for b in blocks(first)] == ["tool_use"]  # no empty text block before the call
        final = await ask(loop_history(first, "HTTP 503", is_error=True))
    assert final.content[0].text == "The weather service is down."
    assert "The tool failed:\nHTTP 503" in prompt_of(upstream)
    assert new_chats(upstream) == 1


def test_messages_stream_with_thinking_and_tool_use(claude: anthropic.Anthropic, upstream: RunningServer) -> None:
    upstream.script(ScriptedAnswer("Checking.\n" + CALL_PARIS, reasoning="The user wants the weather."))
    with claude.messages.stream(
        model=MODEL,
        max_tokens=2048,
        thinking={"type": "enabled", "budget_tokens": 1024},
        messages=QUESTION,
        tools=TOOLS,
        tool_choice={"type": "any"},
    ) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text", "tool_use"]
    assert final.content[0].thinking == "The user wants the weather."  # type: ignore[union-attr]
    assert final.content[2].input == {"city": "Paris"}  # type: ignore[union-attr]
    assert final.stop_reason == "tool_use"
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    assert "input_json" in kinds and "thinking" in kinds
    assert "You must call at least one tool" in prompt_of(upstream)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_an_answer_still_without_the_required_call_is_marked(
    gateway: RunningGateway, upstream: RunningServer, stream: bool
) -> None:
    upstream.script("no call", "still no call")
    body = {
        "model": MODEL,
        "max_tokens": 64,
        "stream": stream,
        "messages": QUESTION,
        "tools": TOOLS,
        "tool_choice": {"type": "any"},
    }
    with httpx.Client(base_url=gateway.url, headers={"x-api-key": KEY}, timeout=30) as http:
        if stream:
            with http.stream("POST", "/v1/messages", json=body) as response:
                events = [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: ")]
            (final,) = [e["delta"] for e in events if e["type"] == "message_delta"]
            assert final["stop_reason"] == "end_turn"
        else:
            final = http.post("/v1/messages", json=body).json()
            assert final["content"] == [{"type": "text", "text": "no call"}]
    assert final["validation_error"] == "tool_choice required a tool call and the model answered without one"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_repaired_required_call_shows_the_repairs_narration(
    claude: anthropic.Anthropic, upstream: RunningServer, stream: bool
) -> None:
    upstream.script("I think it is sunny, no need to check.", "Checking now.\n" + CALL_PARIS)
    options: dict[str, Any] = {"model": MODEL, "max_tokens": 64, "messages": QUESTION, "tools": TOOLS}
    if stream:
        with claude.messages.stream(**options, tool_choice={"type": "any"}) as events:
            message = events.get_final_message()
    else:
        message = claude.messages.create(**options, tool_choice={"type": "any"})
    content = blocks(message)
    assert [b["type"] for b in content] == ["text", "tool_use"] and content[0]["text"] == "Checking now."
    assert message.stop_reason == "tool_use"


def test_event_sequence_of_a_tool_use_stream(gateway: RunningGateway, upstream: RunningServer) -> None:
    upstream.script(CALL_PARIS + render_call("get_time", {"zone": "UTC"}))
    body = {"model": MODEL, "max_tokens": 64, "stream": True, "messages": QUESTION, "tools": TOOLS}
    with httpx.Client(base_url=gateway.url, headers={"x-api-key": KEY}) as http:
        with http.stream("POST", "/v1/messages", json=body) as response:
            lines = list(response.iter_lines())
    names = [line[7:] for line in lines if line.startswith("event: ")]
    data = [json.loads(line[6:]) for line in lines if line.startswith("data: ")]
    assert [d["type"] for d in data] == names
    assert names == [
        "message_start",
        "ping",
        *["content_block_start", "content_block_delta", "content_block_stop"] * 2,
        "message_delta",
        "message_stop",
    ]
    starts = [d["content_block"] for d in data if d["type"] == "content_block_start"]
    assert [(s["type"], s["name"], s["input"]) for s in starts] == [
        ("tool_use", "get_weather", {}),
        ("tool_use", "get_time", {}),
    ]
    deltas = [d["delta"] for d in data if d["type"] == "content_block_delta"]
    assert [json.loads(d["partial_json"]) for d in deltas if d["type"] == "input_json_delta"] == [
        {"city": "Paris"},
        {"zone": "UTC"},
    ]
    assert [d["index"] for d in data if "index" in d] == [0, 0, 0, 1, 1, 1]
    assert data[-2]["delta"]["stop_reason"] == "tool_use"


def test_tool_choice_maps_onto_the_emulation(claude: anthropic.Anthropic, upstream: RunningServer) -> None:
    upstream.script(render_call("get_time", {}), CALL_PARIS + render_call("get_time", {}), "plain")
    named = claude.messages.create(
        model=MODEL, max_tokens=64, messages=QUESTION, tools=TOOLS, tool_choice={"type": "tool", "name": "get_time"}
    )
    assert named.content[0].name == "get_time"  # type: ignore[union-attr]
    assert "You must call the tool get_time" in prompt_of(upstream)
    single = claude.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "both"}],
        tools=TOOLS,
        tool_choice={"type": "auto", "disable_parallel_tool_use": True},
    )
    assert [b.type for b in single.content] == ["tool_use"]
    assert "Call at most one tool per answer." in prompt_of(upstream)
    none = claude.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[{"role": "user", "content": "no"}],
        tools=TOOLS,
        tool_choice={"type": "none"},
    )
    assert none.stop_reason == "end_turn" and none.content[0].text == "plain"  # type: ignore[union-attr]


def test_count_tokens_counts_tools(claude: anthropic.Anthropic) -> None:
    bare = claude.messages.count_tokens(model=MODEL, messages=QUESTION).input_tokens
    with_tools = claude.messages.count_tokens(model=MODEL, messages=QUESTION, tools=AGENT_TOOLS).input_tokens  # type: ignore[arg-type]
    assert with_tools > bare + len(json.dumps(AGENT_TOOLS)) // 8


def test_coding_agent_tool_set(claude: anthropic.Anthropic, upstream: RunningServer) -> None:
    upstream.script(render_call("edit", EDIT_ARGUMENTS) + render_call("todo_write", TODO_ARGUMENTS), "Done.")
    system = "You are a coding agent working in /repo."
    with claude.messages.stream(
        model=MODEL,
        max_tokens=4096,
        system=system,
        messages=[{"role": "user", "content": "fix the bug"}],
        tools=AGENT_TOOLS,  # type: ignore[arg-type]
    ) as stream:
        first = stream.get_final_message()
    calls = [b for b in first.content if b.type == "tool_use"]
    assert [(c.name, c.input) for c in calls] == [("edit", EDIT_ARGUMENTS), ("todo_write", TODO_ARGUMENTS)]
    sent = prompt_of(upstream)
    assert system in sent and all(f"- {tool['name']}: " in sent for tool in AGENT_TOOLS)
    history = [
        {"role": "user", "content": "fix the bug"},
        {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": c.id, "content": "ok"} for c in calls],
        },
    ]
    done = claude.messages.create(model=MODEL, max_tokens=4096, system=system, messages=history, tools=AGENT_TOOLS)  # type: ignore[arg-type]
    assert done.content[0].text == "Done."  # type: ignore[union-attr]
    assert prompt_of(upstream).count("<tool_response name=") == 2
    assert new_chats(upstream) == 1


AROUND = "Hi.\n" + CALL_PARIS + "\nbye"


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_text_around_a_call_continues_the_chat_whole_or_streamed(
    claude: anthropic.Anthropic, upstream: RunningServer, stream: bool
) -> None:
    """Streamed, the answer is text, tool_use, text (the client joins the texts with its own line
    break); whole, one text block before the tool_use. Both forms must find the upstream chat."""
    upstream.script(AROUND, SUNNY)
    if stream:
        with claude.messages.stream(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS) as events:
            first = events.get_final_message()
        texts = ["Hi.", "bye"]  # no blank lines opening the text after the call
    else:
        first = claude.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS)
        texts = ["Hi.\n\nbye"]
    assert [b["text"] for b in blocks(first) if b["type"] == "text"] == texts
    final = claude.messages.create(model=MODEL, max_tokens=1024, messages=loop_history(first, "sunny"), tools=TOOLS)
    assert final.content[-1].text == SUNNY  # type: ignore[union-attr]
    assert new_chats(upstream) == 1
    assert completions_posts(upstream)[-1].json.get("parent_id") is not None
    assert "What is the weather in Paris?" not in prompt_of(upstream)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_async_text_around_a_call_continues_the_chat(
    gateway: RunningGateway, upstream: RunningServer, stream: bool
) -> None:
    upstream.script(AROUND, SUNNY)
    async with anthropic.AsyncAnthropic(base_url=gateway.url, api_key=KEY, max_retries=0) as client:
        if stream:
            async with client.messages.stream(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS) as events:
                first = await events.get_final_message()
        else:
            first = await client.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS)
        assert "".join(b.text for b in first.content if b.type == "text").count("\n") == (0 if stream else 2)
        final = await client.messages.create(
            model=MODEL, max_tokens=1024, messages=loop_history(first, "sunny"), tools=TOOLS
        )
    assert final.content[-1].text == SUNNY  # type: ignore[union-attr]
    assert new_chats(upstream) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_tag_named_in_prose_is_no_tool_use(
    claude: anthropic.Anthropic, upstream: RunningServer, stream: bool
) -> None:
    prose = "You write a `<tool_call>` block containing JSON with the name and arguments, and I will run it for you."
    upstream.script(prose)
    if stream:
        with claude.messages.stream(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS) as events:
            answer = events.get_final_message()
    else:
        answer = claude.messages.create(model=MODEL, max_tokens=1024, messages=QUESTION, tools=TOOLS)
    assert answer.stop_reason == "end_turn"
    assert blocks(answer) == [{"type": "text", "text": prose}]


def test_a_bad_tool_is_reported_with_anthropics_field_names(claude: anthropic.Anthropic) -> None:
    for tool, field in [
        ({"name": "bad name", "input_schema": {"type": "object"}}, "tools[0].name must be"),
        ({"name": "f", "input_schema": {"type": "objekt"}}, "tools[0].input_schema is not a valid JSON Schema"),
    ]:
        with pytest.raises(anthropic.BadRequestError) as caught:
            claude.messages.create(model=MODEL, max_tokens=10, messages=QUESTION, tools=[tool])  # type: ignore[list-item]
        assert field in str(caught.value) and "function" not in str(caught.value)


def test_thinking_handed_back_with_the_calls_still_continues_the_chat(
    claude: anthropic.Anthropic, upstream: RunningServer
) -> None:
    upstream.script(ScriptedAnswer(CALL_PARIS, reasoning="Weather needs the tool."), SUNNY)
    thinking: Any = {"type": "enabled", "budget_tokens": 1024}
    first = claude.messages.create(model=MODEL, max_tokens=2048, thinking=thinking, messages=QUESTION, tools=TOOLS)
    assert [b.type for b in first.content] == ["thinking", "tool_use"]
    final = claude.messages.create(
        model=MODEL, max_tokens=2048, thinking=thinking, messages=loop_history(first, "sunny"), tools=TOOLS
    )
    assert final.content[-1].text == SUNNY  # type: ignore[union-attr]
    assert new_chats(upstream) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_call_still_invalid_after_the_repair_is_marked(
    claude: anthropic.Anthropic, upstream: RunningServer, stream: bool
) -> None:
    bad = render_call("get_weather", {"town": "Paris"})
    upstream.script(bad, bad)
    if stream:
        with claude.messages.stream(model=MODEL, max_tokens=64, messages=QUESTION, tools=TOOLS) as events:
            message = events.get_final_message()
    else:
        message = claude.messages.create(model=MODEL, max_tokens=64, messages=QUESTION, tools=TOOLS)
    (block,) = blocks(message)
    assert block["input"] == {"town": "Paris"} and "'city' is a required property" in block["error"]
    assert "could not be used" in prompt_of(upstream)


async def test_a_multi_step_agent_session_stays_in_one_chat(gateway: RunningGateway, upstream: RunningServer) -> None:
    """read -> edit -> answer, streamed like a coding agent, each step sending only the new tool results."""
    read = render_call("read_file", {"file_path": "/repo/src/app.py"})
    upstream.script(ScriptedAnswer("Reading.\n" + read, reasoning="First look."), render_call("edit", EDIT_ARGUMENTS))
    upstream.script("Fixed: main prints now.")
    messages: list[Any] = [{"role": "user", "content": "make main print hi"}]
    async with anthropic.AsyncAnthropic(base_url=gateway.url, api_key=KEY, max_retries=0) as client:
        for step in range(3):
            async with client.messages.stream(
                model=MODEL + "-thinking",
                max_tokens=4096,
                system="You are a coding agent.",
                messages=messages,
                tools=AGENT_TOOLS,  # type: ignore[arg-type]
            ) as stream:
                message = await stream.get_final_message()
            if step < 2:
                assert message.stop_reason == "tool_use"
                sent = prompt_of(upstream)
                if step == 1:
                    assert "make main print hi" not in sent and '<tool_response name="read_file"' in sent
                calls = [b for b in message.content if b.type == "tool_use"]
                messages += [
                    {"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in message.content]},
                    {
                        "role": "user",
                        "content": [
                            {"type": "tool_result", "tool_use_id": c.id, "content": f"result {step}"} for c in calls
                        ],
                    },
                ]
    assert message.stop_reason == "end_turn" and message.content[-1].text == "Fixed: main prints now."  # type: ignore[union-attr]
    assert '<tool_response name="edit"' in prompt_of(upstream)
    assert new_chats(upstream) == 1 and len(completions_posts(upstream)) == 3


def test_an_image_in_a_tool_result_is_uploaded(claude: anthropic.Anthropic, upstream: RunningServer) -> None:
    """Coding agents' read tools answer with image blocks for pictures: they reach the model as files."""
    upstream.script("A red square.")
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}}
    message = claude.messages.create(
        model=MODEL,
        max_tokens=100,
        tools=TOOLS,
        messages=[
            {"role": "user", "content": "what is in a.png?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "get_time", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [image]}]},
        ],
    )
    assert message.content[0].text == "A red square."  # type: ignore[union-attr]
    files = completions_posts(upstream)[-1].json["messages"][0]["files"]
    assert [f["file_type"] for f in files] == ["image/png"]
