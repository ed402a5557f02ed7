"""Tool calling and structured output emulated on Qwen Chat (which has neither natively).

Shared by the SDK (``chat.create(tools=..., response_format=...)``) and the gateway's OpenAI and
Anthropic APIs: one prompt renderer, one incremental parser, one reviewer. Pure code, no I/O;
``jsonschema`` and ``json-repair`` are imported only when a schema is checked or JSON mended.
"""

from ._json import Extracted, extract_json, loads_lenient
from ._parser import ParsedToolCall, ToolCallParser, parse_calls_text
from ._plan import Review, ToolPlan, has_tool_history, render_history
from ._prompt import (
    render_call,
    render_format_instructions,
    render_format_repair,
    render_tool_instructions,
    render_tool_repair,
    render_tool_result,
)
from ._spec import (
    TOOL_NAME_RULE,
    ChoiceSpec,
    FormatSpec,
    ToolSet,
    ToolSpec,
    is_tool_name,
    parse_response_format,
    parse_tool_choice,
)
from ._validate import check_schema, validate

__all__ = [
    "TOOL_NAME_RULE",
    "ChoiceSpec",
    "Extracted",
    "FormatSpec",
    "ParsedToolCall",
    "Review",
    "ToolCallParser",
    "ToolPlan",
    "ToolSet",
    "ToolSpec",
    "check_schema",
    "extract_json",
    "has_tool_history",
    "is_tool_name",
    "loads_lenient",
    "parse_calls_text",
    "parse_response_format",
    "parse_tool_choice",
    "render_call",
    "render_format_instructions",
    "render_format_repair",
    "render_history",
    "render_tool_instructions",
    "render_tool_repair",
    "render_tool_result",
    "validate",
]
