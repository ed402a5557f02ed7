"""Secrets out of every text the SDK shows: exception messages, reprs, logs, saved log files.

Two nets: the literal secrets this process knows (tokens, credential cookie values, STS keys,
registered by the clients) and the shapes of secrets (bearer values, JWTs, ``token=...``,
signatures). Kept apart from logging so the exception classes can use it without importing the
logging machinery.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

# What a secret value looks like: one unbroken run of token characters, at least 8 long with a digit
# in it, or at least 12 long. Tokens, cookie values, STS keys and signatures are all of that shape;
# the words of a sentence are not ("no Qwen token: pass Qwen(api_key=...)" must come out unchanged).
_VALUE_CHAR = r"[^\s;&,\"'()<>\[\]{}]"
_SECRET_VALUE = rf"(?:(?={_VALUE_CHAR}*[0-9]){_VALUE_CHAR}{{8,}}|{_VALUE_CHAR}{{12,}})(?!{_VALUE_CHAR})"
_PATTERNS = [
    re.compile(rf"(?i)(bearer\s+){_SECRET_VALUE}"),
    # a JWT: header and payload are both base64url JSON objects, so both start with eyJ ('{"'); a
    # placeholder such as "eyJhbGciOiJIUzI1NiJ9.fake.fake" is not a token
    re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
    re.compile(
        r"(?i)((?:token|refresh_token|access_token|x-oss-security-token|x-oss-signature|signature|"
        r"security_token|access_key_secret|accesskeysecret)[\"']?[ \t]*[=:][ \t]*[\"']?)" + _SECRET_VALUE
    ),
    re.compile(r"(?i)(OSS4-HMAC-SHA256 Credential=)[^\s]+"),
    re.compile(r"(?i)(OSS [A-Za-z0-9.]+:)[A-Za-z0-9+/=]{16,}"),  # V1 header: base64 HMAC-SHA1, 28 long
]
REDACTED = "<redacted>"

SECRET_COOKIE_NAMES = frozenset(
    {
        "token", "refresh_token", "cna", "ssxmod_itna", "ssxmod_itna2", "tfstk", "isg", "acw_tc", "x5sec",
        "x5secdata", "atpsida", "sca", "xlly_s", "_bl_uid", "_gcl_au",
    }
)  # fmt: skip
"""Cookies of chat.qwen.ai that hold a credential or identify the session or the browser (the
service's token, the anti-bot gate's fingerprints, analytics ids): secret whatever their value."""

_SECRET_COOKIE_NAME_PARTS = ("token", "sess", "sid", "uid", "auth", "secret", "key", "csrf", "xsrf", "pass")
"""A cookie whose name contains one of these (``JSESSIONID``, ``auth_key``...) is secret too."""

MIN_SECRET_LENGTH = 6
"""Shorter literals are not scrubbed from every text: ``1`` or ``abc`` would mangle any message."""

MIN_CREDENTIAL_COOKIE_LENGTH = 16
"""A cookie with another name is secret only if its value is at least this long and not made of words."""

# A value made of words: lower-case, Title-case or short upper-case words and short numbers joined by
# punctuation -- a region ("ap-southeast-1"), a theme, a language ("en-US"), a path. Words occur in
# ordinary messages; a credential (random letters and digits, hex, base64, a JWT) is not made of them.
_PROSE = re.compile(
    r"(?:[a-z]+|[A-Z][a-z]+|[A-Z]{1,5}|[0-9]{1,4})(?:[-_.:/+, ](?:[a-z]+|[A-Z][a-z]+|[A-Z]{1,5}|[0-9]{1,4}))*"
)


def is_secret_cookie(name: str, value: str) -> bool:
    """Whether a cookie's value is a secret to scrub from every message and log line.

    Secret by name (:data:`SECRET_COOKIE_NAMES` and names that say so), or by shape: a long value
    that is not made of words. A preference such as ``x-ap=ap-southeast-1`` or ``theme=system`` is
    neither, and scrubbing it would turn "oss-ap-southeast-1" or "role system" in an ordinary
    message into ``<redacted>``.
    """
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return False
    lower = name.strip().lower()
    if lower in SECRET_COOKIE_NAMES or any(part in lower for part in _SECRET_COOKIE_NAME_PARTS):
        return True
    return len(value) >= MIN_CREDENTIAL_COOKIE_LENGTH and not _PROSE.fullmatch(value)


def cookie_pairs(cookie: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` entries of a ``Cookie`` header, stripped; entries without ``=`` dropped."""
    pairs = []
    for part in cookie.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs


class SecretRegistry:
    """Literal secrets known to this process (tokens, cookie values, STS keys) to scrub from text."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def add(self, *values: str | None) -> None:
        with self._lock:
            for value in values:
                if value and len(value) >= MIN_SECRET_LENGTH:
                    self._secrets.add(value)
            self._pattern = (
                re.compile("|".join(re.escape(s) for s in sorted(self._secrets, key=len, reverse=True)))
                if self._secrets
                else None
            )

    def add_cookie(self, cookie: str | None) -> None:
        """Register the cookie's secret values (see :func:`is_secret_cookie`), not its preferences."""
        if cookie:
            self.add(*(value for name, value in cookie_pairs(cookie) if is_secret_cookie(name, value)))

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        for regex in _PATTERNS:
            text = regex.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
        return text


secrets = SecretRegistry()

_CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-oss-security-token"}
)


def redact_value(value: Any) -> Any:
    """``value`` with secrets removed from every string in it (dicts and lists are copied)."""
    if isinstance(value, str):
        return secrets.redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item) for item in value]
    return value


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers safe to keep on an exception: credential headers blanked, secrets removed from the rest."""
    return {
        name: REDACTED if name.lower() in _CREDENTIAL_HEADERS else secrets.redact(value)
        for name, value in headers.items()
    }
