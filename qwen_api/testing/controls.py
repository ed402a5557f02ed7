"""The per-request answer controls (``x-qwen-mock-*`` headers), read and checked in one place.

Control headers are the local server's own API, not the service's, so a malformed one is answered
with a plain HTTP 400 (``text/plain``, ``qwen mock server: ...``) on every endpoint, before the
request reaches a handler: never ignored, never an HTTP-200 envelope (that form is how the real
service reports *its* errors, and a test reading it could mistake a typo for a service answer).
Well-formed controls only take effect where they apply (a delay on a chat list does nothing).

One rule holds for every ``x-qwen-mock-*`` header before any value is read
(:func:`check_control_headers`): a name outside :data:`CONTROL_HEADERS` (a misspelling such as
``x-qwen-mock-dealy``) is refused, naming the known ones; a header given twice is refused (which
copy was meant?), so an invalid value in any copy is refused too; an empty one is refused.

The fault header (:mod:`.faults`) and the drift header (:mod:`.drift`) have their own parsers; the
app checks them in the same step (see ``app._chat_endpoint``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from .drift import DRIFT_HEADER
from .faults import FAULT_HEADER
from .script import SCRIPT_HEADER, SCRIPT_REASONING_HEADER, ScriptedAnswer, header_script

__all__ = [
    "ANSWER_LENGTH_HEADER",
    "CHUNK_SIZE_HEADER",
    "CONTROL_HEADERS",
    "CONTROL_PREFIX",
    "DELAY_HEADER",
    "IMAGE_COUNT_HEADER",
    "AnswerControls",
    "ControlHeaderError",
    "check_control_headers",
    "read_controls",
]

ANSWER_LENGTH_HEADER = "x-qwen-mock-answer-length"
CHUNK_SIZE_HEADER = "x-qwen-mock-chunk-size"
DELAY_HEADER = "x-qwen-mock-delay"
IMAGE_COUNT_HEADER = "x-qwen-mock-image-count"

CONTROL_PREFIX = "x-qwen-mock-"
CONTROL_HEADERS = (
    FAULT_HEADER,
    DRIFT_HEADER,
    ANSWER_LENGTH_HEADER,
    CHUNK_SIZE_HEADER,
    DELAY_HEADER,
    IMAGE_COUNT_HEADER,
    SCRIPT_HEADER,
    SCRIPT_REASONING_HEADER,
)
"""Every control header the local server knows; any other ``x-qwen-mock-*`` name is a 400."""

# Bounded: a control header must not make the server allocate gigabytes or sleep for ever.
_MAX_TEXT = 16_000_000
_MAX_DELAY = 60.0
_MAX_IMAGES = 16


class ControlHeaderError(ValueError):
    """A malformed ``x-qwen-mock-*`` header: the server answers it with HTTP 400."""


@attrs.frozen
class AnswerControls:
    """The request's overrides of the server configuration (None: not given, use the config)."""

    answer_length: int | None = None
    chunk_size: int | None = None
    delay: float | None = None
    image_count: int | None = None
    script: ScriptedAnswer | None = None


def check_control_headers(headers: Iterable[tuple[str, str]]) -> None:
    """The rule every ``x-qwen-mock-*`` header follows, checked on the raw ``(name, value)`` pairs
    (so a header sent twice is seen twice): known, given once, not empty.

    Raises :class:`ControlHeaderError` for the first header that breaks it.
    """
    seen: dict[str, int] = {}
    for raw_name, value in headers:
        name = raw_name.lower()
        if not name.startswith(CONTROL_PREFIX):
            continue
        if name not in CONTROL_HEADERS:
            raise ControlHeaderError(
                f"unknown control header {name[:60]!r}; the known ones are {', '.join(CONTROL_HEADERS)}"
            )
        seen[name] = seen.get(name, 0) + 1
        blank = " ;\t" if name in (FAULT_HEADER, DRIFT_HEADER) else " \t"  # ";" alone: a list of nothing
        if not value.strip(blank):
            raise ControlHeaderError(f"{name} is empty; leave it out for no {name.removeprefix(CONTROL_PREFIX)}")
    for name, count in seen.items():
        if count > 1:  # which one was meant? refuse rather than pick one
            raise ControlHeaderError(f"{name} given {count} times; give it once")


def _show(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _number(headers: Mapping[str, str], name: str, *, minimum: float, maximum: float) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ControlHeaderError(f"{name} must be a number, got {value[:40]!r}") from None
    if not math.isfinite(number) or not minimum <= number <= maximum:  # also refuses nan
        raise ControlHeaderError(f"{name} must be between {_show(minimum)} and {_show(maximum)}, got {value[:40]!r}")
    return number


def _integer(headers: Mapping[str, str], name: str, *, minimum: int, maximum: int) -> int | None:
    number = _number(headers, name, minimum=minimum, maximum=maximum)
    if number is None:
        return None
    if not number.is_integer():
        raise ControlHeaderError(f"{name} must be an integer, got {headers[name][:40]!r}")
    return int(number)


def read_controls(headers: Mapping[str, str]) -> AnswerControls:
    """The request's answer controls; :class:`ControlHeaderError` naming the first malformed header."""
    try:
        script = header_script(headers)
    except ValueError as exc:
        raise ControlHeaderError(str(exc)) from None
    return AnswerControls(
        answer_length=_integer(headers, ANSWER_LENGTH_HEADER, minimum=0, maximum=_MAX_TEXT),
        chunk_size=_integer(headers, CHUNK_SIZE_HEADER, minimum=1, maximum=_MAX_TEXT),
        delay=_number(headers, DELAY_HEADER, minimum=0, maximum=_MAX_DELAY),
        image_count=_integer(headers, IMAGE_COUNT_HEADER, minimum=1, maximum=_MAX_IMAGES),
        script=script,
    )
