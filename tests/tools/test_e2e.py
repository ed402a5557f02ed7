"""Tool calling and structured output end to end: SDK -> real socket -> local server scripted like a model.

Every scenario runs sync and async, whole and streamed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api.testing import RunningServer, ScriptedAnswer, script_headers
from qwen_api.types import ToolCall

from .conftest import TOKEN, ask, completion_prompts, streamed_view

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
CALL_PARIS = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'
QUESTION = [{"role": "user", "content": "What is the weather in Paris?"}]


def check_stream_matches(response: Any, chunks: list[Any]) -> None:
    """The chunks say what the final response says, and no markup ever reached the text."""
    if not chunks:
        return
    text, calls, finish = streamed_view(chunks)
    message = response.choices[0].message
    assert text == message.content
    assert finish == response.choices[0].finish_reason
    assert [(call["id"], call["name"], call["arguments"]) for call in calls] == [
        (call.id, call.function.name, json.loads(call.function.arguments)) for call in message.tool_calls or []
    ]
    for chunk in chunks:
        assert "<tool" not in (chunk.choices[0].delta.content or "")


def test_full_tool_loop(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script("Let me check.\n" + CALL_PARIS, "It is sunny in Paris, 21 °C.")
    first, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(first, chunks)
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content == "Let me check."
    (call,) = choice.message.tool_calls or []
    assert isinstance(call, ToolCall) and call.type == "function" and call.id.startswith("call_")
    assert call.function.name == "get_weather" and json.loads(call.function.arguments) == {"city": "Paris"}
    assert call.error is None

    history = [
        *QUESTION,
        {"role": "assistant", "content": choice.message.content, "tool_calls": [call.to_dict()]},
        {"role": "tool", "tool_call_id": call.id, "content": '{"sky": "sunny", "celsius": 21}'},
    ]
    final, chunks = ask(mode, client, stream, history, tools=TOOLS)
    check_stream_matches(final, chunks)
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content == "It is sunny in Paris, 21 °C."
    assert final.choices[0].message.tool_calls is None

    prompts = completion_prompts(scripted)
    assert "get_weather: Current weather for a city." in prompts[-2]
    sent = prompts[-1]
    assert CALL_PARIS in sent  # the earlier call, in the markup the model is asked to write
    assert (
        f'<tool_response name="get_weather" id="{call.id}">\n{{"sky": "sunny", "celsius": 21}}\n</tool_response>'
        in sent
    )


@pytest.mark.parametrize("echo", ["object", "to_dict"])
def test_the_answer_itself_goes_back_into_the_history(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool, echo: str
) -> None:
    """The OpenAI habit ``messages.append(response.choices[0].message)``: the answer's Message (or its
    ``to_dict()``, reasoning and all) is accepted as the assistant turn, without its answer-only fields."""
    scripted.script(ScriptedAnswer("Let me check.\n" + CALL_PARIS, reasoning="I need the weather."), "Sunny.")
    first, _ = ask(mode, client, stream, QUESTION, tools=TOOLS)
    answer = first.choices[0].message
    assert answer.reasoning_content == "I need the weather."
    (call,) = answer.tool_calls or []
    echoed: Any = answer if echo == "object" else answer.to_dict()
    history = [*QUESTION, echoed, {"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
    final, _ = ask(mode, client, stream, history, tools=TOOLS)
    assert final.choices[0].message.content == "Sunny."
    sent = completion_prompts(scripted)[-1]
    assert "[assistant]\nLet me check.\n" + CALL_PARIS in sent
    assert "I need the weather." not in sent


def test_several_calls_in_one_answer(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script(CALL_PARIS + '\n<tool_call>{"name": "get_time", "arguments": {"zone": "Europe/Paris"}}</tool_call>')
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    calls = response.choices[0].message.tool_calls or []
    assert [call.function.name for call in calls] == ["get_weather", "get_time"]
    assert len({call.id for call in calls}) == 2
    assert response.choices[0].message.content == ""


def test_parallel_tool_calls_false_keeps_the_first_and_says_so(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    scripted.script(CALL_PARIS + CALL_PARIS.replace("Paris", "Rome"))
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, parallel_tool_calls=False)
    check_stream_matches(response, chunks)
    assert [json.loads(c.function.arguments) for c in response.choices[0].message.tool_calls or []] == [
        {"city": "Paris"}
    ]
    assert "Call at most one tool per answer." in completion_prompts(scripted)[-1]


def test_markup_is_held_back_even_one_character_at_a_time(
    scripted: RunningServer, server: RunningServer, mode: str
) -> None:
    scripted.script("Looking it up <tool_call>" + CALL_PARIS[11:] + " and that is all.")
    headers = {"x-qwen-mock-chunk-size": "1"}
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10, default_headers=headers) as client:
        response, chunks = ask(mode, client, True, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    assert response.choices[0].message.content == "Looking it up\n\nand that is all."
    pieces = [chunk.choices[0].delta.content for chunk in chunks if chunk.choices[0].delta.content]
    assert all("<" not in piece and "{" not in piece for piece in pieces)


def test_invalid_arguments_get_one_repair_round(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script(
        'On it.\n<tool_call>{"name": "get_weather", "arguments": {"town": "Paris"}}</tool_call>',
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>',
    )
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    (call,) = response.choices[0].message.tool_calls or []
    assert call.error is None and json.loads(call.function.arguments) == {"city": "Paris"}
    assert response.choices[0].message.content == "On it."
    repair_prompt = completion_prompts(scripted)[-1]
    assert "'city' is a required property" in repair_prompt
    assert '{"name": "get_weather", "arguments": {"town": "Paris"}}' in repair_prompt  # the failed answer, as context


def test_still_invalid_after_the_repair_round_is_marked(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    bad = '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris", "unit": "kelvin"}}</tool_call>'
    scripted.script(bad, bad)
    before = len(completion_prompts(scripted))
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    (call,) = response.choices[0].message.tool_calls or []
    assert call.error is not None and "'kelvin' is not one of ['c', 'f']" in call.error
    assert json.loads(call.function.arguments) == {"city": "Paris", "unit": "kelvin"}
    assert response.choices[0].finish_reason == "tool_calls"
    assert len(completion_prompts(scripted)) - before == 2


def test_repair_rounds_zero_sends_nothing_more(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script('<tool_call>{"name": "weather", "arguments": {}}</tool_call>')
    before = len(completion_prompts(scripted))
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, repair_rounds=0)
    check_stream_matches(response, chunks)
    (call,) = response.choices[0].message.tool_calls or []
    assert call.function.name == "weather" and call.error is not None and "no tool named 'weather'" in call.error
    assert len(completion_prompts(scripted)) - before == 1


def test_required_tool_choice_asks_again_when_no_call_came(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    scripted.script("I think it is sunny.", '<tool_call>{"name": "get_time", "arguments": {}}</tool_call>')
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice="required")
    check_stream_matches(response, chunks)
    assert [call.function.name for call in response.choices[0].message.tool_calls or []] == ["get_time"]
    prompts = completion_prompts(scripted)
    assert "You must call at least one tool in this answer." in prompts[-2]
    assert "a tool call is required here" in prompts[-1]


@pytest.mark.parametrize(
    "choice", ["required", {"type": "function", "function": {"name": "get_weather"}}], ids=["required", "named"]
)
def test_a_repaired_required_call_brings_its_own_narration(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool, choice: Any
) -> None:
    """The answer without its call is replaced by the repair: whole or streamed, the caller sees the
    repair's narration only (a stream holds text back until the first call, so the two agree)."""
    scripted.script("I think it is sunny, no need to check.", "Checking now.\n" + CALL_PARIS)
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice=choice)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert message.content == "Checking now."
    assert [call.function.name for call in message.tool_calls or []] == ["get_weather"]
    assert response.choices[0].finish_reason == "tool_calls" and message.validation_error is None


