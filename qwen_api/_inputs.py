"""Input checks that must pass before any request is sent.

A turn is two requests (create the chat, then send the message): text the wire cannot carry, found
only when the second is encoded, would leave an orphan chat behind and surface as a bare
``UnicodeEncodeError``. An identifier that is megabytes long, or carries ``/``, ``?`` or a line
break, would reach the URL and the ``Referer`` header. So both are checked first, with a typed
error that names the argument.
"""

from __future__ import annotations

import re

from ._exceptions import QwenInvalidRequestError

MAX_IDENTIFIER_LENGTH = 128
"""The service's ids are UUIDs (36 characters); anything much longer is not one of its ids."""

_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:-]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_identifier(name: str, value: str | None) -> str | None:
    """``chat_id``, ``parent_id``, ``response_id``...: short, and only characters an id uses."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise QwenInvalidRequestError(f"{name} must be a string, got {type(value).__name__}")
    if len(value) > MAX_IDENTIFIER_LENGTH:
        raise QwenInvalidRequestError(
            f"{name} is {len(value)} characters long; the service's ids are at most {MAX_IDENTIFIER_LENGTH}"
        )
    if not _IDENTIFIER.fullmatch(value):
        raise QwenInvalidRequestError(
            f"{name} must be a non-empty id of letters, digits, '-', '_', '.' or ':' (as the service returns them)"
        )
    return value


def check_text(name: str, text: str) -> str:
    """Text that UTF-8 can carry: a lone surrogate (half of a broken emoji, usually) cannot be sent."""
    match = _SURROGATE.search(text)
    if match is not None:
        raise QwenInvalidRequestError(
            f"{name} contains a lone surrogate (U+{ord(match.group()):04X} at index {match.start()}), which "
            "cannot be sent as UTF-8; it usually comes from text decoded with errors='surrogateescape' or "
            "cut in the middle of an emoji"
        )
    return text
