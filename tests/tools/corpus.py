"""Messy model outputs and what the parser must make of them (visible text, calls).

Written after what models really write when a prompt asks for ``<tool_call>`` blocks: narration
around calls, fences, several calls, JSON mended by json-repair, the Qwen3-Coder XML format,
unknown tools, arguments failing the schema, and text that only looks like markup.
Each call is ``(name, arguments or None when they are not JSON, ok)``.
"""

from __future__ import annotations

from typing import Any

import attrs

from qwen_api.tools import ToolSet

TOOLS = ToolSet.from_openai(
    [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "unit": {"type": "string", "enum": ["c", "f"]},
                    },
                    "required": ["city"],
                    "additionalProperties": False,
                },
            },
        },
        {
            "type": "function",
            "function": {
                "name": "search",
                "description": "Search the web.",
                "parameters": {
                    "type": "object",
                    "properties": {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
                    "required": ["query"],
                },
            },
        },
        {"type": "function", "function": {"name": "list_files"}},
    ]
)


@attrs.frozen
class Case:
    id: str
    text: str
    visible: str
    calls: tuple[tuple[str, Any, bool], ...] = ()


W = "get_weather"
PARIS = {"city": "Paris"}
CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call>'

CASES: list[Case] = [
    # -- the asked-for format ----------------------------------------------------------------
    Case("plain-text", "The capital of France is Paris.", "The capital of France is Paris."),
    Case("single-call", CALL, "", ((W, PARIS, True),)),
    Case("narration-before", "Let me look that up.\n" + CALL, "Let me look that up.", ((W, PARIS, True),)),
    Case(
        "narration-before-and-after",
        "Checking.\n\n" + CALL + "\n\nI will report back.",
        "Checking.\n\nI will report back.",
        ((W, PARIS, True),),
    ),
    Case(
        "two-blocks",
        CALL + "\n" + CALL.replace("Paris", "Oslo"),
        "",
        ((W, PARIS, True), (W, {"city": "Oslo"}, True)),
    ),
    Case(
        "array-in-one-block",
        '<tool_call>[{"name": "get_weather", "arguments": {"city": "Paris"}}, '
        '{"name": "search", "arguments": {"query": "news"}}]</tool_call>',
        "",
        ((W, PARIS, True), ("search", {"query": "news"}, True)),
    ),
    Case(
        "no-newlines",
        'Sure<tool_call>{"name":"get_weather","arguments":{"city":"Paris"}}</tool_call>done',
        "Sure\n\ndone",
        ((W, PARIS, True),),
    ),
    Case(
        "uppercase-tag",
        '<TOOL_CALL>{"name": "get_weather", "arguments": {"city": "Paris"}}</TOOL_CALL>',
        "",
        ((W, PARIS, True),),
    ),
    Case("empty-block", "Nothing to do.<tool_call></tool_call>", "Nothing to do."),
    Case("no-arguments-tool", '<tool_call>{"name": "list_files"}</tool_call>', "", (("list_files", {}, True),)),
    # -- fences --------------------------------------------------------------------------------
    Case(
        "json-fence",
        'I will call the tool:\n```json\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```',
        "I will call the tool:",
        ((W, PARIS, True),),
    ),
    Case(
        "tool-call-fence",
        '```tool_call\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```\nWaiting.',
        "Waiting.",
        ((W, PARIS, True),),
    ),
    Case("bare-fence", '```\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n```', "", ((W, PARIS, True),)),
    Case("tag-inside-fence", "```xml\n" + CALL + "\n```", "", ((W, PARIS, True),)),
    Case(
        "indented-fence",
        'Calling:\n  ```json\n  {"name": "get_weather", "arguments": {"city": "Paris"}}\n  ```',
        "Calling:",
        ((W, PARIS, True),),
    ),
    Case(
        "two-blocks-in-one-fence",
        "```\n" + CALL + "\n" + CALL.replace("Paris", "Rome") + "\n```",
        "",
        ((W, PARIS, True), (W, {"city": "Rome"}, True)),
    ),
    Case(
        "ordinary-json-fence-stays",
        'Example config:\n```json\n{"debug": true}\n```\nThat is all.',
        'Example config:\n```json\n{"debug": true}\n```\nThat is all.',
    ),
    Case(
        "python-fence-with-markup-stays",
        '```python\nprint("<tool_call>")\n```\nok',
        '```python\nprint("<tool_call>")\n```\nok',
    ),
    Case(
        "fence-call-unknown-tool-stays-text",
        '```json\n{"name": "rm_rf", "arguments": {}}\n```',
        '```json\n{"name": "rm_rf", "arguments": {}}\n```',
    ),
    Case(
        "fenced-call-with-backticks-in-string",
        '```json\n{"name": "search", "arguments": {"query": "```code```"}}\n```',
        "",
        (("search", {"query": "```code```"}, True),),
    ),
    # -- bare JSON -----------------------------------------------------------------------------
    Case("bare-json-answer", '{"name": "get_weather", "arguments": {"city": "Paris"}}', "", ((W, PARIS, True),)),
    Case(
        "bare-json-after-narration",
        'One moment.\n{"name": "get_weather", "arguments": {"city": "Paris"}}',
        "One moment.",
        ((W, PARIS, True),),
    ),
    Case(
        "bare-json-unknown-tool-stays",
        '{"name": "Ann", "age": 3}',
        '{"name": "Ann", "age": 3}',
    ),
    Case("brace-prose-stays", "{not json at all}\nfine", "{not json at all}\nfine"),
    Case(
        "bare-array-of-calls",
        '[{"name": "get_weather", "arguments": {"city": "Paris"}}]',
        "",
        ((W, PARIS, True),),
    ),
    # -- JSON that needs mending -----------------------------------------------------------------
    Case(
        "trailing-commas",
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris",},}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "single-quotes",
        "<tool_call>{'name': 'get_weather', 'arguments': {'city': 'Paris'}}</tool_call>",
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "unquoted-keys",
        "<tool_call>{name: 'get_weather', arguments: {city: 'Paris'}}</tool_call>",
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "comment-in-json",
        '<tool_call>{"name": "get_weather", // the tool\n "arguments": {"city": "Paris"}}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "python-literals",
        "<tool_call>{'name': 'search', 'arguments': {'query': 'x', 'limit': 2, 'safe': True}}</tool_call>",
        "",
        (("search", {"query": "x", "limit": 2, "safe": True}, True),),
    ),
    Case(
        "unclosed-block-at-end",
        'Let me check. <tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}',
        "Let me check.",
        ((W, PARIS, True),),
    ),
    Case(
        "truncated-json-at-end",
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "second-opener-before-close",
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}\n'
        '<tool_call>{"name": "search", "arguments": {"query": "q"}}</tool_call>',
        "",
        ((W, PARIS, True), ("search", {"query": "q"}, True)),
    ),
    # -- other shapes of a call ----------------------------------------------------------------
    Case(
        "arguments-as-json-string",
        '<tool_call>{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "parameters-key",
        '<tool_call>{"name": "get_weather", "parameters": {"city": "Paris"}}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case("flat-arguments", '<tool_call>{"name": "get_weather", "city": "Paris"}</tool_call>', "", ((W, PARIS, True),)),
    Case(
        "openai-shape",
        '<tool_call>{"type": "function", "function": {"name": "get_weather", '
        '"arguments": "{\\"city\\": \\"Paris\\"}"}}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "nested-function-key",
        '<tool_call>{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "qwen3-coder-xml",
        "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>",
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "bare-xml-function-with-integer",
        "Searching.\n<function=search>\n<parameter=query>\nrust async\n</parameter>\n"
        "<parameter=limit>\n5\n</parameter>\n</function>",
        "Searching.",
        (("search", {"query": "rust async", "limit": 5}, True),),
    ),
    Case(
        "name-line-then-json",
        '<tool_call>get_weather\n{"city": "Paris"}</tool_call>',
        "",
        ((W, PARIS, True),),
    ),
    Case(
        "glm-arg-pairs",
        "<tool_call>search\n<arg_key>query</arg_key>\n<arg_value>rust</arg_value>\n"
        "<arg_key>limit</arg_key>\n<arg_value>3</arg_value>\n</tool_call>",
        "",
        (("search", {"query": "rust", "limit": 3}, True),),
    ),
    Case(
        "unicode-arguments",
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Zürich 🌧"}}</tool_call>',
        "",
        ((W, {"city": "Zürich 🌧"}, True),),
    ),
    # -- calls that cannot be trusted -------------------------------------------------------------
    Case(
        "unknown-tool",
        '<tool_call>{"name": "delete_everything", "arguments": {}}</tool_call>',
        "",
        (("delete_everything", {}, False),),
    ),
    Case(
        "missing-required-argument",
        '<tool_call>{"name": "get_weather", "arguments": {"town": "Paris"}}</tool_call>',
        "",
        ((W, {"town": "Paris"}, False),),
    ),
    Case(
        "wrong-argument-type",
        '<tool_call>{"name": "search", "arguments": {"query": "x", "limit": "many"}}</tool_call>',
        "",
        (("search", {"query": "x", "limit": "many"}, False),),
    ),
    Case(
        "enum-violation",
        '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris", "unit": "kelvin"}}</tool_call>',
        "",
        ((W, {"city": "Paris", "unit": "kelvin"}, False),),
    ),
    Case(
        "arguments-not-json",
        '<tool_call>{"name": "get_weather", "arguments": "city=Paris"}</tool_call>',
        "",
        ((W, None, False),),
    ),
    # a block that names no tool is no call (never a nameless one): shown as written, its stray close dropped
    Case(
        "garbage-in-block",
        "<tool_call>get weather for Paris please</tool_call>",
        "<tool_call>get weather for Paris please",
    ),
    Case(
        "json-block-naming-no-tool",
        '<tool_call>{"city": "Paris"}</tool_call>',
        '<tool_call>{"city": "Paris"}</tool_call>',
    ),
    # -- the tags named in prose: an opener not followed by a call is text --------------------------
    Case(
        "opener-in-inline-code",
        "You write a `<tool_call>` block containing JSON with the name and arguments, and I will run it for you.",
        "You write a `<tool_call>` block containing JSON with the name and arguments, and I will run it for you.",
    ),
    Case(
        "opener-named-in-prose", "<tool_call> blocks are how I call tools.", "<tool_call> blocks are how I call tools."
    ),
    Case(
        "tags-in-inline-code",
        "Use `<tool_call>` and `</tool_call>` tags; results come in `<tool_response>` blocks.",
        "Use `<tool_call>` and `</tool_call>` tags; results come in `<tool_response>` blocks.",
    ),
    Case(
        "opener-named-then-a-call",
        "A `<tool_call>` block:\n" + CALL + "\nDone.",
        "A `<tool_call>` block:\n\nDone.",
        ((W, PARIS, True),),
    ),
    Case(
        "key-value-call-not-json",
        '<tool_call>name: "get_weather", city: Paris</tool_call>',
        "",
        ((W, None, False),),
    ),
    Case(
        "name-line-then-arguments-needed",
        "<tool_call>get_weather is the tool I would use.",
        "<tool_call>get_weather is the tool I would use.",
    ),
    # -- markup that must not leak, and text that only looks like it -------------------------------
    Case("stray-closing-tag", "All done.</tool_call>", "All done."),
    Case(
        "hallucinated-result-dropped",
        CALL + '\n<tool_response>\n{"temp": 30}\n</tool_response>\nIt is 30 degrees.',
        "It is 30 degrees.",
        ((W, PARIS, True),),
    ),
    Case("less-than-in-text", "If a < b and c<d then <b>bold</b>.", "If a < b and c<d then <b>bold</b>."),
    Case("word-tool-call", "I could use a tool_call here, or not.", "I could use a tool_call here, or not."),
    Case("inline-backticks", "Use `get_weather` with ``city``.", "Use `get_weather` with ``city``."),
    Case(
        "closing-tag-inside-a-string",
        '<tool_call>{"name": "search", "arguments": {"query": "why does </tool_call> end it"}}</tool_call>',
        "",
        (("search", {"query": "why does </tool_call> end it"}, True),),
    ),
    Case(
        "fence-inside-a-string",
        '```json\n{"name": "search", "arguments": {"query": "a\n```\nb"}}\n```\nok',
        "ok",
        (("search", {"query": "a\n```\nb"}, True),),
    ),
    Case(
        "nested-arguments",
        '<tool_call>{"name": "search", "arguments": {"query": "a", "filters": [{"k": "v", "n": [1, 2]}]}}</tool_call>',
        "",
        (("search", {"query": "a", "filters": [{"k": "v", "n": [1, 2]}]}, True),),
    ),
]
