"""Credentials: JWT-shaped tokens the server mints, and the rule deciding whether a request may pass.

Real access tokens (2026-09) are HS256 JWTs with ``type: "access_token"``, ``iat`` and a 15-minute
``exp``; refresh tokens live 30 days and rotate on every refresh. The server signs its own tokens
with a per-instance secret so it can tell them apart from arbitrary strings: a minted token always
honours its ``exp``; any other non-empty token is accepted unless ``ServerConfig.token`` pins one
value or ``token_lifetime`` turns validation on.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

from .config import ServerConfig

__all__ = [
    "ACCESS_TOKEN",
    "DEFAULT_ACCESS_LIFETIME",
    "REFRESH_LIFETIME",
    "REFRESH_TOKEN",
    "AuthVerdict",
    "TokenIssuer",
    "check_access",
    "request_token",
]

ACCESS_TOKEN = "access_token"
REFRESH_TOKEN = "refresh_token"
DEFAULT_ACCESS_LIFETIME = 900.0
REFRESH_LIFETIME = 30 * 24 * 3600.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    """Mints and checks HS256 JWTs with a secret that lives as long as the app."""

    def __init__(self, *, user_id: str, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self._user_id = user_id

    def mint(self, *, lifetime: float, token_type: str = ACCESS_TOKEN) -> str:
        """A signed JWT of ``token_type`` valid for ``lifetime`` seconds from now."""
        now = time.time()
        header = {"alg": "HS256", "kid": "legacy", "typ": "JWT"}
        payload = {
            "id": self._user_id,
            "type": token_type,
            "iat": int(now),
            # Fractional exp keeps sub-second lifetimes (used by tests) meaningful.
            "exp": round(now + lifetime, 3),
            "jti": secrets.token_hex(8),
        }
        signing_input = (
            _b64(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64(json.dumps(payload, separators=(",", ":")).encode())
        )
        signature = hmac.new(self._secret, signing_input.encode("ascii"), hashlib.sha256).digest()
        return signing_input + "." + _b64(signature)

    def decode(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this issuer minted (even if expired), or None for anything else."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = hmac.new(
            self._secret, (parts[0] + "." + parts[1]).encode("ascii", "replace"), hashlib.sha256
        ).digest()
        try:
            if not hmac.compare_digest(_unb64(parts[2]), expected):
                return None
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, UnicodeDecodeError):
            return None
        return claims if isinstance(claims, dict) else None


class AuthVerdict(enum.Enum):
    """How a request's credentials were judged: ok, missing, invalid or expired."""

    OK = "ok"
    MISSING = "missing"
    INVALID = "invalid"
    EXPIRED = "expired"


def request_token(headers: Mapping[str, str], cookies: Mapping[str, str]) -> str | None:
    """The bearer token, else the ``token`` cookie; None when neither is a non-empty value."""
    authorization = headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    cookie = cookies.get("token", "").strip()
    return cookie or None


def check_access(
    token: str | None, *, config: ServerConfig, issuer: TokenIssuer
) -> tuple[AuthVerdict, dict[str, Any] | None]:
    """Apply the server's token rule; returns the verdict and, for minted tokens, their claims."""
    if token is None:
        return AuthVerdict.MISSING, None
    claims = issuer.decode(token)
    if claims is not None:
        if claims.get("type") != ACCESS_TOKEN:
            return AuthVerdict.INVALID, claims
        exp = claims.get("exp")
        if isinstance(exp, int | float) and exp < time.time():
            return AuthVerdict.EXPIRED, claims
        return AuthVerdict.OK, claims
    if config.token is not None:
        return (
            AuthVerdict.OK if hmac.compare_digest(token.encode(), config.token.encode()) else AuthVerdict.INVALID
        ), None
    if config.token_lifetime is not None:
        return AuthVerdict.INVALID, None
    return AuthVerdict.OK, None
