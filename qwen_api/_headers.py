"""The browser identity the service expects: the header set of its web client, as recorded in 2026-09.

Kept apart from request building because it changes for a different reason: the service starts
checking a new header (``bx-v``, ``sec-ch-ua``...), not a new field in a request body.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from ._config import ClientConfig

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36"
)


def random_uuid() -> str:
    """A random (version 4) UUID as text, like the browser's ``crypto.randomUUID()``.

    Formatted from 16 random bytes directly: ``str(uuid.uuid4())`` builds a ``UUID`` object first and
    costs about twice as much, three times per turn.
    """
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


_timezone_cache: tuple[int, str] = (0, "")


def _timezone_header() -> str:
    """``Date.toString()`` style, e.g. ``Sat Sep 26 2026 00:12:26 GMT+0700`` (as the browser sends).

    It has one-second resolution, so it is formatted at most once a second (measured: ~36 µs a call).
    """
    global _timezone_cache
    second = int(time.time())
    if _timezone_cache[0] != second:
        now = datetime.fromtimestamp(second, UTC).astimezone()
        _timezone_cache = (second, now.strftime("%a %b %d %Y %H:%M:%S GMT%z"))
    return _timezone_cache[1]


class HeaderFactory:
    """The browser-like header set, computed once per client, plus per-request ids.

    Credentials (``Authorization``, ``Cookie``) are not part of it: the I/O shell adds the
    current token at send time, so a request retried after a token refresh carries the new one.
    """

    def __init__(self, config: ClientConfig) -> None:
        base = config.base_url
        headers = {
            "Accept": "application/json, text/plain, */*",
            "Accept-Language": "en-US,en;q=0.9",
            "Accept-Encoding": "identity",  # the service never compresses; a compressed body is a risk
            "User-Agent": BROWSER_USER_AGENT,
            "Origin": base,
            "source": "web",
            "Version": config.frontend_version,
            "bx-v": "2.5.37",
            "sec-ch-ua": '"Chromium";v="146", "Not-A.Brand";v="24", "Google Chrome";v="146"',
            "sec-ch-ua-mobile": "?0",
            "sec-ch-ua-platform": '"Linux"',
            "Sec-Fetch-Dest": "empty",
            "Sec-Fetch-Mode": "cors",
            "Sec-Fetch-Site": "same-origin",
        }
        if config.bx_ua:
            headers["bx-ua"] = config.bx_ua
        if config.bx_umidtoken:
            headers["bx-umidtoken"] = config.bx_umidtoken
        for name, value in config.default_headers.items():
            if name.lower() == "accept-encoding":  # the user asked otherwise
                del headers["Accept-Encoding"]
            headers[name] = value
        self._base = headers
        self._origin = base

    def for_request(self, referer_path: str = "/", **extra: str) -> dict[str, str]:
        """The headers of one request: the client's, a fresh ``X-Request-Id``, the time zone, the
        ``Referer`` of ``referer_path``, then ``extra``."""
        headers = dict(self._base)
        headers["X-Request-Id"] = random_uuid()
        headers["Timezone"] = _timezone_header()
        headers["Referer"] = self._origin + referer_path
        headers.update(extra)
        return headers
