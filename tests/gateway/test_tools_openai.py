"""Tool calling and structured output through ``POST /v1/chat/completions`` with the official ``openai``
client: full tool loops (call -> result -> answer), sync and async, whole and streamed, against the
gateway in front of the local server scripted to answer like a model; every JSON answer and every
streamed chunk validated against the pinned OpenAI schemas."""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pydantic
import pytest

from qwen_api.gateway.server import RunningGateway
from qwen_api.testing import RunningServer, ScriptedAnswer
from qwen_api.tools import render_call
from tests.tools.coding_agent import CODING_AGENT_TOOLS, EDIT_ARGUMENTS, TODO_ARGUMENTS

from .conftest import avalidate_response, completions_posts, new_chats, sse_payloads, validate

MODEL = "qwen3.7-plus"
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
            "required": ["city"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object", "properties": {"zone": {"type": "string"}}}},
}
TOOLS: list[Any] = [WEATHER, TIME]
CALL_PARIS = render_call("get_weather", {"city": "Paris"})
QUESTION: list[Any] = [{"role": "user", "content": "What is the weather in Paris?"}]
SUNNY = "It is sunny in Paris, 21 °C."


def prompt_of(upstream: RunningServer, back: int = 1) -> str:
    """The text the gateway sent upstream ``back`` completions ago."""
    return str(completions_posts(upstream)[-back].json["messages"][0]["content"])


def collect(stream: Any) -> tuple[str | None, list[dict[str, Any]], str | None, list[Any]]:
    """What an agent reads from a stream: the text, the calls accumulated by index, the finish reason."""
    text: list[str] = []
    calls: dict[int, dict[str, Any]] = {}
    finish = None
    chunks = []
    for chunk in stream:
        chunks.append(chunk)
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        text.append(choice.delta.content or "")
        for delta in choice.delta.tool_calls or []:
            call = calls.setdefault(delta.index, {"id": None, "name": "", "arguments": ""})
            if delta.id:
                call["id"] = delta.id
            if delta.function is not None:
                call["name"] += delta.function.name or ""
                call["arguments"] += delta.function.arguments or ""
        finish = choice.finish_reason or finish
    return "".join(text) or None, [calls[i] for i in sorted(calls)], finish, chunks


def whole(completion: Any) -> tuple[str | None, list[dict[str, Any]], str | None]:
    message = completion.choices[0].message
    calls = [{"id": c.id, "name": c.function.name, "arguments": c.function.arguments} for c in message.tool_calls or []]
    return message.content, calls, completion.choices[0].finish_reason


