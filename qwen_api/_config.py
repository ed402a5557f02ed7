"""Where settings come from: explicit arguments, then the real environment, then a ``.env`` file.

The ``.env`` file is the one in the *working directory* (or the file named with ``env_file=``),
never one in a parent directory: a ``.env`` left higher up the tree must not redirect a program's
credentials. It is read without changing ``os.environ``, and only when an argument or variable is
missing. A ``.env`` never supplies a host (``QWEN_BASE_URL``, ``QWEN_AUTH_BASE_URL``,
``QWEN_OSS_ENDPOINT``) unless the token came from that same file and no other credential (cookie,
refresh token) came from code or the environment: credentials given in code or in the environment
go where the code or the environment says, nowhere else.

Every value that becomes an HTTP header is checked here, at construction: a CR, LF or NUL would
split or end a header (and defeat log redaction), and a character outside printable ASCII cannot
be sent at all. The error names the argument, never the value.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from ._exceptions import QwenAuthenticationError
from ._limits import DEFAULT_LIMITS, ResponseLimits

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


HOST_SETTINGS = ("QWEN_BASE_URL", "QWEN_AUTH_BASE_URL", "QWEN_OSS_ENDPOINT")
"""Settings that say where credentials are sent: a ``.env`` supplies them only with its own token."""


def _dotenv_values(env_file: str | os.PathLike[str] | None) -> dict[str, str]:
    if env_file is not None:
        path = os.fspath(env_file)
        if not os.path.isfile(path):
            raise ValueError("env_file: no such file")
    else:
        path = os.path.join(os.getcwd(), ".env")
        if not os.path.isfile(path):
            return {}
    from dotenv import dotenv_values  # imported only when a value is missing

    return {key: value for key, value in dotenv_values(path).items() if value is not None}


class _Sources:
    """Look a setting up in the environment, then in ``.env``, reading the file at most once."""

    def __init__(self, environ: Mapping[str, str], env_file: str | os.PathLike[str] | None = None) -> None:
        self._environ = environ
        self._env_file = env_file
        self._dotenv: dict[str, str] | None = None
        self.hosts_from_file = False
        """Set once the token came from the ``.env`` file: only then may the file name hosts too."""

    def _file(self) -> dict[str, str]:
        if self._dotenv is None:
            self._dotenv = _dotenv_values(self._env_file)
        return self._dotenv

    def get(self, name: str) -> str | None:
        value = self._environ.get(name)
        if value:
            return value
        if name in HOST_SETTINGS and not self.hosts_from_file:
            return None
        return self._file().get(name) or None

    def in_environment(self, *names: str) -> bool:
        """Whether the real environment sets any of ``names`` (so the value did not come from ``.env``)."""
        return any(self._environ.get(name) for name in names)

    def token(self) -> str | None:
        value = self._environ.get("QWEN_AUTH_TOKEN")
        if value:
            return value
        value = self._file().get("QWEN_AUTH_TOKEN") or None
        self.hosts_from_file = value is not None
        return value


_HEADER_SAFE = re.compile(r"[\t\x20-\x7e]*")


def check_header_value(name: str, value: str) -> str:
    """Refuse a value an HTTP header cannot carry; the message names ``name``, never the value."""
    if not _HEADER_SAFE.fullmatch(value):
        raise ValueError(
            f"{name} contains a character an HTTP header cannot carry (CR, LF, NUL, another control "
            "character, or a non-ASCII character); copy it again without line breaks or extra characters"
        )
    return value


_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


def check_headers(argument: str, headers: object, *, numbers: bool = False) -> dict[str, str]:
    """``headers`` (a mapping, None for none) as names and values HTTP can carry.

    One check for every way a header gets in -- ``Qwen(default_headers=...)``,
    ``with_options(default_headers=...)``, a call's ``extra_headers=`` -- so a value with a line break
    is refused before anything is sent, and the message names the argument and the header, never the
    value (it is often a credential). ``numbers`` lets int and float values through, as text.
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"{argument} must be a mapping of header names to strings, got {type(headers).__name__}")
    result: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str):
            raise TypeError(f"{argument} must map strings to strings, got a {type(name).__name__} header name")
        if not _HEADER_NAME.fullmatch(name):
            raise ValueError(f"{argument} has a header name that is not a valid HTTP token")
        if numbers and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            kind = "a string or a number" if numbers else "a string"
            raise TypeError(f"{argument}[{name!r}] must be {kind}, got {type(value).__name__}")
        result[name] = check_header_value(f"{argument}[{name!r}]", value)
        if value != value.strip(" \t"):
            # HTTP drops such spaces, and h11 refuses to send them: found at the first call, too late.
            raise ValueError(f"{argument}[{name!r}] begins or ends with a space or tab, which a header cannot carry")
    return result


def default_auth_base_url(base_url: str) -> str:
    """Where tokens are refreshed when no auth host is set: the production auth host for the
    production service, the service itself for any other (a refresh token never leaves for
    production because only ``base_url`` was changed)."""
    return DEFAULT_AUTH_BASE_URL if base_url == DEFAULT_BASE_URL else base_url


