"""Find every secret in a set of exchanges and replace it, so captures can be shared and committed.

Two passes. First :meth:`Redactor.learn` reads the exchanges structurally and collects the values
that are secret by position: the bearer token and every cookie value that is a credential (by
name or by shape, as :func:`qwen_api._redaction.is_secret_cookie` decides: a region or a theme is
not one, and replacing it everywhere would corrupt ordinary text), ``bx-ua`` / ``bx-umidtoken``,
``Set-Cookie`` values, secret query parameters (OSS signatures and security tokens, signed-URL
``key``\\ s, ``x5secdata``), JSON fields named like credentials (``access_key_secret``,
``security_token``, ``refresh_token``...), JWTs anywhere, the account's user id (JWT ``id`` claim,
``user_id`` fields, the session user) and e-mail addresses. Then :meth:`Redactor.scrub` replaces
every occurrence of those values in any text (also percent-encoded), and :meth:`Redactor.leaks`
checks a text for any that survived: the fixture writer refuses to write a file that fails it.

Replacements follow tests/fixtures/qwen-wire/README.md: JWTs become
``eyJhbGciOiJIUzI1NiJ9.fake.fake``, STS key ids ``STS.REDACTED``, other secrets ``REDACTED``, the
user id :data:`PLACEHOLDER_USER_ID` and e-mail addresses ``user@example.com``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from .._redaction import MIN_SECRET_LENGTH, cookie_pairs, is_secret_cookie
from ._exchange import Exchange, sse_events

__all__ = ["FAKE_JWT", "PLACEHOLDER_EMAIL", "PLACEHOLDER_USER_ID", "Redactor"]

FAKE_JWT = "eyJhbGciOiJIUzI1NiJ9.fake.fake"
PLACEHOLDER_USER_ID = "00000000-0000-4000-8000-000000000000"
PLACEHOLDER_EMAIL = "user@example.com"
PLACEHOLDER_NAME = "A User"
REDACTED = "REDACTED"

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_X5SEC = re.compile(r"(x5secdata=)[^&\s\"'_]+")
_SECRET_HEADERS = frozenset({"authorization", "bx-ua", "bx-umidtoken", "x-csrf-token", "x-xsrf-token"})
_SECRET_QUERY = frozenset(
    {
        "key", "token", "access_token", "refresh_token", "x-oss-security-token", "x-oss-signature", "signature",
        "security-token", "ossaccesskeyid", "x5secdata", "expires_token", "auth_key",
    }
)  # fmt: skip
_SECRET_FIELDS = frozenset(
    {
        "token", "access_token", "refresh_token", "id_token", "security_token", "access_key_secret",
        "access_key_id", "accesskeyid", "accesskeysecret", "securitytoken", "password", "secret", "signature",
        "api_key", "apikey", "cookie",
    }
)  # fmt: skip
_USER_ID_FIELDS = frozenset({"user_id", "userid", "uid", "typarm2"})
_MIN_GLOBAL = MIN_SECRET_LENGTH
"""Shorter values (a cookie set to ``1``) are replaced where they sit, never throughout a text."""


def _jwt_claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return {}
    return claims if isinstance(claims, dict) else {}


class Redactor:
    """Collects secrets from exchanges (and configuration), then scrubs any text of them."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self.user_ids: set[str] = set()
        self.emails: set[str] = set()
        self.names: set[str] = set()

    # -- learning --------------------------------------------------------------------------------

    def add_secret(self, value: str | None) -> None:
        if value and value.strip() and REDACTED not in value and FAKE_JWT not in value:  # not already replaced
            value = value.strip()
            self.secrets.add(value)
            if value.lower().startswith("bearer "):
                self.add_secret(value[7:])
            claims = _jwt_claims(value)
            user = claims.get("id") or claims.get("sub") or claims.get("user_id")
            if isinstance(user, str) and len(user) >= _MIN_GLOBAL:
                self.user_ids.add(user)
            email = claims.get("email")
            if isinstance(email, str):
                self.emails.add(email)

    def add_cookie_header(self, cookie: str | None) -> None:
        """Learn the credentials among the cookie's values; every value is still replaced where it
        sits, in the ``Cookie`` header itself (:meth:`scrub_headers`)."""
        for name, value in cookie_pairs(cookie or ""):
            if is_secret_cookie(name, value):
                self.add_secret(value)

    def learn(self, exchanges: Iterable[Exchange]) -> Redactor:
        for exchange in exchanges:
            self._learn_url(exchange.url)
            for name, value in exchange.request_headers:
                lower = name.lower()
                if lower == "cookie":
                    self.add_cookie_header(value)
                elif lower in _SECRET_HEADERS or "token" in lower or "secret" in lower:
                    self.add_secret(value)
            for name, value in exchange.response_headers:
                if name.lower() == "set-cookie":
                    cookie_name, _, cookie_value = value.split(";", 1)[0].partition("=")
                    if is_secret_cookie(cookie_name, cookie_value):
                        self.add_secret(cookie_value.strip())
            for text in (exchange.request_body, exchange.response_body):
                self._learn_text(text, session_user=exchange.path in ("/api/v1/auths/", "/api/v2/user"))
        return self

    def _learn_url(self, url: str) -> None:
        for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            lower = name.lower()
            if lower in _SECRET_QUERY:
                self.add_secret(value.split("__bx__", 1)[0] if lower == "x5secdata" else value)
            elif lower == "x-oss-credential":
                self.add_secret(value.split("/", 1)[0])

    def _learn_text(self, text: str | None, *, session_user: bool = False) -> None:
        if not text:
            return
        for match in _JWT.finditer(text):
            self.add_secret(match.group(0))
        self.emails.update(match.group(0) for match in _EMAIL.finditer(text))
        values = []
        try:
            values.append(json.loads(text))
        except ValueError:
            for _, data in sse_events(text):
                try:
                    values.append(json.loads(data))
                except ValueError:
                    continue
        for value in values:
            self._learn_json(value, session_user=session_user)

    def _learn_json(self, value: Any, *, session_user: bool = False, depth: int = 0) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                lower = str(key).lower()
                if isinstance(item, str):
                    if lower in _SECRET_FIELDS:
                        self.add_secret(item)
                    elif lower in _USER_ID_FIELDS and len(item) >= _MIN_GLOBAL:
                        self.user_ids.add(item)
                    elif lower in ("email", "mail"):
                        self.emails.add(item)
                    elif session_user and depth <= 1 and lower == "id" and len(item) >= _MIN_GLOBAL:
                        self.user_ids.add(item)
                    elif session_user and depth <= 1 and lower == "name" and item.strip():
                        self.names.add(item)
                    elif item.startswith(("http://", "https://")):
                        self._learn_url(item)
                else:
                    self._learn_json(item, session_user=session_user, depth=depth + 1)
        elif isinstance(value, list):
            for item in value:
                self._learn_json(item, session_user=session_user, depth=depth + 1)

    # -- scrubbing -------------------------------------------------------------------------------

    def _replacements(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for secret in self.secrets:
            if len(secret) < _MIN_GLOBAL:
                continue
            if _JWT.fullmatch(secret):
                replacement = FAKE_JWT
            elif secret.startswith("STS."):
                replacement = "STS." + REDACTED
            else:
                replacement = REDACTED
            pairs.append((secret, replacement))
        pairs.extend((user, PLACEHOLDER_USER_ID) for user in self.user_ids)
        pairs.extend((email, PLACEHOLDER_EMAIL) for email in self.emails if email != PLACEHOLDER_EMAIL)
        # a person's name only where it stands as a whole JSON string (a name like "user" is also a word)
        quoted = json.dumps(PLACEHOLDER_NAME)
        pairs.extend((json.dumps(name, ensure_ascii=False), quoted) for name in self.names if name != PLACEHOLDER_NAME)
        expanded: list[tuple[str, str]] = []
        for value, replacement in pairs:
            expanded.append((value, replacement))
            if value.startswith('"'):
                continue
            for encoded in {quote(value, safe=""), quote(value, safe="/"), json.dumps(value)[1:-1]}:
                if encoded != value:
                    expanded.append((encoded, replacement))
        return sorted(expanded, key=lambda pair: len(pair[0]), reverse=True)

    def scrub(self, text: str) -> str:
        """``text`` with every known secret, user id and e-mail address replaced."""
        for value, replacement in self._replacements():
            text = text.replace(value, replacement)
        text = _JWT.sub(lambda m: m.group(0) if m.group(0) == FAKE_JWT else FAKE_JWT, text)
        text = _X5SEC.sub(lambda m: m.group(1) + REDACTED, text)
        return _EMAIL.sub(PLACEHOLDER_EMAIL, text)

    def scrub_headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Headers with secret values replaced by position (cookie names kept), then scrubbed."""
        cleaned = []
        for name, value in headers:
            lower = name.lower()
            if lower == "authorization":
                scheme = value.split(" ", 1)[0] if " " in value else "Bearer"
                value = f"{scheme} {FAKE_JWT}"
            elif lower == "cookie":
                value = "; ".join(f"{key}={REDACTED}" for key, _ in cookie_pairs(value))
            elif lower == "set-cookie":
                first, sep, attributes = value.partition(";")
                value = f"{first.partition('=')[0]}={REDACTED}{sep}{attributes}"
            elif lower in _SECRET_HEADERS or "token" in lower or "secret" in lower:
                value = REDACTED
            cleaned.append((name, self.scrub(value)))
        return cleaned

    def leaks(self, text: str) -> list[str]:
        """Kinds of secret still present in ``text`` (never the values): empty when clean."""
        found = []
        if any(secret in text for secret in self.secrets if len(secret) >= _MIN_GLOBAL):
            found.append("a credential")
        if any(user in text for user in self.user_ids):
            found.append("a user id")
        if any(email in text for email in self.emails if email != PLACEHOLDER_EMAIL):
            found.append("an e-mail address")
        if any(m.group(0) != FAKE_JWT for m in _JWT.finditer(text)):
            found.append("a JWT")
        return found
