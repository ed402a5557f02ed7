"""Where settings come from: explicit arguments, then the real environment, then a ``.env`` file.

The ``.env`` file is searched upwards from the *working directory* (not from where the package is
installed, the older SDK's mistake), read without changing ``os.environ``, and only when an
argument or variable is missing -- so constructing a client with explicit credentials reads no
file at all.
"""

from __future__ import annotations

import math
import os
import urllib.parse
from collections.abc import Mapping
from typing import Any

import attrs

from .core.exceptions import QwenAuthenticationError

DEFAULT_BASE_URL = "https://chat.qwen.ai"
DEFAULT_AUTH_BASE_URL = "https://auth.qwen.ai"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_FRONTEND_VERSION = "0.3.11"
DEFAULT_BX_V = "2.5.37"

_MISSING_TOKEN = (
    "no Qwen token: pass Qwen(api_key=...) or set QWEN_AUTH_TOKEN (in the environment or a .env file). "
    "To get one, sign in at https://chat.qwen.ai, open the browser's developer tools, and copy the value of "
    "localStorage 'token' (and the whole Cookie header into QWEN_COOKIE); `qwen auth import-har` can read "
    "both from a HAR export."
)


def _dotenv_values() -> dict[str, str]:
    from dotenv import dotenv_values, find_dotenv  # imported only when a value is missing

    path = find_dotenv(usecwd=True)
    if not path:
        return {}
    return {key: value for key, value in dotenv_values(path).items() if value is not None}


class _Sources:
    """Look a setting up in the environment, then in ``.env``, reading the file at most once."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._dotenv: dict[str, str] | None = None

    def get(self, name: str) -> str | None:
        value = self._environ.get(name)
        if value:
            return value
        if self._dotenv is None:
            self._dotenv = _dotenv_values()
        return self._dotenv.get(name) or None


def _validate_url(name: str, value: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{name} must start with http:// or https://, got {value!r}")
    if not urllib.parse.urlsplit(value).hostname:
        raise ValueError(f"{name} must name a host, got {value!r}")
    return value.rstrip("/")


@attrs.frozen(repr=False)
class ClientConfig:
    """Resolved settings of one client. Its repr never shows a credential."""

    api_key: str
    cookie: str | None
    base_url: str
    auth_base_url: str
    timeout: float
    max_retries: int
    default_headers: Mapping[str, str]
    frontend_version: str
    bx_ua: str | None
    bx_umidtoken: str | None
    refresh_token: str | None
    oss_endpoint: str | None

    def __repr__(self) -> str:
        return (
            f"ClientConfig(base_url={self.base_url!r}, timeout={self.timeout}, max_retries={self.max_retries}, "
            "api_key=<redacted>, cookie=<redacted>)"
        )


def resolve_config(
    *,
    api_key: str | None,
    cookie: str | None,
    base_url: str | None,
    auth_base_url: str | None,
    timeout: float | None,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
    refresh_token: str | None,
    environ: Mapping[str, str] | None = None,
) -> ClientConfig:
    sources = _Sources(os.environ if environ is None else environ)
    if api_key is not None and not isinstance(api_key, str):
        raise TypeError(f"api_key must be a string, got {type(api_key).__name__}")
    if cookie is not None and not isinstance(cookie, str):
        raise TypeError(f"cookie must be a string, got {type(cookie).__name__}")
    token = (api_key or sources.get("QWEN_AUTH_TOKEN") or "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise QwenAuthenticationError(_MISSING_TOKEN)
    cookie_value = cookie if cookie is not None else sources.get("QWEN_COOKIE")
    resolved_timeout = _validate_timeout(timeout)
    retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ValueError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    headers: dict[str, str] = {}
    for name, value in (default_headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError("default_headers must map strings to strings")
        headers[name] = value
    return ClientConfig(
        api_key=token,
        cookie=cookie_value.strip() if cookie_value else None,
        base_url=_validate_url("base_url", _first_set(base_url, sources.get("QWEN_BASE_URL"), DEFAULT_BASE_URL)),
        auth_base_url=_validate_url(
            "auth_base_url", _first_set(auth_base_url, sources.get("QWEN_AUTH_BASE_URL"), DEFAULT_AUTH_BASE_URL)
        ),
        timeout=resolved_timeout,
        max_retries=retries,
        default_headers=headers,
        frontend_version=sources.get("QWEN_FRONTEND_VERSION") or DEFAULT_FRONTEND_VERSION,
        bx_ua=sources.get("QWEN_BX_UA"),
        bx_umidtoken=sources.get("QWEN_BX_UMIDTOKEN"),
        refresh_token=refresh_token
        or sources.get("QWEN_REFRESH_TOKEN")
        or _cookie_value(cookie_value, "refresh_token"),
        oss_endpoint=sources.get("QWEN_OSS_ENDPOINT"),
    )


def _first_set(argument: Any, environment: str | None, default: str) -> Any:
    """The argument unless it is None (an empty string is a mistake to report, not a request for the
    production default), else the environment unless empty, else the default."""
    if argument is not None:
        return argument
    return environment or default


def _validate_timeout(timeout: Any) -> float:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def _cookie_value(cookie: str | None, name: str) -> str | None:
    if not cookie:
        return None
    for part in cookie.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name and value:
            return value
    return None


def merge_cookie(cookie: str | None, token: str) -> str:
    """The Cookie header: the user's jar with ``token=`` set to the configured token."""
    parts = [f"token={token}"]
    if cookie:
        for part in cookie.split(";"):
            part = part.strip()
            if part and not part.startswith("token="):
                parts.append(part)
    return "; ".join(parts)