def test_narration_before_a_required_call_streams_with_the_call(scripted: RunningServer, client: Qwen) -> None:
    """Held until the call shows up, then handed out ahead of it; text after the call streams as usual."""
    scripted.script("Let me check.\n" + CALL_PARIS + "\nDone.")
    with client.chat.create(QUESTION, tools=TOOLS, tool_choice="required", stream=True) as stream:
        seen = [(chunk.choices[0].delta.content, bool(chunk.choices[0].delta.tool_calls)) for chunk in stream]
    text = [(content, call) for content, call in seen if content or call]
    assert text[0] == ("Let me check.", False) and text[1] == ("", True)
    assert "".join(content or "" for content, _ in text[2:]).strip() == "Done."


@pytest.mark.parametrize(
    "choice", ["required", {"type": "function", "function": {"name": "get_weather"}}], ids=["required", "named"]
)
def test_a_required_call_still_missing_after_the_repair_round_is_marked(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool, choice: Any
) -> None:
    scripted.script("I think it is sunny.", "I still would rather not call a tool.")
    before = len(completion_prompts(scripted))
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice=choice)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert len(completion_prompts(scripted)) - before == 2
    assert message.tool_calls is None and response.choices[0].finish_reason == "stop"
    # The first answer stands (a stream hands it out at the end), marked as failing tool_choice.
    assert message.content == "I think it is sunny."
    assert message.validation_error == "tool_choice required a tool call and the model answered without one"


