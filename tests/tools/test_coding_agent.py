"""A coding agent's large, nested tool set: it renders, round-trips through a scripted call, and validates."""

from __future__ import annotations

import json

from qwen_api import Qwen
from qwen_api.testing import RunningServer
from qwen_api.tools import ToolCallParser, ToolPlan, ToolSet, render_call
from qwen_api.types import ChatMessage

from .coding_agent import CODING_AGENT_TOOLS, EDIT_ARGUMENTS, TODO_ARGUMENTS
from .conftest import ask, completion_prompts, streamed_view

TOOLSET = ToolSet.from_openai(CODING_AGENT_TOOLS)


def test_every_tool_renders_compactly_with_its_full_schema() -> None:
    plan = ToolPlan.build(tools=CODING_AGENT_TOOLS)
    assert plan is not None
    prompt = plan.instructions()
    for tool in CODING_AGENT_TOOLS:
        function = tool["function"]
        assert f"- {function['name']}: {function['description']}" in prompt
        compact = json.dumps(function["parameters"], ensure_ascii=False, separators=(",", ":"))
        assert f"  arguments: {compact}" in prompt
    # neutral: nothing but the caller's tools is named, and the prompt stays small for 12 tools
    assert "read_file" not in ToolPlan.build(tools=CODING_AGENT_TOOLS[1:2]).instructions()  # type: ignore[union-attr]
    assert len(prompt) < 9000


def test_rendered_calls_parse_back_to_the_same_arguments() -> None:
    for name, arguments in (("edit", EDIT_ARGUMENTS), ("todo_write", TODO_ARGUMENTS)):
        parser = ToolCallParser(TOOLSET)
        events = parser.feed("Doing it.\n" + render_call(name, arguments)) + parser.finish()
        assert events[0] == "Doing it."
        call = events[1]
        assert not isinstance(call, str)
        assert call.ok, call.error
        assert call.name == name and json.loads(call.arguments) == arguments


def test_nested_schema_violations_are_reported_with_their_path() -> None:
    bad_todos = {"todos": [{"id": "1", "content": "x", "status": "done"}]}
    bad_edit = {"file_path": "/a", "edits": [{"old_string": "a", "new_string": "b", "replace_all": "yes"}]}
    parser = ToolCallParser(TOOLSET)
    events = parser.feed(render_call("todo_write", bad_todos) + render_call("edit", bad_edit)) + parser.finish()
    errors = [event.error for event in events if not isinstance(event, str)]
    assert errors[0] is not None and "at todos[0].status: 'done' is not one of" in errors[0]
    assert errors[1] is not None and "at edits[0].replace_all: 'yes' is not of type 'boolean'" in errors[1]


def test_oneof_and_refs_validate() -> None:
    parser = ToolCallParser(TOOLSET)
    good = {"notebook_path": "/n.ipynb", "cell": {"index": 2}, "new_source": "x = 1"}
    bad = {"notebook_path": "/n.ipynb", "cell": {"name": 2}, "new_source": "x = 1"}
    events = parser.feed(render_call("notebook_edit", good) + render_call("notebook_edit", bad)) + parser.finish()
    assert [event.ok for event in events if not isinstance(event, str)] == [True, False]


def test_a_coding_agent_turn_end_to_end(scripted: RunningServer, client: Qwen, mode: str, stream: bool) -> None:
    answer = (
        "I'll update the plan and fix the file.\n"
        + render_call("todo_write", TODO_ARGUMENTS)
        + "\n"
        + render_call("edit", EDIT_ARGUMENTS)
        + "\n"
        + render_call("bash", {"command": "make test", "timeout": 120000, "description": "Run the tests"})
    )
    scripted.script(answer)
    messages = [
        ChatMessage(role="system", content="You are a careful coding agent."),
        ChatMessage(role="user", content="Fix main() and run the tests."),
    ]
    response, chunks = ask(mode, client, stream, messages, tools=CODING_AGENT_TOOLS)
    message = response.choices[0].message
    assert message.content == "I'll update the plan and fix the file."
    calls = message.tool_calls or []
    assert [call.function.name for call in calls] == ["todo_write", "edit", "bash"]
    assert all(call.error is None for call in calls)
    assert json.loads(calls[0].function.arguments) == TODO_ARGUMENTS
    assert json.loads(calls[1].function.arguments) == EDIT_ARGUMENTS
    if stream:
        text, streamed, finish = streamed_view(chunks)
        assert text == message.content and finish == "tool_calls"
        assert [entry["arguments"] for entry in streamed] == [json.loads(call.function.arguments) for call in calls]
    sent = completion_prompts(scripted)[-1]
    assert sent.index("[system]\nYou are a careful coding agent.") < sent.index("# Tools") < sent.index("[user]")
