"""The emulation core without I/O: input checks, JSON extraction, review and repair decisions."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api.tools import (
    ParsedToolCall,
    Review,
    ToolPlan,
    ToolSet,
    extract_json,
    render_history,
    render_tool_instructions,
)
from qwen_api.tools._spec import ChoiceSpec
from qwen_api.types import ChatMessage, ToolCall

WEATHER = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
}


@pytest.mark.parametrize(
    ("tools", "error", "text"),
    [
        ("get_weather", TypeError, "tools must be a list"),
        ([42], TypeError, "tools[0] must be a dict"),
        ([{"type": "retrieval"}], ValueError, "must be 'function'"),
        ([{"type": "function"}], ValueError, "needs a 'function' object"),
        ([{"type": "function", "function": {"name": "has space"}}], ValueError, "function.name must be"),
        ([WEATHER, WEATHER], ValueError, "is used twice"),
        (
            [{"type": "function", "function": {"name": "x", "parameters": {"type": "objekt"}}}],
            ValueError,
            "not a valid JSON Schema",
        ),
        ([{"type": "function", "function": {"name": "x", "parameters": []}}], TypeError, "JSON Schema object"),
        ([{"type": "function", "function": {"name": "x", "description": 3}}], TypeError, "description"),
    ],
)
def test_bad_tools_are_refused_clearly(tools: Any, error: type[Exception], text: str) -> None:
    with pytest.raises(error, match=None) as caught:
        ToolPlan.build(tools=tools)
    assert text in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"tools": [WEATHER], "tool_choice": "always"}, ValueError, "tool_choice must be"),
        ({"tools": [WEATHER], "tool_choice": {"type": "function", "function": {"name": "nope"}}}, ValueError, "nope"),
        ({"tool_choice": "required"}, ValueError, "tool_choice needs tools"),
        ({"tools": [WEATHER], "parallel_tool_calls": "yes"}, TypeError, "parallel_tool_calls"),
        ({"response_format": "json"}, TypeError, "response_format must be a dict"),
        ({"response_format": {"type": "yaml"}}, ValueError, "response_format.type"),
        ({"response_format": {"type": "json_schema"}}, ValueError, "needs 'json_schema'"),
        (
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": 5}}}},
            ValueError,
            "not a valid JSON Schema",
        ),
        ({"tools": [WEATHER], "repair_rounds": 9}, ValueError, "between 0 and 3"),
        ({"tools": [WEATHER], "repair_rounds": True}, TypeError, "repair_rounds"),
    ],
)
def test_bad_choices_and_formats_are_refused(kwargs: dict[str, Any], error: type[Exception], text: str) -> None:
    with pytest.raises(error) as caught:
        ToolPlan.build(**kwargs)
    assert text in str(caught.value)


def test_nothing_to_emulate_gives_no_plan() -> None:
    assert ToolPlan.build() is None
    assert ToolPlan.build(response_format={"type": "text"}) is None
    assert ToolPlan.build(tools=[], tool_choice="none") is None


def test_create_refuses_bad_tools_before_any_request() -> None:
    with Qwen(api_key="token-1234567890", base_url="http://127.0.0.1:9", max_retries=0) as client:
        with pytest.raises(ValueError, match="is used twice"):
            client.chat.create([{"role": "user", "content": "hi"}], tools=[WEATHER, WEATHER])
        with pytest.raises(ValueError, match="tool_choice needs tools"):
            client.chat.create([{"role": "user", "content": "hi"}], tool_choice="required")


def test_instructions_follow_the_choice() -> None:
    tools = ToolSet.from_openai([WEATHER])
    assert "Call a tool when it helps" in render_tool_instructions(tools, ChoiceSpec("auto"))
    assert "You must call at least one tool" in render_tool_instructions(tools, ChoiceSpec("required"))
    assert "You must call the tool get_weather" in render_tool_instructions(
        tools, ChoiceSpec("function", "get_weather")
    )
    none = render_tool_instructions(tools, ChoiceSpec("none"))
    assert "none may be called" in none and "get_weather" not in none
    assert "Call at most one tool" in render_tool_instructions(tools, ChoiceSpec("auto"), parallel=False)


@pytest.mark.parametrize(
    ("text", "value", "repaired"),
    [
        ('{"a": 1}', {"a": 1}, False),
        ("  [1, 2]\n", [1, 2], False),
        ('Here you are:\n```json\n{"a": 1}\n```\nBye.', {"a": 1}, False),
        ('The answer is {"a": {"b": [1, "}"]}} as asked.', {"a": {"b": [1, "}"]}}, False),
        ("```\n{'a': 1,}\n```", {"a": 1}, True),
        ('Result: {"a": 1, "b": [1, 2', {"a": 1, "b": [1, 2]}, True),
    ],
)
def test_json_is_found_where_models_put_it(text: str, value: Any, repaired: bool) -> None:
    found = extract_json(text)
    assert found is not None and found.value == value and found.repaired is repaired


@pytest.mark.parametrize("text", ["", "no json here", "I'd say 42 is the answer?"])
def test_no_json_is_no_json(text: str) -> None:
    assert extract_json(text) is None


def call(name: str, error: str | None = None, arguments: str = "{}") -> ParsedToolCall:
    return ParsedToolCall(name, arguments, error)


def test_review_and_merge_keep_good_calls_and_replace_bad_ones() -> None:
    plan = ToolPlan.build(tools=[WEATHER])
    assert plan is not None
    first = plan.review("text", [call("get_weather"), call("get_weather", "bad")])
    assert first.needs_repair and first.problems == ["get_weather: bad"]
    fixed = plan.merge(first, plan.review("", [call("get_weather", arguments='{"city": "Paris"}')]))
    assert [c.error for c in fixed.calls] == [None, None] and fixed.content == "text"
    unchanged = plan.merge(first, plan.review("no calls, sorry", []))
    assert unchanged == first


def test_a_repair_that_repeats_a_kept_call_adds_it_once() -> None:
    """Models asked to fix one call often write the whole answer again: the calls already kept come
    back too, identical in name and arguments (key order and spacing aside)."""
    plan = ToolPlan.build(tools=[WEATHER])
    assert plan is not None
    paris = call("get_weather", arguments='{"city": "Paris"}')
    first = plan.review("", [paris, call("get_weather", "bad", '{"city": 5}')])
    again = call("get_weather", arguments='{ "city":"Paris" }')
    oslo = call("get_weather", arguments='{"city": "Oslo"}')
    merged = plan.merge(first, plan.review("", [again, oslo, oslo]))
    assert [c.arguments for c in merged.calls] == ['{"city": "Paris"}', '{"city": "Oslo"}']
    assert not merged.needs_repair


def test_a_named_tool_choice_drops_calls_to_other_tools(caplog: pytest.LogCaptureFixture) -> None:
    """Kept with an error they went to the repair round, whose answer was the named call once more:
    the same call twice. Dropped (and logged), they cannot; with no named call left, the answer is
    missing its call and the repair asks for that one by name."""
    other = {"type": "function", "function": {"name": "ls", "parameters": {"type": "object"}}}
    plan = ToolPlan.build(tools=[WEATHER, other], tool_choice={"type": "function", "function": {"name": "get_weather"}})
    assert plan is not None
    review = plan.review("", [call("get_weather", arguments='{"city": "Paris"}'), call("ls")])
    assert [c.name for c in review.calls] == ["get_weather"] and not review.needs_repair
    assert "tool_choice names 'get_weather'" in caplog.text
    wrong = plan.review("", [call("ls")])
    assert wrong.calls == () and wrong.missing_call
    assert "tool_choice requires the tool get_weather" in plan.repair_request(wrong)
    merged = plan.merge(wrong, plan.review("", [call("ls"), call("get_weather", arguments='{"city": "Oslo"}')]))
    assert [c.name for c in merged.calls] == ["get_weather"]


def test_required_without_a_call_needs_repair() -> None:
    plan = ToolPlan.build(tools=[WEATHER], tool_choice="required")
    assert plan is not None
    review = plan.review("no call", [])
    assert review.missing_call and review.needs_repair
    messages = plan.repair_messages([ChatMessage(content="q")], "no call", review)
    assert [m.role for m in messages] == ["user", "assistant", "user"]
    assert "a tool call is required" in (messages[-1].content or "")


def test_format_review_prefers_the_answer_that_parsed() -> None:
    plan = ToolPlan.build(response_format={"type": "json_object"})
    assert plan is not None
    first = plan.review("[1]", [])
    assert first.format_error == "the answer must be a JSON object" and first.parsed == [1]
    worse = plan.review("nothing", [])
    assert plan.merge(first, worse) is first
    better = plan.review('{"ok": true}', [])
    assert plan.merge(first, better) == Review('{"ok": true}', (), {"ok": True}, None, False)


def test_a_failed_format_keeps_the_models_own_text_not_a_fragment_mended_out_of_it() -> None:
    plan = ToolPlan.build(response_format={"type": "json_object"})
    assert plan is not None
    prose = "You said: [system] and then hello"
    review = plan.review(prose, [])
    assert review.content == prose and review.format_error == "the answer must be a JSON object"
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    strict = ToolPlan.build(response_format={"type": "json_schema", "json_schema": {"name": "n", "schema": schema}})
    assert strict is not None
    mended = strict.review("here: {'m': 1,}", [])  # needed mending and still fails: the text as written
    assert mended.content == "here: {'m': 1,}" and mended.format_error is not None
    fenced = strict.review('```json\n{"m": 1}\n```', [])  # parsed as written: the JSON itself
    assert fenced.content == '{"m": 1}' and fenced.format_error is not None


def test_history_renders_calls_and_results() -> None:
    messages = [
        ChatMessage(role="user", content="q"),
        ChatMessage(
            role="assistant",
            tool_calls=[{"id": "c1", "type": "function", "function": {"name": "f", "arguments": {"x": 1}}}],
        ),
        ChatMessage(role="tool", tool_call_id="c1", content="42"),
    ]
    rendered = render_history(messages)
    assert rendered[1].text == '<tool_call>\n{"name": "f", "arguments": {"x": 1}}\n</tool_call>'
    assert rendered[2].text == '<tool_response name="f" id="c1">\n42\n</tool_response>'
    assert isinstance(messages[1].tool_calls[0], ToolCall)  # type: ignore[index]
    assert messages[1].tool_calls[0].function.arguments == '{"x": 1}'  # type: ignore[index]


def test_tool_call_dicts_are_checked() -> None:
    with pytest.raises(ValueError, match="needs 'function'"):
        ChatMessage(role="assistant", tool_calls=[{"id": "x"}])
    with pytest.raises(TypeError, match="tool_calls must be a list"):
        ChatMessage(role="assistant", tool_calls="f()")


def test_importing_qwen_api_loads_no_tool_machinery() -> None:
    code = (
        "import sys, qwen_api; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jsonschema', 'json_repair') "
        "or m.startswith(('qwen_api.tools', 'qwen_api._tool'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tool_call_types_give_the_openai_wire_forms() -> None:
    from qwen_api.types import ToolCallDelta, ToolCallFunction, ToolCallFunctionDelta

    call = ToolCall("call_1", ToolCallFunction("f", '{"x": 1}'))
    assert call.to_dict() == {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}
    delta = ToolCallDelta(0, "call_1", "function", ToolCallFunctionDelta("f", "{}"))
    assert delta.to_dict() == {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }
    assert ToolCallDelta(1, None, None, ToolCallFunctionDelta(None, '"}')).to_dict() == {
        "index": 1,
        "function": {"arguments": '"}'},
    }


def test_an_openai_assistant_message_echoed_back_is_accepted() -> None:
    from qwen_api._messages import normalise_messages

    echoed = {
        "role": "assistant",
        "content": None,
        "refusal": None,
        "annotations": [],
        "audio": None,
        "function_call": None,
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
    }
    messages = normalise_messages(
        [{"role": "user", "content": "q"}, echoed, {"role": "tool", "tool_call_id": "c1", "content": "r"}]
    )
    assert messages[1].tool_calls is not None and messages[1].tool_calls[0].id == "c1"
    with pytest.raises(ValueError, match="unknown keys"):
        normalise_messages([{"role": "user", "content": "q", "refusal": "I will not"}])
