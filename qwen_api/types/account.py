"""The signed-in account."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._serialize import Serializable
from .params import JSONObject, JSONValue

__all__ = ["Account"]


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None


@attrs.define(slots=True)
class Account(Serializable):
    """Who the token belongs to (``GET /api/v1/auths/``); ``expires_at`` is the token's expiry, if known."""

    id: str | None = None
    email: str | None = None
    name: str | None = None
    role: str | None = None
    expires_at: int | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> Account:
        """Build from the session user object (unknown fields stay in ``raw``)."""
        body = {k: v for k, v in raw.items() if k != "token"}  # the token is never kept on the object
        expires = raw.get("expires_at")
        return cls(
            _s(raw.get("id")),
            _s(raw.get("email")),
            _s(raw.get("name")),
            _s(raw.get("role")),
            expires if isinstance(expires, int) and not isinstance(expires, bool) else None,
            body,
        )