def history_after(content: str | None, calls: list[dict[str, Any]], result: str) -> list[Any]:
    """The question, the assistant's calls as the client hands them back, and the tool's result."""
    return [
        *QUESTION,
        {
            "role": "assistant",
            "content": content,
            "tool_calls": [
                {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}}
                for c in calls
            ],
        },
        {"role": "tool", "tool_call_id": calls[0]["id"], "content": result},
    ]


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_full_tool_loop_continues_one_upstream_chat(
    client: openai.OpenAI, upstream: RunningServer, stream: bool
) -> None:
    upstream.script("Let me check.\n" + CALL_PARIS, SUNNY)

    def ask(messages: list[Any]) -> tuple[str | None, list[dict[str, Any]], str | None]:
        if stream:
            return collect(client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS, stream=True))[:3]
        return whole(client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS))

    content, calls, finish = ask(QUESTION)
    assert finish == "tool_calls"
    assert content == "Let me check."
    assert [(c["name"], json.loads(c["arguments"])) for c in calls] == [("get_weather", {"city": "Paris"})]
    assert calls[0]["id"].startswith("call_")
    assert "get_weather: Current weather for a city." in prompt_of(upstream)

    final, more, finish = ask(history_after(content, calls, '{"sky": "sunny", "celsius": 21}'))
    assert (final, more, finish) == (SUNNY, [], "stop")
    sent = prompt_of(upstream)
    assert '<tool_response name="get_weather"' in sent and '"celsius": 21' in sent
    assert "What is the weather in Paris?" not in sent  # only the new messages: the chat holds the rest
    assert new_chats(upstream) == 1  # the tool loop continued the chat of the call

    # and the user's next question continues it again
    follow_up = [
        *history_after(content, calls, '{"sky": "sunny", "celsius": 21}'),
        {"role": "assistant", "content": final},
        {"role": "user", "content": "thanks"},
    ]
    reply, _, _ = ask(follow_up)
    assert reply is not None and reply.startswith("You said: ")
    assert new_chats(upstream) == 1


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_async_tool_loop(gateway: RunningGateway, upstream: RunningServer, stream: bool) -> None:
    upstream.script(CALL_PARIS, SUNNY)
    http_client = httpx.AsyncClient(event_hooks={"response": [avalidate_response]}, timeout=60)
    async with openai.AsyncOpenAI(
        base_url=gateway.base_url, api_key="unused", max_retries=0, http_client=http_client
    ) as client:

        async def ask(messages: list[Any]) -> tuple[str | None, list[dict[str, Any]], str | None]:
            if not stream:
                return whole(await client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS))
            chunks = [
                c
                async for c in await client.chat.completions.create(
                    model=MODEL, messages=messages, tools=TOOLS, stream=True
                )
            ]
            return collect(chunks)[:3]

        content, calls, finish = await ask(QUESTION)
        assert finish == "tool_calls" and content is None  # no text: content is null (streamed: no text)
        assert calls[0]["name"] == "get_weather" and json.loads(calls[0]["arguments"]) == {"city": "Paris"}
        final, more, finish = await ask(history_after(content, calls, "sunny"))
    assert (final, more, finish) == (SUNNY, [], "stop")
    assert new_chats(upstream) == 1


def test_raw_answers_and_chunks_validate_and_follow_openai_shape(
    gateway: RunningGateway, upstream: RunningServer
) -> None:
    two_calls = CALL_PARIS + "\n" + render_call("get_time", {"zone": "Europe/Paris"})
    upstream.script(two_calls, two_calls)
    body = {"model": MODEL, "messages": QUESTION, "tools": TOOLS, "parallel_tool_calls": True}
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        answer = http.post("/v1/chat/completions", json=body).json()
        validate("CreateChatCompletionResponse", answer)
        message = answer["choices"][0]["message"]
        assert message["content"] is None and message["refusal"] is None
        assert answer["choices"][0]["finish_reason"] == "tool_calls"
        assert [c["function"]["name"] for c in message["tool_calls"]] == ["get_weather", "get_time"]
        assert all(c["type"] == "function" and c["id"] for c in message["tool_calls"])
        with http.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as response:
            payloads = sse_payloads(response)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    for chunk in chunks:
        validate("CreateChatCompletionStreamResponse", chunk)
    deltas = [d for c in chunks for d in c["choices"][0]["delta"].get("tool_calls", [])]
    assert [d["index"] for d in deltas] == [0, 1]
    for delta, name in zip(deltas, ["get_weather", "get_time"], strict=True):
        # the first (and only) delta of a call carries id, type, name and the whole arguments
        assert delta["id"].startswith("call_") and delta["type"] == "function"
        assert delta["function"]["name"] == name and json.loads(delta["function"]["arguments"])
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert all("<tool" not in (c["choices"][0]["delta"].get("content") or "") for c in chunks)


