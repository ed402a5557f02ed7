"""Reading the JSON models write: strict first, then mended by ``json-repair`` (imported on first use).

Models write trailing commas, single quotes, Python literals, unclosed brackets and comments;
``json-repair`` is a well-kept library that mends exactly these, so we do not hand-roll one. It
will also "repair" prose into an empty string, so callers only hand it text that starts like JSON.
"""

from __future__ import annotations

import importlib
import json
import re
from typing import Any

import attrs

__all__ = ["BalancedScanner", "Extracted", "JsonStringTracker", "extract_json", "loads_lenient"]

_MISSING = object()
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+\-]*)[^\n]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)


def loads_lenient(text: str) -> tuple[Any, bool]:
    """``(value, repaired)``; raises ``ValueError`` when even the repaired text is not JSON."""
    stripped = text.strip()
    try:
        return json.loads(stripped), False
    except ValueError:
        pass
    if not stripped or stripped[0] not in "{[\"'":
        raise ValueError("not JSON")
    repair_json = importlib.import_module("json_repair").repair_json
    try:
        value = repair_json(stripped, return_objects=True, skip_json_loads=True)
    except Exception as exc:  # json-repair raises assorted errors on hopeless input
        raise ValueError(f"not JSON ({exc.__class__.__name__})") from None
    if value == "" and stripped not in ('""', "''"):
        raise ValueError("not JSON")
    return value, True


class BalancedScanner:
    """Finds where a JSON value that starts with ``{`` or ``[`` ends, fed piece by piece.

    Strings in double or single quotes are skipped (so brackets inside them do not count); each
    piece is scanned once, so feeding a long value chunk by chunk stays linear.
    """

    __slots__ = ("_depth", "_escape", "_quote", "_started")

    def __init__(self) -> None:
        self._depth = 0
        self._quote = ""
        self._escape = False
        self._started = False

    @property
    def in_string(self) -> bool:
        return bool(self._quote)

    def feed(self, piece: str) -> int | None:
        """The index in ``piece`` just past the value's end, or None while the value goes on."""
        depth, quote, escape, started = self._depth, self._quote, self._escape, self._started
        for index, char in enumerate(piece):
            if quote:
                if escape:
                    escape = False
                elif char == "\\":
                    escape = True
                elif char == quote or (char == "\n" and quote == "'"):
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char in "{[":
                depth += 1
                started = True
            elif char in "}]":
                depth -= 1
                if started and depth <= 0:
                    self._depth, self._quote, self._escape, self._started = depth, quote, escape, started
                    return index + 1
        self._depth, self._quote, self._escape, self._started = depth, quote, escape, started
        return None


class JsonStringTracker:
    """Whether the text fed so far is an unfinished JSON value (``{``/``[`` after blanks) that ends
    inside a string, kept piece by piece: asking after each piece costs only that piece.

    The parser asks this at each ``</tool_call>`` or code fence inside a call's body (a file being
    written that contains them); rescanning the body each time made such answers quadratic.
    ``scanned`` counts the characters looked at, so tests can check the work stays linear.
    """

    __slots__ = ("_scanner", "_state", "scanned")

    _LEAD, _VALUE, _DONE = range(3)

    def __init__(self) -> None:
        self._scanner = BalancedScanner()
        self._state = self._LEAD
        self.scanned = 0

    def feed(self, piece: str) -> None:
        """Take the next piece of the body."""
        if self._state == self._DONE:
            return
        self.scanned += len(piece)
        if self._state == self._LEAD:
            piece = piece.lstrip()
            if not piece:
                return
            if piece[0] not in "{[":
                self._state = self._DONE  # not JSON: nothing in it is inside a string
                return
            self._state = self._VALUE
        if self._scanner.feed(piece) is not None:
            self._state = self._DONE  # the value ended: what follows is outside it

    @property
    def inside_string(self) -> bool:
        """Whether the text so far is an unfinished JSON value whose last character is inside a string."""
        return self._state == self._VALUE and self._scanner.in_string


@attrs.frozen
class Extracted:
    """JSON found in an answer: the value, the text it was read from, whether it needed mending."""

    value: Any
    text: str
    repaired: bool


def _candidates(text: str) -> list[str]:
    found = [text.strip()]
    found.extend(match.group(2) for match in _FENCE.finditer(text))
    for start, char in enumerate(text):
        if char in "{[":
            scanner = BalancedScanner()
            end = scanner.feed(text[start:])
            found.append(text[start : start + end] if end is not None else text[start:])
            break
    return [candidate for candidate in found if candidate.strip()]


def extract_json(text: str) -> Extracted | None:
    """The JSON value an answer carries: the whole text, a fenced block, or the first ``{...}``/``[...]``.

    Strict parses win over mended ones, so narration around valid JSON never triggers a repair.
    """
    candidates = _candidates(text)
    for candidate in candidates:
        try:
            return Extracted(json.loads(candidate), candidate.strip(), False)
        except ValueError:
            continue
    for candidate in candidates:
        stripped = candidate.strip()
        if not stripped or stripped[0] not in "{[":
            continue
        try:
            value, _ = loads_lenient(stripped)
        except ValueError:
            continue
        if isinstance(value, dict | list):
            return Extracted(value, stripped, True)
    return None