def test_named_tool_choice(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script('<tool_call>{"name": "get_time", "arguments": {}}</tool_call>', CALL_PARIS)
    choice = {"type": "function", "function": {"name": "get_weather"}}
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice=choice)
    check_stream_matches(response, chunks)
    assert [call.function.name for call in response.choices[0].message.tool_calls or []] == ["get_weather"]
    prompts = completion_prompts(scripted)
    assert "You must call the tool get_weather in this answer." in prompts[-2]
    assert "tool_choice requires the tool get_weather" in prompts[-1]


PROSE = "You write a `<tool_call>` block containing JSON with the name and arguments, and I will run it for you."


@pytest.mark.parametrize("answer", [PROSE, "Use `<tool_call>` tags like this.", "<tool_call> blocks call tools."])
def test_a_tag_named_in_prose_stays_text(
    server: RunningServer, scripted: RunningServer, mode: str, stream: bool, answer: str
) -> None:
    """It used to open a call: a nameless one holding the rest of the text, and a repair round."""
    scripted.script(answer)
    before = len(completion_prompts(scripted))
    headers = {"x-qwen-mock-chunk-size": "1"}
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10, default_headers=headers) as client:
        response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    message = response.choices[0].message
    assert message.content == answer and message.tool_calls is None
    assert response.choices[0].finish_reason == "stop" and message.validation_error is None
    assert len(completion_prompts(scripted)) - before == 1  # nothing to repair
    if stream:
        assert streamed_view(chunks) == (answer, [], "stop")