def test_tool_choice_reaches_the_prompt(client: openai.OpenAI, upstream: RunningServer) -> None:
    named = {"type": "function", "function": {"name": "get_time"}}
    upstream.script(render_call("get_time", {"zone": "UTC"}), render_call("get_weather", {"city": "Oslo"}))
    completion = client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS, tool_choice=named)
    assert completion.choices[0].message.tool_calls[0].function.name == "get_time"
    assert "You must call the tool get_time" in prompt_of(upstream)
    client.chat.completions.create(model=MODEL, messages=user_text("other"), tools=TOOLS, tool_choice="required")
    assert "You must call at least one tool" in prompt_of(upstream)
    plain = client.chat.completions.create(model=MODEL, messages=user_text("none"), tools=TOOLS, tool_choice="none")
    assert plain.choices[0].message.tool_calls is None and plain.choices[0].finish_reason == "stop"
    assert "none may be called now" in prompt_of(upstream)


def test_parallel_tool_calls_false_keeps_one_call(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script(CALL_PARIS + render_call("get_time", {}))
    completion = client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS, parallel_tool_calls=False)
    assert [c.function.name for c in completion.choices[0].message.tool_calls or []] == ["get_weather"]
    assert "Call at most one tool per answer." in prompt_of(upstream)


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_call_failing_its_schema_is_repaired_and_the_loop_continues_the_repair(
    client: openai.OpenAI, upstream: RunningServer, stream: bool
) -> None:
    upstream.script(render_call("get_weather", {"town": "Paris"}), CALL_PARIS, SUNNY)
    if stream:
        content, calls, _, _ = collect(
            client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS, stream=True)
        )
    else:
        content, calls, _ = whole(client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS))
    assert [json.loads(c["arguments"]) for c in calls] == [{"city": "Paris"}]
    assert "could not be used" in prompt_of(upstream)  # the repair round named the problem
    repair_chat = completions_posts(upstream)[-1].query["chat_id"]
    final = client.chat.completions.create(model=MODEL, messages=history_after(content, calls, "sunny"), tools=TOOLS)
    assert final.choices[0].message.content == SUNNY
    # the loop goes on from the repaired answer, in the chat that holds it (no third chat)
    assert completions_posts(upstream)[-1].query["chat_id"] == repair_chat
    assert new_chats(upstream) == 2


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_tag_named_in_prose_and_a_named_choice_with_an_extra_call(
    client: openai.OpenAI, upstream: RunningServer, stream: bool
) -> None:
    """A `<tool_call>` named in prose is text (it was a nameless call); with a named tool_choice a
    call to another tool is dropped (its repair came back as a second copy of the named call)."""

    def ask(**kwargs: Any) -> tuple[str | None, list[dict[str, Any]], str | None]:
        if stream:
            return collect(client.chat.completions.create(model=MODEL, stream=True, **kwargs))[:3]
        return whole(client.chat.completions.create(model=MODEL, **kwargs))

    prose = "Use `<tool_call>` tags like this."
    upstream.script(prose)
    before = len(completions_posts(upstream))
    assert ask(messages=QUESTION, tools=TOOLS) == (prose, [], "stop")
    named = {"type": "function", "function": {"name": "get_weather"}}
    upstream.script(CALL_PARIS + render_call("get_time", {}))
    _, calls, finish = ask(messages=user_text("named"), tools=TOOLS, tool_choice=named)
    assert [(c["name"], json.loads(c["arguments"])) for c in calls] == [("get_weather", {"city": "Paris"})]
    assert finish == "tool_calls" and len(completions_posts(upstream)) - before == 2  # no repair round


def user_text(text: str) -> list[Any]:
    return [{"role": "user", "content": text}]


class Weather(pydantic.BaseModel):
    city: str
    celsius: int
    conditions: list[str]