def validate_url(name: str, value: str) -> str:
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
    total_timeout: float | None = None
    limits: ResponseLimits = DEFAULT_LIMITS

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
    total_timeout: float | None = None,
    env_file: str | os.PathLike[str] | None = None,
    limits: ResponseLimits | None = None,
) -> ClientConfig:
    if limits is not None and not isinstance(limits, ResponseLimits):
        raise TypeError(f"limits must be a qwen_api.ResponseLimits, got {type(limits).__name__}")
    sources = _Sources(os.environ if environ is None else environ, env_file)
    if api_key is not None and not isinstance(api_key, str):
        raise TypeError(f"api_key must be a string, got {type(api_key).__name__}")
    if cookie is not None and not isinstance(cookie, str):
        raise TypeError(f"cookie must be a string, got {type(cookie).__name__}")
    if refresh_token is not None and not isinstance(refresh_token, str):
        raise TypeError(f"refresh_token must be a string, got {type(refresh_token).__name__}")
    token = (api_key or sources.token() or "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise QwenAuthenticationError(_MISSING_TOKEN)
    cookie_value = cookie if cookie is not None else sources.get("QWEN_COOKIE")
    resolved_timeout = validate_timeout(timeout)
    retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        raise ValueError(f"max_retries must be an integer >= 0, got {max_retries!r}")
    headers = check_headers("default_headers", default_headers)
    check_header_value("api_key", token)
    cookie_value = check_header_value("cookie", cookie_value.strip()) if cookie_value else None
    refresh = refresh_token or sources.get("QWEN_REFRESH_TOKEN") or _cookie_value(cookie_value, "refresh_token")
    if refresh:
        check_header_value("refresh_token", refresh)
    if cookie is not None or refresh_token or sources.in_environment("QWEN_COOKIE", "QWEN_REFRESH_TOKEN"):
        # a credential from code or the environment goes only where they say, even when the
        # token itself came from the .env
        sources.hosts_from_file = False
    bx_ua, bx_umidtoken = sources.get("QWEN_BX_UA"), sources.get("QWEN_BX_UMIDTOKEN")
    frontend_version = sources.get("QWEN_FRONTEND_VERSION") or DEFAULT_FRONTEND_VERSION
    for name, header in (("QWEN_BX_UA", bx_ua), ("QWEN_BX_UMIDTOKEN", bx_umidtoken), ("version", frontend_version)):
        if header:
            check_header_value(name, header)
    resolved_base = validate_url("base_url", _first_set(base_url, sources.get("QWEN_BASE_URL"), DEFAULT_BASE_URL))
    # Refreshes go to the auth host; against any other service (the local server, a proxy) that is
    # the service itself, unless an auth host is set: a refresh token never leaves for production
    # because only base_url was changed.
    auth_default = default_auth_base_url(resolved_base)
    return ClientConfig(
        api_key=token,
        cookie=cookie_value,
        base_url=resolved_base,
        auth_base_url=validate_url(
            "auth_base_url", _first_set(auth_base_url, sources.get("QWEN_AUTH_BASE_URL"), auth_default)
        ),
        timeout=resolved_timeout,
        max_retries=retries,
        default_headers=headers,
        frontend_version=frontend_version,
        bx_ua=bx_ua,
        bx_umidtoken=bx_umidtoken,
        refresh_token=refresh,
        oss_endpoint=sources.get("QWEN_OSS_ENDPOINT"),
        total_timeout=None if total_timeout is None else _validate_seconds("total_timeout", total_timeout),
        limits=limits or DEFAULT_LIMITS,
    )


def _first_set(argument: Any, environment: str | None, default: str) -> Any:
    """The argument unless it is None (an empty string is a mistake to report, not a request for the
    production default), else the environment unless empty, else the default."""
    if argument is not None:
        return argument
    return environment or default


def validate_timeout(timeout: Any) -> float:
    if timeout is None:
        return DEFAULT_TIMEOUT
    return _validate_seconds("timeout", timeout)


def _validate_seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


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


class ClientSettings:
    """What every client shows of its settings, read-only (``Qwen`` and ``AsyncQwen`` alike)."""

    _config: ClientConfig
    _display_name: ClassVar[str] = "Qwen"
    """The name ``repr()`` shows (``AsyncQwen`` says its own; ``Qwen``'s private subclasses do not)."""

    @property
    def base_url(self) -> str:
        """The service URL requests go to (``base_url=``, ``QWEN_BASE_URL`` or ``https://chat.qwen.ai``)."""
        return self._config.base_url

    @property
    def timeout(self) -> float:
        """Seconds allowed to connect and for each read (``timeout=``, default 30)."""
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        """How many times a failed request is retried (``max_retries=``, default 2)."""
        return self._config.max_retries

    def __repr__(self) -> str:
        config = self._config
        return f"{self._display_name}(base_url={config.base_url!r}, timeout={config.timeout}, api_key=<redacted>)"