def test_a_repair_that_repeats_the_whole_answer_gives_each_call_once(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    oslo = '<tool_call>{"name": "get_weather", "arguments": {"city": "Oslo"}}</tool_call>'
    kelvin = '<tool_call>{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "kelvin"}}</tool_call>'
    scripted.script(CALL_PARIS + "\n" + kelvin, CALL_PARIS + "\n" + oslo)
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    calls = response.choices[0].message.tool_calls or []
    assert [json.loads(call.function.arguments) for call in calls] == [{"city": "Paris"}, {"city": "Oslo"}]
    assert all(call.error is None for call in calls)


def test_a_named_tool_choice_drops_calls_to_other_tools(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """Not repaired: the repair of the other call came back as a second copy of the named one."""
    scripted.script(CALL_PARIS + '\n<tool_call>{"name": "get_time", "arguments": {}}</tool_call>')
    before = len(completion_prompts(scripted))
    choice = {"type": "function", "function": {"name": "get_weather"}}
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice=choice)
    check_stream_matches(response, chunks)
    calls = response.choices[0].message.tool_calls or []
    assert [(call.function.name, call.error) for call in calls] == [("get_weather", None)]
    assert len(completion_prompts(scripted)) - before == 1
    assert "the model called 'get_time' although tool_choice names 'get_weather'" in caplog.text


def test_tool_choice_none_strips_calls_and_answers_text(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.script("Sunny, I believe.\n" + CALL_PARIS)
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, tool_choice="none")
    check_stream_matches(response, chunks)
    assert response.choices[0].message.content == "Sunny, I believe."
    assert response.choices[0].message.tool_calls is None
    assert response.choices[0].finish_reason == "stop"
    assert "none may be called" in completion_prompts(scripted)[-1]
    assert "tool_choice is 'none'" in caplog.text


def test_reasoning_stays_apart_from_calls(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script(ScriptedAnswer(CALL_PARIS, reasoning="The user wants weather.\n\nI should call get_weather."))
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert message.reasoning_content == "The user wants weather.\n\nI should call get_weather."
    assert message.content == "" and message.tool_calls is not None
    if stream:
        reasoning = "".join(chunk.choices[0].delta.reasoning_content or "" for chunk in chunks)
        assert reasoning == message.reasoning_content


def test_a_script_header_drives_one_answer(server: RunningServer, mode: str, stream: bool) -> None:
    headers = script_headers("Calling now:\n" + CALL_PARIS)
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10, default_headers=headers) as client:
        response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    assert response.choices[0].message.content == "Calling now:"
    assert response.choices[0].message.tool_calls is not None


# -- structured output --------------------------------------------------------------------------

PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
PERSON_FORMAT = {"type": "json_schema", "json_schema": {"name": "person", "schema": PERSON, "strict": True}}


def test_json_object_is_extracted_from_narration_and_fences(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    scripted.script('Sure! Here it is:\n```json\n{"name": "Ann", "age": 31,}\n```\nAnything else?')
    response, chunks = ask(mode, client, stream, QUESTION, response_format={"type": "json_object"})
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert json.loads(message.content) == {"name": "Ann", "age": 31}
    assert message.parsed == {"name": "Ann", "age": 31} and message.validation_error is None
    assert "Answer with one JSON value only" in completion_prompts(scripted)[-1]


def test_json_schema_gets_one_repair_round(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script('{"name": "Ann", "age": "thirty-one"}', '{"name": "Ann", "age": 31}')
    response, chunks = ask(mode, client, stream, QUESTION, response_format=PERSON_FORMAT)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert message.parsed == {"name": "Ann", "age": 31} and message.validation_error is None
    assert json.loads(message.content) == {"name": "Ann", "age": 31}
    prompts = completion_prompts(scripted)
    assert '"required":["name","age"]' in prompts[-2]  # the schema, compact, in the instructions
    assert "'thirty-one' is not of type 'integer'" in prompts[-1]


def test_json_schema_still_invalid_is_marked(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script('{"name": "Ann"}', "I cannot tell her age.")
    response, chunks = ask(mode, client, stream, QUESTION, response_format=PERSON_FORMAT)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert message.parsed == {"name": "Ann"}  # the answer that parsed is kept over the one that did not
    assert message.validation_error is not None and "'age' is a required property" in message.validation_error


def test_tools_and_format_together(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script(CALL_PARIS, '{"name": "Paris weather", "age": 0}')
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, response_format=PERSON_FORMAT)
    check_stream_matches(response, chunks)
    assert response.choices[0].message.tool_calls is not None
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS, response_format=PERSON_FORMAT)
    check_stream_matches(response, chunks)
    assert response.choices[0].message.parsed == {"name": "Paris weather", "age": 0}


# -- conversations on the server ------------------------------------------------------------------


def test_conversation_tool_loop_continues_the_chat(
    scripted: RunningServer, client: Qwen, mode: str, stream: bool
) -> None:
    scripted.script(
        '<tool_call>{"name": "get_weather", "arguments": {}}</tool_call>',
        CALL_PARIS,
        "Sunny in Paris.",
    )

    def run_sync() -> tuple[Any, Any, str]:
        conversation = client.chats.new()
        first = conversation.send("Weather in Paris?", tools=TOOLS, stream=stream)
        first = first.until_done() if stream else first  # type: ignore[union-attr]
        call = first.choices[0].message.tool_calls[0]
        result = [{"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
        second = conversation.send(result, tools=TOOLS, stream=stream)
        second = second.until_done() if stream else second  # type: ignore[union-attr]
        return first, second, conversation.chat_id

    async def run_async() -> tuple[Any, Any, str]:
        conversation = await client.chats.anew()
        first = await conversation.asend("Weather in Paris?", tools=TOOLS, stream=stream)
        first = await first.until_done() if stream else first  # type: ignore[union-attr]
        call = first.choices[0].message.tool_calls[0]
        result = [{"role": "tool", "tool_call_id": call.id, "content": "sunny"}]
        second = await conversation.asend(result, tools=TOOLS, stream=stream)
        second = await second.until_done() if stream else second  # type: ignore[union-attr]
        return first, second, conversation.chat_id

    import asyncio

    first, second, chat_id = run_sync() if mode == "sync" else asyncio.run(run_async())
    (call,) = first.choices[0].message.tool_calls
    assert call.error is None and json.loads(call.function.arguments) == {"city": "Paris"}
    assert second.choices[0].message.content == "Sunny in Paris."
    turns = scripted.state.chats[chat_id].turns
    assert len(turns) == 3 and all(turn.parent_ok for turn in turns[1:])
    assert turns[1].prompt.startswith("These tool calls in your answer could not be used:")  # only the request
    assert "# Tools" in turns[2].prompt and f'id="{call.id}"' in turns[2].prompt


# -- streams that end early ------------------------------------------------------------------------


def test_closing_a_stream_early_runs_no_repair(scripted: RunningServer, client: Qwen) -> None:
    scripted.script("Intro text. " + '<tool_call>{"name": "weather", "arguments": {}}</tool_call>' * 50)
    before = len(completion_prompts(scripted))
    stream = client.chat.create(QUESTION, tools=TOOLS, stream=True)
    first = next(stream)
    assert "Intro text.".startswith(first.choices[0].delta.content)
    stream.close()
    assert list(stream) == []
    assert len(completion_prompts(scripted)) - before == 1  # no repair turn after the caller hung up


def test_a_broken_stream_keeps_only_visible_text(scripted: RunningServer, server: RunningServer, mode: str) -> None:
    from qwen_api.core.exceptions import QwenAPIError

    scripted.script("Checking the weather now. " + CALL_PARIS)
    server.add_fault("drop_after_events", path="/api/v2/chat/completions", after=9, times=1)
    headers = {"x-qwen-mock-chunk-size": "5"}
    try:
        with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10, default_headers=headers) as client:
            with pytest.raises(QwenAPIError) as caught:
                ask(mode, client, True, QUESTION, tools=TOOLS)
    finally:
        server.clear_faults()
    partial = caught.value.partial_content or ""
    assert partial.startswith("Checking") and "<tool" not in partial


def test_an_empty_answer_is_asked_to_continue(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    # The failure agents report most: the model reasons, then answers nothing, and the loop stops.
    scripted.script(ScriptedAnswer("", reasoning="I should look up the weather."), CALL_PARIS)
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    assert [call.function.name for call in response.choices[0].message.tool_calls or []] == ["get_weather"]
    assert "Your answer was empty. Continue the task" in completion_prompts(scripted)[-1]


def test_an_empty_answer_repaired_with_text(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    scripted.script("  \n", "It is sunny.")
    response, chunks = ask(mode, client, stream, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    assert response.choices[0].message.content == "It is sunny."
    assert response.choices[0].finish_reason == "stop"


MESSY = (
    "Let me check both.\n```json\n{'name': 'get_weather', 'arguments': {'city': 'Paris',}}\n```\n"
    "<function=get_time>\n<parameter=zone>\nEurope/Paris\n</parameter>\n</function>\n"
    "Back soon. `code` and a < b."
)


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64])
def test_any_chunking_on_the_wire_gives_the_same_answer(
    scripted: RunningServer, server: RunningServer, chunk_size: int
) -> None:
    scripted.script(MESSY)
    headers = {"x-qwen-mock-chunk-size": str(chunk_size)}
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10, default_headers=headers) as client:
        response, chunks = ask("sync", client, True, QUESTION, tools=TOOLS)
    check_stream_matches(response, chunks)
    message = response.choices[0].message
    assert message.content == "Let me check both.\n\nBack soon. `code` and a < b."
    assert [(c.function.name, json.loads(c.function.arguments)) for c in message.tool_calls or []] == [
        ("get_weather", {"city": "Paris"}),
        ("get_time", {"zone": "Europe/Paris"}),
    ]


def test_no_markup_in_any_delta_field(scripted: RunningServer, server: RunningServer) -> None:
    scripted.script("Sure. " + CALL_PARIS + " Done.")
    with Qwen(
        api_key=TOKEN, base_url=server.url, max_retries=0, default_headers={"x-qwen-mock-chunk-size": "4"}
    ) as client:
        chunks = list(client.chat.create(QUESTION, tools=TOOLS, stream=True))
    for chunk in chunks:
        delta = chunk.choices[0].delta
        assert "<tool" not in str(delta.raw.get("content", "")) and "tool_call>" not in (delta.content or "")
        if delta.content:
            assert delta.status == "typing"


async def test_a_repaired_stream_points_at_the_repaired_answer(scripted: RunningServer, client: Qwen) -> None:
    """After a repair round, ``stream.chat_id`` / ``response_id`` name the repair's answer: that is the
    answer a later turn continues from (a stateless call's repair runs in a chat of its own)."""
    bad = '<tool_call>\n{"name": "get_weather", "arguments": {"town": "Paris"}}\n</tool_call>'
    scripted.script(bad, CALL_PARIS, bad, CALL_PARIS)
    streams: list[Any] = []
    synced = client.chat.create(QUESTION, tools=TOOLS, stream=True)
    list(synced)
    streams.append(synced)
    opened = await client.chat.acreate(QUESTION, tools=TOOLS, stream=True)
    async for _ in opened:
        pass
    streams.append(opened)
    turns = scripted.state.requests_to("/api/v2/chat/completions", "POST")
    for stream, first, repair in ((streams[0], turns[-4], turns[-3]), (streams[1], turns[-2], turns[-1])):
        assert first.query["chat_id"] != repair.query["chat_id"]
        assert stream.chat_id == repair.query["chat_id"]
        assert stream.response_id is not None
