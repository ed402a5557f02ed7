"""Size limits on what a server may send: a hostile or broken server must not exhaust memory.

The defaults are far above anything the service sends (its largest events are a few hundred KiB,
its JSON answers a few MiB) and far below what would hurt a process. Each limit can be raised or
lowered per client: ``Qwen(limits=ResponseLimits(max_event_bytes=64 * 2**20))``. Going beyond one
raises :class:`~qwen_api.QwenResponseTooLargeError`, whose ``code`` names the limit.
"""

from __future__ import annotations

import attrs

from ._exceptions import QwenResponseTooLargeError

MiB = 1024 * 1024

DEFAULT_MAX_EVENT_BYTES = 16 * MiB
DEFAULT_MAX_BODY_BYTES = 32 * MiB
DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * MiB


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{attribute.name} must be a positive number of bytes, got {value!r}")


@attrs.frozen
class ResponseLimits:
    """Per-client size limits, in bytes.

    - ``max_event_bytes``: one server-sent event (or one line of one), as read from the stream.
    - ``max_body_bytes``: one JSON (or error) response body.
    - ``max_decompressed_bytes``: a compressed body once decompressed (the SDK asks for none with
      ``Accept-Encoding: identity``, but a server may compress anyway).
    """

    max_event_bytes: int = attrs.field(default=DEFAULT_MAX_EVENT_BYTES, validator=_positive)
    max_body_bytes: int = attrs.field(default=DEFAULT_MAX_BODY_BYTES, validator=_positive)
    max_decompressed_bytes: int = attrs.field(default=DEFAULT_MAX_DECOMPRESSED_BYTES, validator=_positive)


DEFAULT_LIMITS = ResponseLimits()


def too_large(
    limit: str, value: int, what: str, *, method: str | None = None, url: str | None = None
) -> QwenResponseTooLargeError:
    return QwenResponseTooLargeError(
        f"{what} is larger than {limit}={value} bytes; the server is broken or hostile "
        f"(raise it with Qwen(limits=ResponseLimits({limit}=...)) if you expect such answers)",
        code=limit,
        method=method,
        url=url,
    )
