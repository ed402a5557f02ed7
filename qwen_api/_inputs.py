"""Input checks that must pass before any request is sent.

A turn is two requests (create the chat, then send the message): text the wire cannot carry, found
only when the second is encoded, would leave an orphan chat behind and surface as a bare
``UnicodeEncodeError``. An identifier that is megabytes long, or carries ``/``, ``?`` or a line
break, would reach the URL and the ``Referer`` header. So both are checked first, with a typed
error that names the argument: :class:`~qwen_api.QwenInputTypeError` (also a ``TypeError``) for a
wrong type, :class:`~qwen_api.QwenInputValueError` (also a ``ValueError``) for an unusable value.
A message shows at most a short excerpt of the value, never all of a huge or hostile one.
"""

from __future__ import annotations

import re

from ._exceptions import QwenInputTypeError, QwenInputValueError

MAX_IDENTIFIER_LENGTH = 128
"""The service's ids are UUIDs (36 characters); anything much longer is not one of its ids."""

SHORT_REPR_LENGTH = 40
"""The most of a value an error message quotes."""

_IDENTIFIER = re.compile(r"[A-Za-z0-9_.:-]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def short_repr(value: str, limit: int = SHORT_REPR_LENGTH) -> str:
    """``repr(value)``, cut to its first ``limit`` characters (and said so) when it is longer."""
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}... ({len(value)} characters)"


def check_identifier(name: str, value: object) -> str | None:
    """An optional id (``chat_id=``, ``parent_id=``...): None, or what :func:`require_identifier` accepts."""
    if value is None:
        return None
    return require_identifier(name, value)


def require_identifier(name: str, value: object) -> str:
    """``chat_id``, ``parent_id``, ``response_id``...: short, and only characters an id uses.

    Not ``.`` or ``..`` either: in a URL path they name another resource, not a chat.
    """
    if not isinstance(value, str):
        raise QwenInputTypeError(f"{name} must be a string, got {type(value).__name__}")
    if len(value) > MAX_IDENTIFIER_LENGTH:
        raise QwenInputValueError(
            f"{name} is {len(value)} characters long; the service's ids are at most {MAX_IDENTIFIER_LENGTH}"
        )
    if not _IDENTIFIER.fullmatch(value) or not value.strip("."):
        raise QwenInputValueError(
            f"{name} {short_repr(value)} is not a {name.replace('_', ' ')}: ids are non-empty, of letters, "
            "digits, '-', '_', '.' or ':' (as the service returns them)"
        )
    return value


def check_text(name: str, text: str) -> str:
    """Text that UTF-8 can carry: a lone surrogate (half of a broken emoji, usually) cannot be sent."""
    match = _SURROGATE.search(text)
    if match is not None:
        raise QwenInputValueError(
            f"{name} contains a lone surrogate (U+{ord(match.group()):04X} at index {match.start()}), which "
            "cannot be sent as UTF-8; it usually comes from text decoded with errors='surrogateescape' or "
            "cut in the middle of an emoji"
        )
    return text