def test_parse_with_a_pydantic_model(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script('Sure:\n```json\n{"city": "Paris", "celsius": 21, "conditions": ["sunny"]}\n```')
    completion = client.chat.completions.parse(model=MODEL, messages=QUESTION, response_format=Weather)
    parsed = completion.choices[0].message.parsed
    assert parsed == Weather(city="Paris", celsius=21, conditions=["sunny"])
    sent = prompt_of(upstream)
    assert "Answer with one JSON value only" in sent and '"conditions"' in sent


async def test_async_parse_and_json_object(gateway: RunningGateway, upstream: RunningServer) -> None:
    upstream.script('{"city": "Oslo", "celsius": "cold"}', '{"city": "Oslo", "celsius": -3, "conditions": []}')
    upstream.script("{'ok': true,}")
    async with openai.AsyncOpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        completion = await client.chat.completions.parse(model=MODEL, messages=QUESTION, response_format=Weather)
        assert completion.choices[0].message.parsed == Weather(city="Oslo", celsius=-3, conditions=[])
        assert "does not match the schema" in prompt_of(upstream)  # one repair round fixed it
        loose = await client.chat.completions.create(
            model=MODEL, messages=user_text("json please"), response_format={"type": "json_object"}
        )
    assert json.loads(loose.choices[0].message.content or "") == {"ok": True}


def test_coding_agent_tool_set_goes_through(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script("Editing.\n" + render_call("edit", EDIT_ARGUMENTS) + render_call("todo_write", TODO_ARGUMENTS))
    _, calls, finish, _ = collect(
        client.chat.completions.create(model=MODEL, messages=user_text("fix it"), tools=CODING_AGENT_TOOLS, stream=True)
    )
    assert finish == "tool_calls"
    assert [(c["name"], json.loads(c["arguments"])) for c in calls] == [
        ("edit", EDIT_ARGUMENTS),
        ("todo_write", TODO_ARGUMENTS),
    ]
    sent = prompt_of(upstream)
    for tool in CODING_AGENT_TOOLS:
        assert f"- {tool['function']['name']}: " in sent


def test_scripted_reasoning_comes_as_reasoning_content(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script(ScriptedAnswer(CALL_PARIS, reasoning="The user wants the weather."))
    completion = client.chat.completions.create(model=MODEL + "-thinking", messages=QUESTION, tools=TOOLS)
    message = completion.choices[0].message
    assert message.tool_calls and message.content is None
    assert getattr(message, "reasoning_content", None) == "The user wants the weather."


def test_what_stays_invalid_after_the_repair_round_is_marked(gateway: RunningGateway, upstream: RunningServer) -> None:
    bad = render_call("get_weather", {"town": "Paris"})
    upstream.script(bad, bad, "no json here", "still none")
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        answer = http.post("/v1/chat/completions", json={"model": MODEL, "messages": QUESTION, "tools": TOOLS}).json()
        validate("CreateChatCompletionResponse", answer)
        (call,) = answer["choices"][0]["message"]["tool_calls"]
        assert json.loads(call["function"]["arguments"]) == {"town": "Paris"}  # what the model wrote
        assert "'city' is a required property" in call["error"]
        fmt = {"type": "json_object"}
        answer = http.post(
            "/v1/chat/completions", json={"model": MODEL, "messages": user_text("j"), "response_format": fmt}
        ).json()
        validate("CreateChatCompletionResponse", answer)
    message = answer["choices"][0]["message"]
    assert message["content"] == "still none" and "no JSON value" in message["validation_error"]


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_a_repaired_required_call_shows_the_repairs_narration(
    client: openai.OpenAI, upstream: RunningServer, stream: bool
) -> None:
    """The answer that lacked its call is replaced, narration included, whole or streamed alike."""
    upstream.script("I think it is sunny, no need to check.", "Checking now.\n" + CALL_PARIS)
    if stream:
        content, calls, finish, _ = collect(
            client.chat.completions.create(
                model=MODEL, messages=QUESTION, tools=TOOLS, tool_choice="required", stream=True
            )
        )
    else:
        content, calls, finish = whole(
            client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS, tool_choice="required")
        )
    assert content == "Checking now."
    assert [call["name"] for call in calls] == ["get_weather"] and finish == "tool_calls"


def test_a_required_call_still_missing_after_the_repair_round_is_marked(
    gateway: RunningGateway, upstream: RunningServer
) -> None:
    upstream.script("first no call", "second no call")
    body = {"model": MODEL, "messages": QUESTION, "tools": TOOLS, "tool_choice": "required"}
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        answer = http.post("/v1/chat/completions", json=body).json()
    validate("CreateChatCompletionResponse", answer)
    message = answer["choices"][0]["message"]
    assert "tool_calls" not in message and answer["choices"][0]["finish_reason"] == "stop"
    assert message["content"] == "first no call"  # what a streaming client would have seen, too
    assert message["validation_error"] == "tool_choice required a tool call and the model answered without one"


@pytest.mark.parametrize(
    ("extra", "script", "expected"),
    [
        ({"tools": TOOLS, "tool_choice": "required"}, ("no call",), "tool_choice required a tool call"),
        ({"response_format": {"type": "json_object"}}, ("no json here",), "no JSON value"),
    ],
    ids=["required-call", "json-object"],
)
def test_a_streamed_answer_that_stays_invalid_is_marked_on_its_finish_chunk(
    gateway: RunningGateway, upstream: RunningServer, extra: dict[str, Any], script: tuple[str, ...], expected: str
) -> None:
    upstream.script(*script, *script)
    body = {"model": MODEL, "messages": QUESTION, "stream": True, **extra}
    with (
        httpx.Client(base_url=gateway.url, timeout=30) as http,
        http.stream("POST", "/v1/chat/completions", json=body) as r,
    ):
        chunks = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: {")]
    for chunk in chunks:
        validate("CreateChatCompletionStreamResponse", chunk)
    finishes = [c["choices"][0] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert len(finishes) == 1
    assert expected in finishes[0]["delta"]["validation_error"]
    marked = [c for c in chunks if c["choices"] and "validation_error" in c["choices"][0]["delta"]]
    assert [c["choices"][0] for c in marked] == finishes  # only on the finish chunk


def test_a_tool_history_the_gateway_never_saw_starts_one_chat_with_the_transcript(
    client: openai.OpenAI, upstream: RunningServer
) -> None:
    calls = [{"id": "call_x", "name": "get_weather", "arguments": '{"city": "Paris"}'}]
    completion = client.chat.completions.create(model=MODEL, messages=history_after(None, calls, "sunny"))
    assert completion.choices[0].message.content is not None and completion.choices[0].finish_reason == "stop"
    sent = prompt_of(upstream)
    assert "What is the weather in Paris?" in sent
    assert '"name": "get_weather"' in sent and '<tool_response name="get_weather" id="call_x">' in sent
    assert new_chats(upstream) == 1


def test_the_openai_stream_helper_parses_formats_and_calls(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script('{"city": "Paris", "celsius": 21, "conditions": ["sunny"]}', "On it.\n" + CALL_PARIS)
    with client.chat.completions.stream(model=MODEL, messages=QUESTION, response_format=Weather) as stream:
        parsed = stream.get_final_completion().choices[0].message.parsed
    assert parsed == Weather(city="Paris", celsius=21, conditions=["sunny"])
    with client.chat.completions.stream(
        model=MODEL, messages=QUESTION, tools=TOOLS, stream_options={"include_usage": True}
    ) as stream:
        done = [event for event in stream if event.type == "tool_calls.function.arguments.done"]
        final = stream.get_final_completion()
    assert [(d.name, json.loads(d.arguments)) for d in done] == [("get_weather", {"city": "Paris"})]
    assert final.choices[0].message.content == "On it."
    assert final.choices[0].finish_reason == "tool_calls" and final.usage is not None


class GetWeather(pydantic.BaseModel):
    """Current weather for a city."""

    city: str


def test_parse_with_a_strict_pydantic_function_tool(client: openai.OpenAI, upstream: RunningServer) -> None:
    upstream.script(render_call("GetWeather", {"city": "Paris"}))
    completion = client.chat.completions.parse(
        model=MODEL, messages=QUESTION, tools=[openai.pydantic_function_tool(GetWeather)]
    )
    (call,) = completion.choices[0].message.tool_calls or []
    assert call.function.parsed_arguments == GetWeather(city="Paris")
    assert "- GetWeather: Current weather for a city." in prompt_of(upstream)


def test_the_repair_budget_is_the_operators(gateway_factory: Any, upstream: RunningServer) -> None:
    gateway = gateway_factory(repair_rounds=0)
    upstream.script(render_call("get_weather", {"town": "Paris"}))
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        completion = client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS)
    (call,) = completion.choices[0].message.tool_calls or []
    assert json.loads(call.function.arguments) == {"town": "Paris"}  # handed out as written, no repair turn
    assert len(completions_posts(upstream)) == 1


def test_n_choices_with_tools_each_call_on_their_own(gateway: RunningGateway, upstream: RunningServer) -> None:
    upstream.script(CALL_PARIS, render_call("get_time", {"zone": "UTC"}))
    body = {"model": MODEL, "messages": QUESTION, "tools": TOOLS, "n": 2}
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        answer = http.post("/v1/chat/completions", json=body).json()
    validate("CreateChatCompletionResponse", answer)
    names = sorted(c["message"]["tool_calls"][0]["function"]["name"] for c in answer["choices"])
    assert names == ["get_time", "get_weather"]
    assert [c["finish_reason"] for c in answer["choices"]] == ["tool_calls", "tool_calls"]


def test_metrics_count_tool_calls_and_structured_answers(
    client: openai.OpenAI, gateway: RunningGateway, upstream: RunningServer
) -> None:
    bad = render_call("get_weather", {"town": "Paris"})
    upstream.script(CALL_PARIS, bad, bad, '{"a": 1}')
    client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS)
    client.chat.completions.create(model=MODEL, messages=user_text("again"), tools=TOOLS)
    client.chat.completions.create(model=MODEL, messages=user_text("j"), response_format={"type": "json_object"})
    with httpx.Client(base_url=gateway.url) as http:
        text = http.get("/metrics").text
    assert 'qwen_gateway_tool_calls_total{outcome="valid"} 1.0' in text
    assert 'qwen_gateway_tool_calls_total{outcome="invalid"} 1.0' in text
    assert 'qwen_gateway_structured_answers_total{outcome="valid"} 1.0' in text


def test_a_tool_stream_reassembles_to_the_whole_answer(gateway: RunningGateway, upstream: RunningServer) -> None:
    """With tools offered, the role chunk's content is null (as OpenAI streams it), so an answer of
    calls alone reassembles to ``content: null`` like the whole answer, not to ``""``."""
    upstream.script(CALL_PARIS, CALL_PARIS)
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        whole_answer = client.chat.completions.create(model=MODEL, messages=QUESTION, tools=TOOLS)
        with client.chat.completions.stream(model=MODEL, messages=QUESTION, tools=TOOLS) as stream:
            streamed = stream.get_final_completion()
        plain = list(
            client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True)
        )
    assert whole_answer.choices[0].message.content is None
    assert streamed.choices[0].message.content is None and streamed.choices[0].message.tool_calls
    assert plain[0].choices[0].delta.content == ""  # no tools offered: the usual empty string


def test_a_json_answer_cut_at_a_stop_sequence_says_it_no_longer_parses(
    gateway: RunningGateway, upstream: RunningServer
) -> None:
    upstream.script('{"a": 1}', '{"a": 1}')
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        cut = client.chat.completions.create(
            model=MODEL, messages=QUESTION, response_format={"type": "json_object"}, stop=["}"]
        )
        whole_answer = client.chat.completions.create(
            model=MODEL, messages=QUESTION, response_format={"type": "json_object"}, stop=["never"]
        )
    message = cut.choices[0].message
    assert message.content == '{"a": 1'
    assert message.model_extra is not None and "cut at the stop sequence '}'" in message.model_extra["validation_error"]
    assert (whole_answer.choices[0].message.model_extra or {}).get("validation_error") is None
