"""One request's tool and format emulation: what to tell the model, and how to judge its answer.

:class:`ToolPlan` is built from the OpenAI-style parameters; it renders the messages (history with
earlier calls and results in markup, plus the instructions), gives a fresh parser per answer, and
reviews an answer into a :class:`Review`: the visible text, the calls kept, the JSON value for
``response_format``, and the problems a repair round should fix. The SDK and the gateway drive it;
it does no I/O itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import attrs

from ..types.chat import ChatMessage, TextBlock
from ._json import extract_json
from ._parser import ParsedToolCall, ToolCallParser
from ._prompt import (
    render_call,
    render_format_instructions,
    render_format_repair,
    render_tool_instructions,
    render_tool_repair,
    render_tool_result,
)
from ._spec import ChoiceSpec, FormatSpec, ToolSet, parse_response_format, parse_tool_choice
from ._validate import validate

__all__ = ["Review", "ToolPlan", "has_tool_history", "render_history"]

logger = logging.getLogger("qwen_api")

_PIECE = 2048
DEFAULT_REPAIR_ROUNDS = 1
MAX_REPAIR_ROUNDS = 3


def has_tool_history(messages: Sequence[ChatMessage]) -> bool:
    """Whether earlier turns made tool calls or carry their results, so the history needs the call
    markup even when this request passes no ``tools=``."""
    return any(message.tool_calls or message.role in ("tool", "function") for message in messages)


def _with_text(message: ChatMessage, text: str) -> ChatMessage:
    others = [block for block in message.blocks if not isinstance(block, TextBlock)]
    return attrs.evolve(message, content=text, blocks=others, tool_calls=None, tool_call_id=None)


def render_history(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Messages with earlier tool calls and results written out in the call markup."""
    names: dict[str, str] = {}
    rendered: list[ChatMessage] = []
    for message in messages:
        if message.tool_calls:
            parts = [message.text] if message.text.strip() else []
            for call in message.tool_calls:
                names[call.id] = call.function.name
                parts.append(render_call(call.function.name, call.function.arguments))
            rendered.append(_with_text(message, "\n".join(parts)))
        elif message.role in ("tool", "function"):
            call_id = message.tool_call_id
            name = message.name or (names.get(call_id) if call_id else None)
            rendered.append(_with_text(message, render_tool_result(message.text, call_id=call_id, name=name)))
        else:
            rendered.append(message)
    return rendered


@attrs.frozen
class Review:
    """What an answer amounts to once its calls and JSON have been checked.

    ``content`` is the visible text (the JSON text for ``response_format``); ``calls`` the calls kept,
    failing ones included with their ``error``; ``missing_call`` is set when ``tool_choice`` required a
    call and none came; ``format_error`` says why the content fails ``response_format``; ``empty`` is
    set when tools were offered and the answer holds neither text nor a call (the model stopped after
    its reasoning, the failure agents report most), which a repair round asks it to continue.
    """

    content: str
    calls: tuple[ParsedToolCall, ...] = ()
    parsed: Any = None
    format_error: str | None = None
    missing_call: bool = False
    empty: bool = False

    @property
    def problems(self) -> list[str]:
        """What is wrong, one line per bad call (``name: error``) and the format error, for the repair prompt."""
        found = [f"{call.name or '(no name)'}: {call.error}" for call in self.calls if call.error is not None]
        if self.format_error is not None:
            found.append(self.format_error)
        return found

    @property
    def unmet(self) -> str | None:
        """Why the answer, as it stands, fails the request (``None`` when it does not): what the caller
        sees on the message once the repair rounds are spent."""
        if self.format_error is not None:
            return self.format_error
        if self.missing_call:
            return "tool_choice required a tool call and the model answered without one"
        return None

    @property
    def needs_repair(self) -> bool:
        """Whether a repair round should ask the model to fix this answer."""
        return self.missing_call or self.empty or bool(self.problems)


def _rounds(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"repair_rounds must be an integer, got {type(value).__name__}")
    if not 0 <= value <= MAX_REPAIR_ROUNDS:
        raise ValueError(f"repair_rounds must be between 0 and {MAX_REPAIR_ROUNDS}, got {value}")
    return value


