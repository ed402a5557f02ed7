"""Read a browser's HAR export for Qwen credentials, and merge them into a ``.env`` file.

Pure functions plus one atomic file write; nothing here prints, so no secret can leak from here.
What is collected, from requests to the chat host (``chat.qwen.ai`` unless told otherwise):

* the token: the latest ``Authorization: Bearer`` of an ``/api/`` request, else the latest
  ``token`` cookie;
* the cookie jar: every cookie those requests carried (latest value wins), updated by the
  ``Set-Cookie`` answers they got; ``token`` itself is left out (``QWEN_AUTH_TOKEN`` holds it and
  the SDK puts it back into the Cookie header);
* the pass-through headers ``bx-ua``, ``bx-umidtoken`` and ``version`` (latest values);
* ``refresh_token``: from that jar, else from any ``*.qwen.ai`` request or answer (the auth host
  sets it), latest value.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_HOST = "chat.qwen.ai"

#: The ``.env`` keys this module owns, in the order they are written (names read by qwen_api/_config.py).
MANAGED_KEYS = (
    "QWEN_AUTH_TOKEN",
    "QWEN_COOKIE",
    "QWEN_REFRESH_TOKEN",
    "QWEN_BX_UA",
    "QWEN_BX_UMIDTOKEN",
    "QWEN_FRONTEND_VERSION",
)

_PLACEHOLDERS = frozenset({"", "undefined", "null", "none"})
_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class HarError(Exception):
    """The file is not a usable HAR (a usage error: the user gave the wrong file)."""


@dataclass
class HarCredentials:
    """What a HAR yielded. ``repr`` never shows a value."""

    host: str
    token: str | None = field(default=None, repr=False)
    token_source: str | None = None
    cookies: dict[str, str] = field(default_factory=dict, repr=False)
    bx_ua: str | None = field(default=None, repr=False)
    bx_umidtoken: str | None = field(default=None, repr=False)
    version: str | None = None
    refresh_token: str | None = field(default=None, repr=False)
    entries: int = 0
    host_requests: int = 0

    def env_values(self) -> dict[str, str]:
        """The ``.env`` entries to write (only the ones found)."""
        values: dict[str, str] = {}
        if self.token:
            values["QWEN_AUTH_TOKEN"] = self.token
        if self.cookies:
            values["QWEN_COOKIE"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.refresh_token:
            values["QWEN_REFRESH_TOKEN"] = self.refresh_token
        if self.bx_ua:
            values["QWEN_BX_UA"] = self.bx_ua
        if self.bx_umidtoken:
            values["QWEN_BX_UMIDTOKEN"] = self.bx_umidtoken
        if self.version:
            values["QWEN_FRONTEND_VERSION"] = self.version
        return values


# -- reading ----------------------------------------------------------------------------------------


def _load(path: Path) -> list[Mapping[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise HarError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise HarError(f"{path}: is a directory, not a HAR file") from None
    except UnicodeDecodeError:
        raise HarError(f"{path}: not a HAR file (not UTF-8 text)") from None
    except OSError as exc:
        raise HarError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HarError(f"{path}: not a HAR file (invalid JSON: {exc.msg} at line {exc.lineno})") from None
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{path}: not a HAR file (no log.entries list)")
    return [entry for entry in entries if isinstance(entry, dict)]


def _started(entry: Mapping[str, Any]) -> float | None:
    value = entry.get("startedDateTime")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _chronological(entries: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Entries oldest first by ``startedDateTime`` (file order when a date is missing or equal)."""
    keyed = [(_started(entry), index, entry) for index, entry in enumerate(entries)]
    if all(started is not None for started, _, _ in keyed):
        keyed.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in keyed]


def _pairs(items: object) -> Iterable[tuple[str, str]]:
    if not isinstance(items, list):
        return
    for item in items:
        if isinstance(item, dict):
            name, value = item.get("name"), item.get("value")
            if isinstance(name, str) and isinstance(value, str):
                yield name, value


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    found = None
    for key, value in headers:
        if key.lower() == name:
            found = value
    return found


def _cookie_header(value: str) -> Iterable[tuple[str, str]]:
    for part in value.split(";"):
        name, sep, cookie_value = part.strip().partition("=")
        if sep and name:
            yield name.strip(), cookie_value.strip()


def _domain_covers(domain: str, host: str) -> bool:
    domain = domain.lstrip(".").lower()
    return bool(domain) and (host == domain or host.endswith("." + domain))


def _is_qwen(hostname: str) -> bool:
    return hostname == "qwen.ai" or hostname.endswith(".qwen.ai")


