"""Scripted answers: make the local server stream exactly the text a test needs.

The echo answer (``"You said: " + prompt``) is perfect for protocol tests, but tool calling and
structured output are about what the *model* writes. A script replaces the echo of a text turn
(``t2t``/search; image and video turns are unaffected) with given answer text and, optionally,
given reasoning, streamed in the recorded wire format like any answer (``chunk_size``, ``delay`` and
faults still apply). Three ways to script, checked in this order:

* per request, the header ``x-qwen-mock-script`` (and ``x-qwen-mock-script-reasoning``): the text as
  a JSON string (``"Hi\\n<tool_call>..."``, which keeps newlines in one header line) or as
  ``base64:<UTF-8 bytes in base64>``; :func:`script_headers` builds them;
* per server at run time, ``RunningServer.script(ScriptedAnswer(...), ...)``: a queue, one answer
  per completion, in order; an answer with ``when="text"`` is served only to a turn whose prompt
  contains that text (the first match is taken, the others wait);
* per server at start, ``ServerConfig(script=(...))``: seeds that queue (``python -m qwen_api.testing
  --script-file FILE`` reads it from a JSON list of strings or ``{"text", "reasoning", "when"}`` objects).

Scripted reasoning streams as a thinking summary (one paragraph per step, split on blank lines), so
``message.reasoning_content`` equals the scripted text whatever the request's thinking flag.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from .state import ServerState

__all__ = [
    "SCRIPT_HEADER",
    "SCRIPT_REASONING_HEADER",
    "ScriptedAnswer",
    "decode_header_text",
    "encode_header_text",
    "header_script",
    "load_script",
    "reasoning_paragraphs",
    "script_headers",
    "take_queued",
    "take_scripted",
]

SCRIPT_HEADER = "x-qwen-mock-script"
SCRIPT_REASONING_HEADER = "x-qwen-mock-script-reasoning"


@attrs.frozen
class ScriptedAnswer:
    """One scripted answer: its text, optional reasoning, and optionally the prompt text it answers."""

    text: str
    reasoning: str | None = None
    when: str | None = None

    def matches(self, prompt: str) -> bool:
        """Whether this answer may serve ``prompt``: always without ``when``, else when it occurs in it."""
        return self.when is None or self.when in prompt


def encode_header_text(text: str) -> str:
    """Text as a header value: a JSON string (ASCII, one line)."""
    return json.dumps(text, ensure_ascii=True)


def decode_header_text(value: str, *, header: str = SCRIPT_HEADER) -> str:
    """The text of a script header: a JSON string, ``base64:...``, or else the value as sent.

    Raises ValueError naming ``header`` when the value starts like a JSON string or ``base64:`` but
    is not one (a truncated or mangled script must not stream as if it were the answer).
    """
    if value.startswith('"'):
        try:
            decoded = json.loads(value)
        except ValueError:
            raise ValueError(f"{header} starts with a quote but is not a JSON string") from None
        if not isinstance(decoded, str):
            raise ValueError(f"{header} must hold a JSON string")
        return decoded
    if value.startswith("base64:"):
        try:
            return base64.b64decode(value[len("base64:") :], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(f"{header} base64: value is not base64 of UTF-8 text") from None
    return value


def script_headers(text: str, reasoning: str | None = None) -> dict[str, str]:
    """The headers that script one answer (pass them as ``default_headers`` or per request)."""
    headers = {SCRIPT_HEADER: encode_header_text(text)}
    if reasoning is not None:
        headers[SCRIPT_REASONING_HEADER] = encode_header_text(reasoning)
    return headers


def header_script(headers: Mapping[str, str]) -> ScriptedAnswer | None:
    """The answer the request's script headers give, if any; ValueError naming a malformed header.

    Reasoning without answer text is refused too: it would otherwise be dropped without a word.
    """
    text = headers.get(SCRIPT_HEADER)
    reasoning = headers.get(SCRIPT_REASONING_HEADER)
    decoded_reasoning = None if reasoning is None else decode_header_text(reasoning, header=SCRIPT_REASONING_HEADER)
    if text is None:
        if reasoning is not None:
            raise ValueError(f"{SCRIPT_REASONING_HEADER} needs {SCRIPT_HEADER} (the answer text) beside it")
        return None
    return ScriptedAnswer(decode_header_text(text), decoded_reasoning or None)


def take_scripted(headers: Mapping[str, str], state: ServerState, prompt: str) -> ScriptedAnswer | None:
    """The scripted answer for this turn (the header's, else the first matching queued one), if any."""
    answer = header_script(headers)
    return answer if answer is not None else take_queued(state, prompt)


def take_queued(state: ServerState, prompt: str) -> ScriptedAnswer | None:
    """The first queued answer for this prompt (removed from the queue), if any."""
    queue = state.scripted
    for index, queued in enumerate(queue):
        if queued.matches(prompt):
            del queue[index]
            return queued
    return None


def load_script(path: str | os.PathLike[str]) -> tuple[ScriptedAnswer, ...]:
    """Scripted answers from a JSON file: a list of strings or ``{"text", "reasoning"?, "when"?}`` objects."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the script {os.fspath(path)!r}: {exc}") from None
    if not isinstance(data, list):
        raise ValueError("a script file holds a JSON list of answers")
    answers: list[ScriptedAnswer] = []
    for index, item in enumerate(data):
        if isinstance(item, str):
            answers.append(ScriptedAnswer(item))
            continue
        fields = item if isinstance(item, dict) else {}
        text, reasoning, when = fields.get("text"), fields.get("reasoning"), fields.get("when")
        extra = set(fields) - {"text", "reasoning", "when"}
        if (
            not isinstance(text, str)
            or not isinstance(reasoning, str | None)
            or not isinstance(when, str | None)
            or extra
        ):
            raise ValueError(
                f"script entry {index} must be a string or {{'text': str, 'reasoning'?: str, 'when'?: str}}"
            )
        answers.append(ScriptedAnswer(text, reasoning, when))
    return tuple(answers)


def reasoning_paragraphs(reasoning: str) -> tuple[tuple[str, str], ...]:
    """The (title, thought) steps that stream ``reasoning``: untitled, one per blank-line paragraph."""
    return tuple(("", paragraph) for paragraph in reasoning.split("\n\n"))
