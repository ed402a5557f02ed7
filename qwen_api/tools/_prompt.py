"""The text that teaches the model our tools, and the markup it reads and writes.

Compact and neutral: every tool is one line of name and description plus its parameters as
minified JSON Schema, whatever the client calls its tools; the call format is the
``<tool_call>`` JSON block that Qwen models are trained on. Earlier calls and their results are
rendered in the same markup, so the transcript itself shows the model the format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._spec import ChoiceSpec, FormatSpec, ToolSet

__all__ = [
    "render_call",
    "render_format_instructions",
    "render_format_repair",
    "render_tool_instructions",
    "render_tool_repair",
    "render_tool_result",
]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render_call(name: str, arguments: str | Mapping[str, Any]) -> str:
    """One call in the format the model is asked to write."""
    if isinstance(arguments, str):
        try:
            decoded: Any = json.loads(arguments) if arguments.strip() else {}
        except ValueError:
            body = f'{{"name": {json.dumps(name, ensure_ascii=False)}, "arguments": {arguments}}}'
            return f"<tool_call>\n{body}\n</tool_call>"
    else:
        decoded = dict(arguments)
    body = json.dumps({"name": name, "arguments": decoded}, ensure_ascii=False)
    return f"<tool_call>\n{body}\n</tool_call>"


def render_tool_result(content: str, *, call_id: str | None = None, name: str | None = None) -> str:
    """A tool's result as the model reads it."""
    attributes = ""
    if name:
        attributes += f' name="{name}"'
    if call_id:
        attributes += f' id="{call_id}"'
    return f"<tool_response{attributes}>\n{content}\n</tool_response>"


def render_tool_instructions(tools: ToolSet, choice: ChoiceSpec, *, parallel: bool = True) -> str:
    """The tool catalogue and the calling rules, honouring ``tool_choice`` and ``parallel_tool_calls``."""
    if choice.mode == "none":
        return (
            "# Tools\n\nTools were used earlier in this conversation, but none may be called now: "
            "answer in plain text and do not write <tool_call> blocks."
        )
    lines = [
        "# Tools",
        "",
        "You can call these tools. Each line gives a tool's name and purpose, then its arguments as JSON Schema.",
        "",
    ]
    for tool in tools.tools:
        head = f"- {tool.name}" + (f": {tool.description}" if tool.description else "")
        lines.append(head)
        lines.append(f"  arguments: {_compact(tool.parameters or {'type': 'object', 'properties': {}})}")
    lines += [
        "",
        "To call a tool, write a block exactly like this, with arguments that match its schema:",
        "<tool_call>",
        '{"name": "<tool name>", "arguments": {<arguments as JSON>}}',
        "</tool_call>",
        "",
        "Rules:",
        "- Write tool calls as plain <tool_call> blocks, not inside code fences, with strict JSON.",
    ]
    if parallel:
        lines.append("- To call several tools at once, write one <tool_call> block per call.")
    else:
        lines.append("- Call at most one tool per answer.")
    lines.append(
        "- After your calls, stop: the results arrive in the next message as <tool_response> blocks. "
        "Never write a <tool_response> yourself."
    )
    if choice.mode == "auto":
        lines.append("- Call a tool when it helps; otherwise answer directly in plain text.")
    elif choice.mode == "required":
        lines.append("- You must call at least one tool in this answer.")
    else:
        lines.append(f"- You must call the tool {choice.name} in this answer.")
    return "\n".join(lines)


def render_format_instructions(spec: FormatSpec) -> str:
    """Ask for one JSON value, and show the schema it must satisfy."""
    text = "# Answer format\n\nAnswer with one JSON value only: no prose before or after it, no code fences."
    if spec.kind == "json_object" or spec.schema is None:
        return text + " The value must be a JSON object."
    description = f" ({spec.description})" if spec.description else ""
    return f"{text} It must validate against this JSON Schema{description}:\n{_compact(spec.schema)}"


def render_tool_repair(
    problems: list[str], *, missing_call: bool = False, empty: bool = False, tool: str | None = None
) -> str:
    """The follow-up message of a repair round for tool calls (``tool``: the one ``tool_choice`` names)."""
    if empty:
        return (
            "Your answer was empty. Continue the task: write the <tool_call> block(s) you need, "
            "or answer in plain text if you are done."
        )
    if missing_call and tool is not None:
        return (
            f"Your answer did not call the tool {tool}, but tool_choice requires the tool {tool} here. "
            f"Answer again with only the <tool_call> block calling {tool}."
        )
    if missing_call:
        return (
            "Your answer did not call a tool, but a tool call is required here. "
            "Answer again with only the <tool_call> block(s)."
        )
    listed = "\n".join(f"- {problem}" for problem in problems)
    return (
        "These tool calls in your answer could not be used:\n"
        f"{listed}\n"
        "Write only the corrected <tool_call> block(s) for them, complete, with arguments that match the schema."
    )


def render_format_repair(problem: str) -> str:
    """The follow-up message of a repair round for structured output."""
    return f"Your answer is not usable: {problem}\nAnswer again with only the corrected JSON value."