@attrs.frozen
class ToolPlan:
    """The tools, the choice, the format and the repair budget of one request."""

    tools: ToolSet
    choice: ChoiceSpec
    parallel: bool = True
    response_format: FormatSpec | None = None
    repair_rounds: int = DEFAULT_REPAIR_ROUNDS

    @classmethod
    def build(
        cls,
        *,
        tools: object = None,
        tool_choice: object = None,
        parallel_tool_calls: object = None,
        response_format: object = None,
        repair_rounds: object = DEFAULT_REPAIR_ROUNDS,
    ) -> ToolPlan | None:
        """``None`` when the request asks for neither tools nor a JSON format (nothing to emulate)."""
        toolset = ToolSet.from_openai(tools)
        if parallel_tool_calls is not None and not isinstance(parallel_tool_calls, bool):
            kind = type(parallel_tool_calls).__name__
            raise TypeError(f"parallel_tool_calls must be True, False or None, got {kind}")
        if tool_choice is not None and not toolset and tool_choice != "none":
            raise ValueError("tool_choice needs tools")
        choice = parse_tool_choice(tool_choice, toolset)
        fmt = parse_response_format(response_format)
        rounds = _rounds(repair_rounds)
        if not toolset and fmt is None:
            return None
        return cls(toolset, choice, parallel_tool_calls is not False, fmt, rounds)

    @property
    def parses_calls(self) -> bool:
        """Whether answers are scanned for tool calls (there are tools)."""
        return bool(self.tools)

    @property
    def requires_call(self) -> bool:
        """Whether ``tool_choice`` demands a call (``required`` or a named function), so an answer
        without one is a failure a repair round replaces."""
        return self.parses_calls and self.choice.mode in ("required", "function")

    def instructions(self) -> str:
        """The system message that teaches the model the tools and/or the answer format."""
        parts = []
        if self.tools:
            parts.append(render_tool_instructions(self.tools, self.choice, parallel=self.parallel))
        if self.response_format is not None:
            if self.tools and self.choice.mode != "none":
                parts.append("When you answer without calling a tool, follow this format.")
            parts.append(render_format_instructions(self.response_format))
        return "\n\n".join(parts)

    def render_messages(self, messages: Sequence[ChatMessage]) -> list[ChatMessage]:
        """The history in markup, with the instructions as a system message after the caller's own."""
        rendered = render_history(messages)
        leading = 0
        while leading < len(rendered) - 1 and rendered[leading].role in ("system", "developer"):
            leading += 1
        instructions = ChatMessage(role="system", content=self.instructions())
        return [*rendered[:leading], instructions, *rendered[leading:]]

    def parser(self) -> ToolCallParser:
        """A fresh incremental parser for one answer."""
        return ToolCallParser(self.tools)

    def split(self, answer: str) -> tuple[str, list[ParsedToolCall]]:
        """A whole answer's visible text and calls (the non-streamed path)."""
        if not self.parses_calls:
            return answer, []
        parser = self.parser()
        events: list[str | ParsedToolCall] = []
        # In pieces: the result does not depend on the split, and the parser's work per piece stays small.
        for start in range(0, len(answer), _PIECE):
            events += parser.feed(answer[start : start + _PIECE])
        events += parser.finish()
        text = "".join(event for event in events if isinstance(event, str))
        return text, [event for event in events if isinstance(event, ParsedToolCall)]

    def admit(self, call: ParsedToolCall, already: int) -> ParsedToolCall | None:
        """Apply ``tool_choice`` and ``parallel_tool_calls`` to one call (``already`` calls were kept before it)."""
        if self.choice.mode == "none":
            logger.warning("the model called %r although tool_choice is 'none'; the call is dropped", call.name)
            return None
        if not self.parallel and already >= 1:
            logger.warning("the model made several calls with parallel_tool_calls=False; only the first is kept")
            return None
        if self.choice.mode == "function" and call.name != self.choice.name:
            # Not repaired: asked to "correct" it, models write the named call again, a second copy of
            # one already made. Without a call to the named tool the answer misses its call, which
            # is what a repair round asks for.
            logger.warning(
                "the model called %r although tool_choice names %r; the call is dropped", call.name, self.choice.name
            )
            return None
        return call

    def review(self, content: str, calls: Sequence[ParsedToolCall], *, admitted: bool = False) -> Review:
        """Judge one answer: the calls kept (after ``tool_choice`` / ``parallel_tool_calls``, unless
        ``admitted`` already), or its JSON against ``response_format``, and what a repair must fix."""
        kept: list[ParsedToolCall] = list(calls)
        if not admitted:
            kept = []
            for call in calls:
                checked = self.admit(call, len(kept))
                if checked is not None:
                    kept.append(checked)
        if kept:
            return Review(content, tuple(kept))
        missing = self.requires_call
        if self.response_format is None:
            empty = self.parses_calls and self.choice.mode == "auto" and not content.strip()
            return Review(content, (), missing_call=missing, empty=empty)
        return self._review_format(content, missing)

    def _review_format(self, content: str, missing: bool) -> Review:
        assert self.response_format is not None
        extracted = extract_json(content)
        if extracted is None:
            return Review(content, (), None, "the answer holds no JSON value", missing)
        value = extracted.value
        text = json.dumps(value, ensure_ascii=False)
        if self.response_format.kind == "json_object" and not isinstance(value, dict):
            # Not the answer asked for: the model's own text stays the content (a list mended out of
            # a bracketed word in prose, "[system]", must not pass for what the model answered).
            return Review(content, (), value, "the answer must be a JSON object", missing)
        problem = validate(value, self.response_format.schema)
        if problem is not None:
            shown = content if extracted.repaired else text
            return Review(shown, (), value, f"the JSON does not match the schema:\n{problem}", missing)
        return Review(text, (), value, None, missing)

    def repair_request(self, review: Review) -> str:
        """What a repair round asks the model to fix (the user message after its answer)."""
        if review.missing_call:
            return render_tool_repair([], missing_call=True, tool=self.choice.name)
        if review.empty:
            return render_tool_repair([], empty=True)
        if review.calls:
            return render_tool_repair(review.problems)
        return render_format_repair(review.format_error or "")

    def repair_messages(self, sent: Sequence[ChatMessage], answer: str, review: Review) -> list[ChatMessage]:
        """The conversation of a repair round: what was sent, the answer, and what to fix."""
        request = self.repair_request(review)
        return [*sent, ChatMessage(role="assistant", content=answer), ChatMessage(role="user", content=request)]

    def merge(self, first: Review, repaired: Review) -> Review:
        """Combine an answer and its repair: good calls are kept, failing ones replaced by the repair's."""
        if first.missing_call and not repaired.calls and self.response_format is None:
            # No call in the repair either: the first answer (to the user's question, and already
            # streamed where the caller streams) stands, still marked as missing its call.
            return first
        if first.missing_call or not first.calls:
            if first.format_error is not None and repaired.format_error is not None and repaired.parsed is None:
                return first if first.parsed is not None else repaired
            return repaired
        good = [call for call in first.calls if call.ok]
        if not repaired.calls:
            return first
        kept: list[ParsedToolCall] = list(good)
        seen = {_call_identity(call) for call in kept}
        for call in repaired.calls:
            identity = _call_identity(call)
            if identity in seen:  # a repair that repeats the whole answer repeats the good calls too
                continue
            checked = self.admit(call, len(kept))
            if checked is not None:
                kept.append(checked)
                seen.add(identity)
        return Review(first.content, tuple(kept))


def _call_identity(call: ParsedToolCall) -> tuple[str, str]:
    """A call's name and arguments in canonical JSON (key order and spacing do not matter), or the
    model's own text when the arguments are not JSON."""
    try:
        arguments = json.dumps(json.loads(call.arguments), sort_keys=True, separators=(",", ":"))
    except ValueError:
        arguments = call.arguments
    return call.name, arguments