def _usable(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return None if value.lower() in _PLACEHOLDERS else value


def read_har(path: str | os.PathLike[str], host: str = DEFAULT_HOST) -> HarCredentials:
    """Collect the credentials of ``host`` from the HAR at ``path`` (raises :class:`HarError`)."""
    host = host.lower()
    entries = _chronological(_load(Path(path)))
    found = HarCredentials(host=host, entries=len(entries))
    bearer: str | None = None
    jar: dict[str, str] = {}
    refresh_elsewhere: str | None = None
    for entry in entries:
        request = entry.get("request")
        if not isinstance(request, dict) or not isinstance(request.get("url"), str):
            continue
        parts = urlsplit(request["url"])
        hostname = (parts.hostname or "").lower()
        response = entry.get("response")
        set_cookies = list(_pairs(response.get("cookies"))) if isinstance(response, dict) else []
        if hostname != host:
            if _is_qwen(hostname):
                for name, value in [*_pairs(request.get("cookies")), *set_cookies]:
                    if name == "refresh_token" and _usable(value):
                        refresh_elsewhere = value
                if isinstance(response, dict):
                    _shared_cookies(response.get("cookies"), host, jar)
            continue
        found.host_requests += 1
        headers = list(_pairs(request.get("headers")))
        authorization = _header(headers, "authorization")
        if authorization and parts.path.startswith("/api/"):
            scheme, _, credential = authorization.strip().partition(" ")
            if scheme.lower() == "bearer" and _usable(credential):
                bearer = credential.strip()
        cookies = list(_pairs(request.get("cookies")))
        cookie_header = _header(headers, "cookie")
        if not cookies and cookie_header:
            cookies = list(_cookie_header(cookie_header))
        for name, value in [*cookies, *set_cookies]:
            if value:
                jar[name] = value
            else:
                jar.pop(name, None)  # a Set-Cookie with an empty value deletes the cookie
        for attribute, header_name in (("bx_ua", "bx-ua"), ("bx_umidtoken", "bx-umidtoken"), ("version", "version")):
            passed = _usable(_header(headers, header_name))
            if passed:
                setattr(found, attribute, passed)
    if bearer:
        found.token, found.token_source = bearer, "Authorization header"
    elif _usable(jar.get("token")):
        found.token, found.token_source = jar["token"].strip(), "token cookie"
    found.refresh_token = _usable(jar.get("refresh_token")) or _usable(refresh_elsewhere)
    found.cookies = {name: value for name, value in jar.items() if name != "token"}
    return found


def _shared_cookies(items: object, host: str, jar: dict[str, str]) -> None:
    """Set-Cookie answers of another qwen.ai host whose Domain covers ``host`` (e.g. ``.qwen.ai``)."""
    if not isinstance(items, list):
        return
    for item in items:
        if not isinstance(item, dict):
            continue
        name, value, domain = item.get("name"), item.get("value"), item.get("domain")
        if (
            isinstance(name, str)
            and isinstance(value, str)
            and isinstance(domain, str)
            and _domain_covers(domain, host)
        ):
            if value:
                jar[name] = value
            else:
                jar.pop(name, None)


# -- writing ----------------------------------------------------------------------------------------


def _quote(value: str) -> str:
    """A single-quoted dotenv value (python-dotenv unescapes ``\\\\`` and ``\\'`` in single quotes)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render_entry(key: str, value: str) -> str:
    """``KEY='value'``, checked to read back unchanged through python-dotenv (interpolation included)."""
    from dotenv import dotenv_values

    if not _ENV_KEY.match(key):
        raise ValueError(f"{key!r} is not a valid .env key")
    if "\n" in value or "\r" in value:
        raise HarError(f"the value for {key} spans several lines; it cannot be written to .env")
    line = f"{key}={_quote(value)}"
    if dotenv_values(stream=io.StringIO(line + "\n")).get(key) != value:
        # python-dotenv expands ${NAME} even in single quotes, and offers no escape for it
        raise HarError(f"the value for {key} contains '${{', which python-dotenv would expand; not written")
    return line


def merge_env(existing: str, values: Mapping[str, str], managed: Iterable[str] = MANAGED_KEYS) -> tuple[str, list[str]]:
    """``existing`` with every managed key replaced by ``values`` (others kept byte for byte).

    Returns the new text and the managed keys that were dropped because the HAR had no value for
    them (a stale ``QWEN_REFRESH_TOKEN`` must not outlive the session it belonged to).
    """
    from dotenv.parser import parse_stream

    managed_set = set(managed)
    new_lines = [render_entry(key, value) for key, value in values.items()]
    kept: list[str] = []
    dropped: list[str] = []
    inserted = False
    for binding in parse_stream(io.StringIO(existing)):
        if binding.key is not None and binding.key in managed_set:
            if binding.key not in values and binding.key not in dropped:
                dropped.append(binding.key)
            if not inserted:
                kept.extend(line + "\n" for line in new_lines)
                inserted = True
            continue
        kept.append(binding.original.string)
    if not inserted:
        if kept and not kept[-1].endswith("\n"):
            kept.append("\n")
        if kept and kept[-1].strip():
            kept.append("\n")
        kept.append("# Qwen credentials (written by `qwen auth import-har`)\n")
        kept.extend(line + "\n" for line in new_lines)
    return "".join(kept), dropped


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text``; the file is mode 0600 from its first byte."""
    target = path.resolve() if path.is_symlink() else path
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    # mkstemp opens with O_CREAT | O_EXCL and mode 0600: no moment where others could read the file
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    os.chmod(target, 0o600)


def update_env_file(path: Path, values: Mapping[str, str]) -> list[str]:
    """Merge ``values`` into the ``.env`` at ``path`` (created if missing); returns the dropped keys."""
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    text, dropped = merge_env(existing, values)
    write_private(path, text)
    return dropped
