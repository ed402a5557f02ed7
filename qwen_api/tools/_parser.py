"""Find tool calls in an answer as it streams, and never let their markup through as text.

:class:`ToolCallParser` is a small pure state machine in the style of httpx's decoders:
``feed(text)`` returns what is now certain -- visible text pieces (``str``) and complete calls
(:class:`ParsedToolCall`) in answer order -- and ``finish()`` flushes the rest. Text that may be
the start of a call (``<tool_c``, a line starting with three backticks, a line starting ``{"na``)
is held back until the parser knows. The result does not depend on how the answer was split.

What it understands, since models write all of these:

* ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` (the format the prompt asks for), also
  unclosed at the end, a JSON list of calls inside one block, or a second opener before the close;
* ``<function=NAME><parameter=KEY>value</parameter></function>`` (the Qwen3-Coder format), bare or
  inside ``<tool_call>``; inside ``<tool_call>`` also a name line followed by the JSON arguments, and
  GLM's ``NAME<arg_key>KEY</arg_key><arg_value>value</arg_value>``;
* a call in a code fence (```` ```json ````, ```` ```tool_call ````...), and a bare JSON call on its own
  line, when it names a known tool (an ordinary JSON example stays text);
* ``arguments`` as an object, a JSON string, under ``parameters``/``args``/``input``, or flat beside
  ``name``; OpenAI's ``{"type": "function", "function": {...}}`` shape;
* JSON with trailing commas, single quotes, comments or missing brackets (mended by json-repair);
  a ``</tool_call>`` or a code fence inside a JSON string of the arguments does not end the call.

An ordinary code block (```` ```python ````) passes through as written, markup in it included: it is
shown, not run.
A ``<tool_response>`` block the model writes itself (imitating a result) is dropped. Text between
calls is kept; whitespace next to a call is dropped, and narration that resumes after
a call is separated from the text before it by one blank line. Calls are checked against the tool
set: an unknown name, arguments that are not JSON or fail the tool's schema set ``error``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs

from ._json import BalancedScanner, JsonStringTracker, loads_lenient
from ._spec import ToolSet
from ._validate import validate

__all__ = ["ParsedToolCall", "ToolCallParser", "parse_calls_text"]


@attrs.frozen
class ParsedToolCall:
    """A call found in the answer.

    ``arguments`` is JSON text (re-encoded with ``json.dumps`` when the model's JSON parsed, the
    model's own text when it did not); ``error`` says why the call cannot be trusted (``None`` when it is fine);
    ``raw`` is the markup as the model wrote it.
    """

    name: str
    arguments: str
    error: str | None = None
    raw: str = ""

    @property
    def ok(self) -> bool:
        """Whether the call parsed and validated (no ``error``)."""
        return self.error is None


_TEXT, _TAG, _FUNCTION, _FENCE_CALL, _FENCE_TEXT, _BARE, _DISCARD = range(7)
_OPEN_TAG = "<tool_call>"
_CLOSE_TAG = "</tool_call>"
_FUNCTION_TAG = "<function="
_CLOSE_FUNCTION = "</function>"
_RESULT_TAG = "<tool_response"
_CLOSE_RESULT = "</tool_response>"
_TAGS = (_OPEN_TAG, _FUNCTION_TAG, _CLOSE_TAG, _CLOSE_FUNCTION, _RESULT_TAG, _CLOSE_RESULT)
_TRIGGER = re.compile(r"<|(?<=\n)[ \t]*[`{\[]")
_LINE_HEAD = re.compile(r"[ \t]*[`{\[]")
_TAG_SPLIT = re.compile(r"</?tool_call>", re.IGNORECASE)
_TAG_END = re.compile(r"</tool_call>|<tool_call>", re.IGNORECASE)
_FUNCTION_END = re.compile(r"</function>", re.IGNORECASE)
_RESULT_END = re.compile(r"</tool_response>", re.IGNORECASE)
_FENCE_INFO = re.compile(r"^[\w+\-.#]*$")
_FENCE_END = re.compile(r"\n[ \t]*```")
_FENCE_OVERLAP = 64
_CALL_FENCE_INFOS = frozenset({"tool_call", "tool_calls", "tool", "tool_code", "function_call", "function"})
_JSON_FENCE_INFOS = frozenset({"", "json", "json5", "jsonc", *_CALL_FENCE_INFOS})
_CALL_KEYS = ("name", "function", "tool", "tool_name", "type")
_BARE_FULL = re.compile(r"(?:\[\s*)?\{\s*([\"'])(\w+)\1")
_BARE_PARTIAL = re.compile(r"(?:\[\s*)?(?:\{\s*(?:([\"'])(\w*))?)?")
_PARAMETER = re.compile(r"<parameter=([^>\n]+)>(.*?)(?:</parameter>|(?=<parameter=)|\Z)", re.DOTALL)
_INNER_FENCE = re.compile(r"^```[^\n]*\n(.*?)\n?[ \t]*```\s*$", re.DOTALL)
_NAME_IN_TEXT = re.compile(r"[\"']?(?:name|function|tool)[\"']?\s*[:=]\s*[\"']([A-Za-z0-9_.:\-]+)")
_NAME_THEN_ARGUMENTS = re.compile(r"([A-Za-z_][A-Za-z0-9_.:\-]*)\s*(\{.*\}|<arg_key>.*)\Z", re.DOTALL)
_ARG_PAIR = re.compile(r"<arg_key>(.*?)</arg_key>\s*<arg_value>(.*?)(?:</arg_value>|\Z)", re.DOTALL)
_QUOTED_KEY = re.compile(r"([\"'])(\w*)(\1)?")
_HEAD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.:\-]*")
_GAP_LIMIT = 256
_NAME_LIMIT = 128
_ARGUMENT_KEYS = ("arguments", "parameters", "args", "input", "arguments_json", "params")
_NAME_KEYS = ("name", "tool_name", "tool", "function_name")


class ToolCallParser:
    """Incremental: ``feed()`` pieces of answer text, then ``finish()`` once; see the module docstring."""

    def __init__(self, tools: ToolSet) -> None:
        self._tools = tools
        self._buf = ""
        self._state = _TEXT
        self._line_start = True
        self._scanner: BalancedScanner | None = None
        self._opener = ""
        self._parts: list[str] = []
        self._tail = ""
        self._tracker = JsonStringTracker()
        self._tracked = 0
        self._fence_known_only = True
        self._fence_mid_line = False
        self._out: list[str | ParsedToolCall] = []
        self._held_ws = ""
        self._skip_ws = True
        self._separate = False
        self._emitted_text = False
        self._finished = False

    # -- public ----------------------------------------------------------------------------

    def feed(self, text: str) -> list[str | ParsedToolCall]:
        """Take the next piece of the answer; return the text that is surely not markup and the
        calls whose markup closed (text that may open a call is held until it is decided)."""
        if self._finished:
            raise RuntimeError("ToolCallParser.feed() after finish()")
        self._buf += text
        self._run(final=False)
        return self._take()

    def finish(self) -> list[str | ParsedToolCall]:
        """The answer ended: release what was held (an unclosed call is parsed as far as it goes)."""
        if not self._finished:
            self._finished = True
            self._run(final=True)
        return self._take()

    # -- output ----------------------------------------------------------------------------

    def _take(self) -> list[str | ParsedToolCall]:
        out, self._out = self._out, []
        return out

    def _text(self, text: str) -> None:
        """Visible text: whitespace that may turn out to precede a call is held back."""
        if not text:
            return
        newline = text.rfind("\n")
        if newline >= 0:
            self._line_start = not text[newline + 1 :].strip(" \t")
        elif text.strip(" \t"):
            self._line_start = False
        if self._skip_ws:
            text = text.lstrip()
            if not text:
                return
            self._skip_ws = False
            if self._separate:
                self._held_ws = "\n\n"
                self._separate = False
        full = self._held_ws + text
        kept = full.rstrip()
        self._held_ws = full[len(kept) :]
        if kept:
            self._out.append(kept)
            self._emitted_text = True

    def _calls(self, calls: list[ParsedToolCall]) -> None:
        self._held_ws = ""
        self._skip_ws = True
        self._separate = self._separate or self._emitted_text
        self._line_start = False
        self._out.extend(calls)

    # -- the machine -----------------------------------------------------------------------

    def _run(self, *, final: bool) -> None:
        step = {
            _TEXT: self._in_text,
            _TAG: self._in_tag,
            _FUNCTION: self._in_function,
            _FENCE_CALL: self._in_fence_call,
            _FENCE_TEXT: self._in_fence_text,
            _BARE: self._in_bare,
            _DISCARD: self._in_discard,
        }
        while (self._buf or (final and self._state != _TEXT)) and step[self._state](final):
            pass

    def _consume(self, count: int) -> str:
        taken, self._buf = self._buf[:count], self._buf[count:]
        return taken

    def _in_text(self, final: bool) -> bool:
        buf = self._buf
        match = _LINE_HEAD.match(buf) if self._line_start else None
        if match is None:
            match = _TRIGGER.search(buf)
        if match is None:
            self._text(self._consume(len(buf)))
            return False
        trigger = match.end() - 1
        if trigger > 0:
            self._text(self._consume(trigger))
            return True
        char = buf[0]
        if char == "<":
            return self._at_angle(final)
        if char == "`":
            return self._at_fence(final)
        return self._at_brace(final)

    def _at_angle(self, final: bool) -> bool:
        buf = self._buf
        lowered = buf[: len(_CLOSE_RESULT)].lower()
        for tag in _TAGS:
            if lowered.startswith(tag):
                opener = buf[: len(tag)]
                verdict = _opener_verdict(buf[len(tag) :], final) if tag == _OPEN_TAG else _tag_verdict(buf, tag, final)
                if verdict is None:
                    return False  # what follows the tag decides: wait for it (a few characters at most)
                if not verdict:  # a tag named in prose or inline code: text
                    self._text(self._consume(1))
                    return True
                if tag == _OPEN_TAG:
                    self._open_block(_TAG, opener, skip=len(tag))
                elif tag == _FUNCTION_TAG:
                    self._open_block(_FUNCTION, opener, skip=len(tag))
                elif tag == _RESULT_TAG:
                    self._open_block(_DISCARD, opener, skip=len(tag))
                else:  # a stray closing tag: markup, never text
                    self._consume(len(tag))
                    self._calls([])
                return True
            if len(buf) < len(tag) and tag.startswith(lowered) and not final:
                return False
        self._text(self._consume(1))
        return True

    def _at_fence(self, final: bool) -> bool:
        buf = self._buf
        ticks = len(buf) - len(buf.lstrip("`"))
        if ticks < 3:
            if ticks == len(buf) and not final:
                return False
            self._text(self._consume(ticks))
            return True
        newline = buf.find("\n")
        info = buf[ticks : newline if newline >= 0 else len(buf)].strip().lower()
        if not _FENCE_INFO.match(info):  # "```<tool_call>..." is no code block: read on after the ticks
            self._text(self._consume(ticks))
            return True
        if newline < 0:
            if not final:
                return False
            self._text(self._consume(len(buf)))
            return False
        body = buf[newline + 1 :]
        first = body.lstrip()
        if not first and not final:
            return False
        tagged = first.lower().startswith((_OPEN_TAG, _FUNCTION_TAG))
        if first.startswith("<") and not tagged and not final:
            head = first[: len(_OPEN_TAG)].lower()
            if any(tag.startswith(head) for tag in (_OPEN_TAG, _FUNCTION_TAG)):
                return False
        if tagged or (first[:1] in ("{", "[") and info in _JSON_FENCE_INFOS):
            self._fence_known_only = not tagged and info not in _CALL_FENCE_INFOS
            self._open_block(_FENCE_CALL, buf[:newline], skip=newline)  # the body keeps the opener's newline
            return True
        self._text(self._consume(newline + 1))
        self._state = _FENCE_TEXT
        self._fence_mid_line = False
        return True

    def _at_brace(self, final: bool) -> bool:
        buf = self._buf
        verdict = _bare_verdict(buf, final)
        if verdict is None:
            return False
        if verdict:
            self._open_block(_BARE, "", skip=0)
            self._scanner = BalancedScanner()
            return True
        self._text(self._consume(1))
        return True

    # -- blocks: their text is collected piece by piece, each piece searched once ------------------

    def _open_block(self, state: int, opener: str, *, skip: int) -> None:
        """Enter ``state``; ``skip`` characters of the buffer are the opener (kept for ``raw`` only)."""
        self._consume(skip)
        self._state = state
        self._opener = opener
        self._parts = []
        self._tail = ""
        self._tracker = JsonStringTracker()
        self._tracked = 0

    def _collect(
        self, end: re.Pattern[str], overlap: int, final: bool, *, json_body: bool = False
    ) -> tuple[str, str] | None:
        """The block's body and its terminator ("" at the end of the answer) once ``end`` is found.

        Only the new text (plus ``overlap`` characters before it, where a terminator may have
        started) is searched, and the body is joined once, so a long call costs linear time. With
        ``json_body``, a terminator inside a JSON string of the body (a file being written that
        itself contains ``</tool_call>`` or a code fence) is text, not the end.
        """
        while True:
            tail = self._tail
            window = tail + self._buf
            match = end.search(window)
            if match is None:
                self._parts.append(self._buf)
                self._buf = ""
                if not final:
                    self._tail = window[-overlap:]
                    return None
                return self._end_block(), ""
            self._buf = window[match.end() :]
            if match.start() >= len(tail):
                self._parts.append(window[len(tail) : match.start()])
            else:  # the terminator began in text already collected: take it off the end
                self._drop_last(len(tail) - match.start())
            terminator = match.group(0)
            if json_body and self._body_inside_string():
                self._parts.append(terminator)
                self._tail = ""  # what follows the terminator is searched afresh
                continue
            return self._end_block(), terminator

    def _drop_last(self, count: int) -> None:
        """Remove the last ``count`` characters collected (at most the overlap: never the whole body)."""
        parts = self._parts
        while count > 0:
            last = parts.pop()
            if len(last) > count:
                parts.append(last[: len(last) - count])
                break
            count -= len(last)

    def _body_inside_string(self) -> bool:
        """Whether the body collected so far ends inside a JSON string; the tracker is fed only the
        parts added since it was last asked (those never lose characters to :meth:`_drop_last`:
        the overlap searched again is all collected after the last terminator)."""
        tracker = self._tracker
        parts = self._parts
        for part in parts[self._tracked :]:
            tracker.feed(part)
        self._tracked = len(parts)
        return tracker.inside_string

    def _end_block(self) -> str:
        body = "".join(self._parts)
        self._parts = []
        self._tail = ""
        self._state = _TEXT
        return body

    def _in_tag(self, final: bool) -> bool:
        found = self._collect(_TAG_END, len(_CLOSE_TAG), final, json_body=True)
        if found is None:
            return False
        body, terminator = found
        if terminator.lower() == _OPEN_TAG:  # a second opener before the close: it starts the next call,
            # and what came between the call's JSON and it (narration, a code fence) is read again as text
            body, between = _split_after_value(body)
            self._buf = between + terminator + self._buf
            terminator = ""
        raw = self._opener + body + terminator
        calls = self._block(body, known_only=False, raw=raw)
        if calls or not body.strip():
            self._calls(calls)  # an empty block is markup all the same
        else:
            self._text(raw)  # no tool named in it: shown as written, never a nameless call
        return True

    def _in_function(self, final: bool) -> bool:
        found = self._collect(_FUNCTION_END, len(_CLOSE_FUNCTION), final)
        if found is None:
            return False
        body, terminator = found
        self._calls(
            self._block(self._opener + body + terminator, known_only=False, raw=self._opener + body + terminator)
        )
        return True

    def _in_discard(self, final: bool) -> bool:
        """A ``<tool_response>`` the model wrote itself: results are ours to give, so it is dropped."""
        if self._collect(_RESULT_END, len(_CLOSE_RESULT), final) is None:
            return False
        self._calls([])
        return True

    def _in_fence_call(self, final: bool) -> bool:
        found = self._collect(_FENCE_END, _FENCE_OVERLAP, final, json_body=True)
        if found is None:
            return False
        body, terminator = found
        raw = self._opener + body + terminator
        calls = self._block(body, known_only=self._fence_known_only, raw=raw)
        if calls:
            self._calls(calls)
        else:
            self._text(raw)
        return True

    def _in_fence_text(self, final: bool) -> bool:
        """Inside an ordinary code block: its text passes through (markup in it is shown, not run)."""
        while True:
            newline = self._buf.find("\n")
            if newline < 0:
                break
            line = self._consume(newline + 1)
            closing = not self._fence_mid_line and line.lstrip(" \t").startswith("```")
            self._fence_mid_line = False
            self._text(line)
            if closing:
                self._state = _TEXT
                return True
        if final:
            self._text(self._consume(len(self._buf)))
            return False
        head = self._buf.lstrip(" \t")
        if not self._fence_mid_line and (head.startswith("```") or "```".startswith(head)):
            return False  # may be the closing fence: wait for its line to end
        self._text(self._consume(len(self._buf)))  # the rest of a line that cannot close the block
        self._fence_mid_line = True
        return False

    def _in_bare(self, final: bool) -> bool:
        scanner = self._scanner
        assert scanner is not None
        piece = self._buf
        end = scanner.feed(piece)
        if end is None:
            self._parts.append(piece)
            self._buf = ""
            if not final:
                return False
            end = len(piece)
        else:
            self._parts.append(piece[:end])
            self._buf = piece[end:]
        raw = self._end_block()
        self._scanner = None
        calls = self._block(raw, known_only=True, raw=raw)
        if calls:
            self._calls(calls)
        else:
            self._text(raw)
        return True

    # -- reading one block -------------------------------------------------------------------

    def _block(self, body: str, *, known_only: bool, raw: str) -> list[ParsedToolCall]:
        """The calls in one block of markup; with ``known_only`` only calls of known tools count."""
        items = parse_calls_text(body)
        if items is None:
            if known_only or not body.strip():
                return []
            named = _NAME_IN_TEXT.search(body)
            if named is None:  # no tool named: nothing to call (or to repair), so the block stays text
                return []
            return [
                ParsedToolCall(named.group(1), body.strip(), "the call is not valid JSON: write it again as JSON", raw)
            ]
        if known_only and not all(self._tools.get(name) is not None for name, _ in items):
            return []
        return [self._checked(name, arguments, raw) for name, arguments in items]

    def _checked(self, name: str, arguments: Any, raw: str) -> ParsedToolCall:
        tool = self._tools.get(name)
        if isinstance(arguments, _Unparsed):
            problem = f"the arguments are not valid JSON: {arguments.text[:200]}"
            return ParsedToolCall(name, arguments.text, problem, raw)
        encoded = json.dumps(arguments, ensure_ascii=False)
        if tool is None:
            known = ", ".join(self._tools.names) or "(none)"
            return ParsedToolCall(name, encoded, f"there is no tool named {name!r}; the tools are: {known}", raw)
        if not isinstance(arguments, dict):
            return ParsedToolCall(name, encoded, "the arguments must be a JSON object", raw)
        if tool.parameters:
            arguments = _coerce_strings(arguments, tool.parameters)
            encoded = json.dumps(arguments, ensure_ascii=False)
        mismatch = validate(arguments, tool.parameters)
        if mismatch is not None:
            return ParsedToolCall(name, encoded, f"the arguments do not match the schema of {name}:\n{mismatch}", raw)
        return ParsedToolCall(name, encoded, None, raw)


@attrs.frozen
class _Unparsed:
    text: str


def _split_after_value(body: str) -> tuple[str, str]:
    """``body`` cut just after the JSON object or array it starts with (after blanks), and the rest;
    ``(body, "")`` when it does not start with one or the value never ends."""
    start = len(body) - len(body.lstrip())
    if not body.startswith(("{", "["), start):
        return body, ""
    end = BalancedScanner().feed(body[start:])
    if end is None:
        return body, ""
    return body[: start + end], body[start + end :]


def _inside_json_string(body: str) -> bool:
    """Whether ``body`` is an unfinished JSON value that ends inside a string."""
    stripped = body.lstrip()
    if not stripped.startswith(("{", "[")):
        return False
    scanner = BalancedScanner()
    return scanner.feed(stripped) is None and scanner.in_string


def _opener_verdict(rest: str, final: bool) -> bool | None:
    """Whether ``<tool_call>`` followed by ``rest`` opens a call: True, False (the tag is only named,
    as in "write a `<tool_call>` block"), or None (need more text).

    A call's body starts (after blanks) with a JSON object or list, a quoted call key (``"name"``), a
    code fence, ``<function=``, a closing or second opening tag (an empty block), a call key followed
    by ``:`` or ``=`` (``name: "get_weather"``), or a tool name followed by ``{`` or ``<arg_key>``.
    Each test looks a bounded way ahead (``_GAP_LIMIT`` blanks, a name of at most ``_NAME_LIMIT``
    characters), so the text held back meanwhile stays short; and a verdict, once given, holds for
    any longer text, so it does not depend on how the answer is split.
    """
    head = rest.lstrip()
    if len(rest) - len(head) > _GAP_LIMIT:
        return False
    if not head:
        return True if final else None  # an empty block at the end of the answer: markup, as always
    first = head[0]
    if first in "{[":
        return True
    if first == "`":
        return _prefix_verdict(head, ("```",), final)
    if first == "<":
        return _prefix_verdict(head, (_FUNCTION_TAG, _CLOSE_TAG, _OPEN_TAG), final)
    if first in "\"'":
        key = _QUOTED_KEY.match(head)
        assert key is not None
        if key.group(3):
            return key.group(2) in _CALL_KEYS
        if key.end() == len(head) and not final and any(k.startswith(key.group(2)) for k in _CALL_KEYS):
            return None
        return False
    name = _HEAD_NAME.match(head)
    if name is None or name.end() > _NAME_LIMIT:
        return False
    after = head[name.end() :]
    if not after:
        return None if not final else False
    arguments = after.lstrip()
    if len(after) - len(arguments) > _GAP_LIMIT:
        return False
    if not arguments:
        return None if not final else False
    if arguments[0] == "{":
        return True
    word = name.group(0).lower()  # a name may hold ":", so "name:" is read as one word
    if (word.endswith(":") or arguments[0] in ":=") and word.rstrip(":") in _CALL_KEYS:
        return True  # "name: 'get_weather', ..." -- no JSON, but a call (repaired as one when it names a tool)
    return _prefix_verdict(arguments, ("<arg_key>",), final)


def _prefix_verdict(text: str, prefixes: tuple[str, ...], final: bool) -> bool | None:
    """Whether ``text`` starts with one of ``prefixes`` (case-insensitive); None while it may still."""
    lowered = text[: max(len(prefix) for prefix in prefixes)].lower()
    if lowered.startswith(prefixes):
        return True
    if not final and any(len(lowered) < len(prefix) and prefix.startswith(lowered) for prefix in prefixes):
        return None
    return False


def _tag_verdict(buf: str, tag: str, final: bool) -> bool | None:
    """Whether a closing tag or ``<tool_response`` at the start of ``buf`` is markup: not when a
    backtick follows it (inline code naming it, "`</tool_call>`"); None until that character is seen."""
    if tag == _FUNCTION_TAG:
        return True
    rest = buf[len(tag) :]
    if tag == _RESULT_TAG and rest.startswith(">"):
        rest = rest[1:]
    if not rest:
        return True if final else None
    return rest[0] != "`"


def _bare_verdict(text: str, final: bool) -> bool | None:
    """Whether a line starting with ``{``/``[`` may be a JSON call: True, False, or None (need more)."""
    match = _BARE_FULL.match(text)
    if match is not None:
        return match.group(2) in _CALL_KEYS
    partial = _BARE_PARTIAL.fullmatch(text)
    if partial is None or final:
        return False
    key = partial.group(2)
    if key is not None and not any(candidate.startswith(key) for candidate in _CALL_KEYS):
        return False
    return None


def _unfence(text: str) -> str:
    stripped = text.strip()
    match = _INNER_FENCE.match(stripped)
    if match:
        stripped = match.group(1).strip()
    if stripped.lower().startswith(_OPEN_TAG):  # a call block inside a fence
        stripped = stripped[len(_OPEN_TAG) :]
    if stripped.lower().endswith(_CLOSE_TAG):
        stripped = stripped[: -len(_CLOSE_TAG)]
    return stripped.strip()


def parse_calls_text(body: str) -> list[tuple[str, Any]] | None:
    """``[(name, arguments)]`` from the inside of one call block; None when no call can be read.

    ``arguments`` is the decoded object, or an ``_Unparsed`` holder when the model's arguments text
    is not JSON even after mending.
    """
    text = _unfence(body)
    if not text:
        return None
    if text.lower().startswith(_FUNCTION_TAG):
        return _xml_calls(text)
    if _TAG_SPLIT.search(text) and not _inside_json_string(_TAG_SPLIT.split(text, 1)[0]):
        # several call blocks (in one fence): read each
        found = [call for part in _TAG_SPLIT.split(text) for call in parse_calls_text(part) or []]
        return found or None
    named = _NAME_THEN_ARGUMENTS.match(text)
    if named is not None:  # "get_weather\n{...}" or "get_weather\n<arg_key>city</arg_key><arg_value>..."
        return _named_call(named.group(1), named.group(2))
    try:
        value, _ = loads_lenient(text)
    except ValueError:
        return None
    items = value if isinstance(value, list) else [value]
    calls = [_normalise(item) for item in items]
    found = [call for call in calls if call is not None]
    return found or None


def _normalise(item: Any) -> tuple[str, Any] | None:
    if not isinstance(item, dict):
        return None
    if item.get("type") == "function" and isinstance(item.get("function"), dict):
        item = item["function"]
    function = item.get("function")
    if isinstance(function, dict) and isinstance(function.get("name"), str):
        item = {**function, **{k: v for k, v in item.items() if k != "function"}}
    name = next((item[key] for key in _NAME_KEYS if isinstance(item.get(key), str)), None)
    if name is None and isinstance(function, str):
        name = function
    if not name:
        return None
    arguments: Any = _MISSING
    for key in _ARGUMENT_KEYS:
        if key in item:
            arguments = item[key]
            break
    if arguments is _MISSING:
        ignored = {*_NAME_KEYS, "function", "type", "id", "index"}
        arguments = {key: value for key, value in item.items() if key not in ignored}
    if arguments is None:
        arguments = {}
    if isinstance(arguments, str):
        try:
            arguments, _ = loads_lenient(arguments) if arguments.strip() else ({}, False)
        except ValueError:
            arguments = _Unparsed(arguments)
    return name.strip(), arguments


_MISSING = object()


def _named_call(name: str, rest: str) -> list[tuple[str, Any]]:
    if rest.startswith("<arg_key>"):  # the GLM form: text values, typed later by the schema like the XML form
        return [(name, {key.strip(): _XMLValue(value.strip()) for key, value in _ARG_PAIR.findall(rest)})]
    try:
        arguments, _ = loads_lenient(rest)
    except ValueError:
        return [(name, _Unparsed(rest))]
    return [(name, arguments)]


def _xml_calls(text: str) -> list[tuple[str, Any]] | None:
    calls: list[tuple[str, Any]] = []
    for block in re.split(r"(?i)(?=<function=)", text):
        if not block.lower().startswith(_FUNCTION_TAG):
            continue
        head, _, rest = block[len(_FUNCTION_TAG) :].partition(">")
        name = head.strip().strip("\"'")
        if not name:
            continue
        rest = re.sub(r"(?i)</function>.*", "", rest, flags=re.DOTALL)
        arguments: dict[str, Any] = {}
        for match in _PARAMETER.finditer(rest):
            value = match.group(2)
            if value.startswith("\n"):
                value = value[1:]
            if value.endswith("\n"):
                value = value[:-1]
            arguments[match.group(1).strip().strip("\"'")] = _XMLValue(value)
        calls.append((name, arguments))
    return calls or None


class _XMLValue(str):
    """A parameter value from the XML format: text, turned into the schema's type when it asks for one."""

    __slots__ = ()


def _coerce_strings(arguments: dict[str, Any], schema: Any) -> dict[str, Any]:
    """XML-format parameters arrive as text; decode those whose schema type is not ``string``."""
    if not any(isinstance(value, _XMLValue) for value in arguments.values()):
        return arguments
    properties = schema.get("properties") if isinstance(schema, dict) else None
    result: dict[str, Any] = {}
    for key, value in arguments.items():
        if isinstance(value, _XMLValue):
            prop = properties.get(key) if isinstance(properties, dict) else None
            wanted = prop.get("type") if isinstance(prop, dict) else None
            text = str(value)
            if wanted not in (None, "string") and wanted != ["string"]:
                try:
                    result[key] = loads_lenient(text)[0] if text.strip()[:1] in "{[\"'" else json.loads(text)
                except ValueError:
                    result[key] = text
            else:
                result[key] = text
        else:
            result[key] = value
    return result
