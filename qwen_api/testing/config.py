"""How a local server instance behaves: answer shape, pacing, auth, storage.

One frozen attrs class, so a configuration can be shared between the app, the CLI and the pytest
fixture without anyone mutating it behind the server's back (per-request variations travel in
``x-qwen-mock-*`` headers instead, see :mod:`qwen_api.testing.app`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from .faults import FaultRule
from .script import ScriptedAnswer

__all__ = ["DEFAULT_USER_ID", "ServerConfig"]

#: The account every request is served as (the id seen in the 2026-09 captures' ``file_path``).
DEFAULT_USER_ID = "5b51329c-3691-4101-8f2c-4e5c2edeb21f"


def _rules(value: Iterable[FaultRule]) -> tuple[FaultRule, ...]:
    return tuple(value)


def _script(value: Iterable[ScriptedAnswer]) -> tuple[ScriptedAnswer, ...]:
    return tuple(value)


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


@attrs.frozen(kw_only=True)
class ServerConfig:
    """Settings of one local Qwen-compatible server.

    token:
        ``None`` accepts any non-empty bearer/cookie token; a string accepts only that value (plus the
        tokens the server mints itself with ``RunningServer.mint_token``).
    answer_length:
        ``None`` answers ``"You said: " + prompt``; ``N`` answers exactly ``N`` characters of that text
        repeated. :func:`qwen_api.testing.expected_answer` returns the exact text.
    chunk_size:
        Characters per answer delta (code points; a delta never splits a character).
    delay:
        Seconds between two stream events.
    token_lifetime:
        When set, tokens minted by the server expire after this many seconds and answer
        ``{"success": false, "message": "Token expired"}``; tokens the server did not mint are refused
        unless they equal ``token``. ``None`` keeps the issue's rule (any non-empty token).
    storage_dir:
        Where OSS uploads are written (served back by ``GET /{bucket}/{key}``); ``None`` counts and
        hashes them, then discards the bytes.
    parse_polls:
        How many ``running`` answers ``files/parse/status`` gives before ``success``.
    faults:
        Server-level fault rules applied to every matching request (see :mod:`.faults`).
    page_size:
        Chats per page of ``GET /api/v2/chats/``.
    image_count:
        Images per t2i answer (one ``image_gen`` event each).
    keepalive_events:
        ``response.info`` keep-alive events before the images of a t2i answer.
    sts_lifetime:
        Seconds an upload grant stays valid (OSS answers ``SecurityTokenExpired`` afterwards).
    user_id:
        The account id used in ``file_path`` and the session user.
    public_url:
        Base URL written into grants and image URLs; ``None`` uses the URL the request came in on.
    script:
        Scripted answers served in order instead of the echo (see :mod:`.script`).
    """

    token: str | None = attrs.field(default=None)
    answer_length: int | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.ge(0)))
    chunk_size: int = attrs.field(default=8, validator=attrs.validators.gt(0))
    delay: float = attrs.field(default=0.0, validator=attrs.validators.ge(0))
    token_lifetime: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.gt(0))
    )
    storage_dir: Path | None = attrs.field(default=None, converter=_optional_path)
    parse_polls: int = attrs.field(default=1, validator=attrs.validators.ge(0))
    faults: tuple[FaultRule, ...] = attrs.field(default=(), converter=_rules)
    page_size: int = attrs.field(default=20, validator=attrs.validators.gt(0))
    image_count: int = attrs.field(default=1, validator=attrs.validators.gt(0))
    keepalive_events: int = attrs.field(default=1, validator=attrs.validators.ge(0))
    sts_lifetime: float = attrs.field(default=3600.0, validator=attrs.validators.gt(0))
    user_id: str = DEFAULT_USER_ID
    public_url: str | None = None
    script: tuple[ScriptedAnswer, ...] = attrs.field(default=(), converter=_script)

    @token.validator
    def _check_token(self, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and not value.strip():
            raise ValueError("token must be a non-empty string or None")
