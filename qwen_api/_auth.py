"""Credentials that last: read the token's expiry, refresh it before it runs out, one at a time.

Since 2026-09 the service's access tokens live about 15 minutes and are renewed at
``auth.qwen.ai/api/v2/auths/refresh`` with the 30-day ``refresh_token`` cookie. The
:class:`TokenManager` holds the current pair; plans ask for a refresh with the
:class:`~qwen_api._engine.RefreshToken` effect, and the I/O shells run it under a lock, so many
threads or tasks hitting an expiry at once cause exactly one refresh (single flight).
"""

from __future__ import annotations

import _thread
import base64
import copy
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from qwen_api_client.api.account import refresh_token as refresh_token_api
from qwen_api_client.types import Unset

from ._config import ClientConfig, check_header_value, merge_cookie
from ._exceptions import QwenAuthenticationError
from ._logging import logger
from ._redaction import secrets

REFRESH_SKEW = 60.0
"""Refresh this many seconds before expiry (at most a quarter of the token's lifetime)."""


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT, without checking its signature; None when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    padded = parts[1] + "=" * (-len(parts[1]) % 4)  # pragma: no mutate (surplus "=" is ignored by the decoder)
    try:
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def format_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class TokenManager:
    """The client's current access token (and refresh token), with expiry bookkeeping."""

    access_token: str
    refresh_token: str | None
    expires_at: float | None
    skew: float
    auth_headers: dict[str, str]
    generation: int
    refresh_count: int
    lock: _thread.LockType

    def __init__(
        self,
        config: ClientConfig,
        on_refresh: Callable[[str, str | None], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._cookie = config.cookie
        self.refresh_token = config.refresh_token
        self.on_refresh = on_refresh
        self.clock = clock
        self.generation = 0
        self.refresh_count = 0
        self.lock = threading.Lock()
        self._flight: _Flight | None = None
        self._api_prefix = config.base_url + "/"
        self._set_access_token(config.api_key)

    def _set_access_token(self, token: str) -> None:
        self.access_token = token
        claims = jwt_claims(token) or {}
        self.expires_at = _number(claims.get("exp"))
        issued = _number(claims.get("iat"))
        lifetime = (self.expires_at - issued) if self.expires_at and issued else None
        self.skew = (
            min(REFRESH_SKEW, lifetime / 4)
            if lifetime and lifetime > 0  # pragma: no mutate (">= 0" equals "> 0" here: a zero lifetime is falsy)
            else REFRESH_SKEW
        )
        self.auth_headers = {"Authorization": f"Bearer {token}", "Cookie": merge_cookie(self._cookie, token)}
        if self.expires_at is not None:
            logger.debug("access token valid for %.0f more seconds", self.expires_at - self.clock())

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresh_token)

    def needs_refresh(self) -> bool:
        """Whether the token expires within ``skew`` seconds, so it is renewed before a request."""
        return self.expires_at is not None and self.clock() >= self.expires_at - self.skew

    def expired(self) -> bool:
        """Whether the token has expired (known only when it carries an expiry)."""
        return self.expires_at is not None and self.clock() >= self.expires_at

    def expired_error(self) -> QwenAuthenticationError:
        """The error for an expired token with no refresh token: says how to get a new one."""
        assert self.expires_at is not None
        return QwenAuthenticationError(
            f"the Qwen token expired at {format_time(self.expires_at)}. Sign in at https://chat.qwen.ai again and "
            "copy a new token (QWEN_AUTH_TOKEN), or give the client a refresh token (refresh_token= or "
            "QWEN_REFRESH_TOKEN, or a cookie with refresh_token=) so it renews the token itself",
            status_code=401,
            code="Token_Expired",
        )

    def headers_for(self, url: str) -> dict[str, str]:
        """The credentials for a request to ``url``: only the API host ever gets them."""
        return self.auth_headers if url.startswith(self._api_prefix) else {}

    def begin_refresh(self, generation: int) -> _Flight | None:
        """Join the refresh in flight, or lead a new one; None when the token changed since ``generation``.

        One flight per client, whatever asks for it: threads and event loops wait on the same
        ``concurrent.futures.Future``, so a single-use refresh token is sent once.
        """
        with self.lock:
            if self.generation != generation:
                return None
            flight = self._flight
            if flight is not None:
                return _Flight(flight.future, leader=False, owner=self)
            flight = self._flight = _Flight(Future(), leader=True, owner=self)
            return flight

    def _land(self, flight: _Flight) -> None:
        with self.lock:
            if self._flight is not None and self._flight.future is flight.future:
                self._flight = None

    # -- the refresh request (sans I/O: build it, then apply the answer) ------------------------

    def refresh_request(self) -> tuple[str, str, dict[str, str]]:
        """The refresh call as ``(method, url, headers)`` for the shell to send."""
        request = refresh_token_api.build_request()
        url = self._config.auth_base_url + request.target
        headers = {
            "Accept": "application/json, text/plain, */*",
            "Accept-Encoding": "identity",  # as every other request: the answer is never compressed
            "source": "web",
            "Version": self._config.frontend_version,
            "Cookie": f"refresh_token={self.refresh_token}",
            "Origin": self._config.base_url,
            "Referer": self._config.base_url + "/",
        }
        return request.method, url, headers

    def apply_refresh(self, body: Any) -> None:
        """Take the refresh answer's new token pair (and tell ``on_token_refresh``).

        Raises:
            QwenAuthenticationError: the answer holds no usable access token.
        """
        try:
            envelope = refresh_token_api.parse_response(body)
        except (KeyError, TypeError, ValueError, AttributeError):
            # a 200 whose body is not the token pair (a list, a string, no ``success``...): the refresh failed
            envelope = None
        pair = None if envelope is None or isinstance(envelope.data, Unset) else envelope.data
        if (
            pair is None
            or not isinstance(pair.access_token, str)
            or not pair.access_token
            or not isinstance(pair.refresh_token, str | Unset | None)
        ):
            raise QwenAuthenticationError("the token refresh answered no access token", body=body, status_code=401)
        new_refresh = pair.refresh_token if not isinstance(pair.refresh_token, Unset) else self.refresh_token
        try:
            check_header_value("the refreshed access token", pair.access_token)
            if new_refresh:
                check_header_value("the refreshed refresh token", new_refresh)
        except ValueError as exc:
            raise QwenAuthenticationError(f"the token refresh answered an unusable token: {exc}") from None
        secrets.add(pair.access_token, new_refresh)
        self.refresh_token = new_refresh
        self._set_access_token(pair.access_token)
        self.generation += 1
        self.refresh_count += 1
        logger.debug("access token refreshed (refresh #%d)", self.refresh_count)
        if self.on_refresh is not None:
            try:
                self.on_refresh(pair.access_token, new_refresh)
            except Exception:
                logger.warning("on_token_refresh callback failed", exc_info=True)


class _Flight:
    """One caller's view of the refresh in flight: the leader sends it, the others wait for it."""

    __slots__ = ("future", "leader", "owner")
    future: Future[None]
    leader: bool
    owner: TokenManager

    def __init__(self, future: Future[None], *, leader: bool, owner: TokenManager) -> None:
        self.future, self.leader, self.owner = future, leader, owner

    def done(self) -> None:
        """The leader's refresh succeeded: wake the callers waiting for it."""
        self.owner._land(self)
        self.future.set_result(None)

    def fail(self, error: BaseException) -> None:
        """The leader's refresh failed: the waiting callers raise the same error."""
        self.owner._land(self)
        if not isinstance(error, Exception):  # the leader was cancelled or interrupted: the others retry
            error = QwenAuthenticationError("the token refresh was interrupted; try again")
        self.future.set_exception(error)

    def wait(self) -> None:
        """Block until the leader's refresh ends; raise its error if it failed."""
        _reraise(self.future.exception())

    async def wait_async(self) -> None:
        """Await the leader's refresh without blocking the loop; raise its error if it failed."""
        import asyncio  # on first async use, so that sync programs do not import it

        try:
            await asyncio.wrap_future(self.future)
        except Exception as error:
            _reraise(error)


def _reraise(error: BaseException | None) -> None:
    """Each waiter raises its own copy of the leader's error (one object, many tracebacks, is a mess)."""
    if error is not None:
        raise copy.copy(error) from None
