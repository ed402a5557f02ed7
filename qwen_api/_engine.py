"""The sans-I/O core shared by the sync and async clients.

Request plans are generators: they *yield* the I/O they need (:class:`Send`, :class:`OpenStream`,
:class:`ReadChunk`, :class:`Close`, :class:`Sleep`) and receive its result, and they hold every
decision -- retries and backoff, error mapping, parsing. :func:`run_sync` and :func:`run_async`
are the only places that touch httpx or sleep, so both clients behave identically by
construction (the h11 idea, applied to a whole SDK call).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._errors import NOT_JSON, classify_answer, classify_error_body, internal_error
from ._exceptions import (
    QwenAPIError,
    QwenAPIStatus5xxError,
    QwenAPIStatusError,
    QwenAuthenticationError,
    QwenConnectionError,
    QwenInvalidRequestError,
    QwenPermissionError,
    QwenTimeoutError,
    QwenUploadError,
    RateLimitError,
)
from ._logging import logger

if TYPE_CHECKING:
    from ._auth import TokenManager

T = TypeVar("T")

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A ``Retry-After`` longer than this is not slept on: the error is raised with ``retry_after``."""


# --------------------------------------------------------------------------------------------
# Effects: the I/O a plan asks its driver to perform
# --------------------------------------------------------------------------------------------


@attrs.frozen
class RequestSpec:
    """One HTTP request a plan asks the shell to send: what, where, and the operation name that
    retries, errors and per-call ``extra_body`` refer to."""

    method: str
    url: str
    headers: Mapping[str, str]
    json: Any = None
    operation: str = ""


@attrs.frozen
class RawResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str


@attrs.frozen
class Send:
    """Send a request and read the whole body. Returns :class:`RawResponse`."""

    spec: RequestSpec


@attrs.frozen
class OpenStream:
    """Send a request and return an open :class:`StreamHandle` once the headers arrived."""

    spec: RequestSpec


@attrs.frozen
class Deadline:
    """``total_timeout`` as a point in time (``time.monotonic``): one call may not run past it."""

    at: float
    seconds: float

    @classmethod
    def after(cls, seconds: float | None) -> Deadline | None:
        """The deadline ``seconds`` from now, or None when there is no ``total_timeout``."""
        return None if seconds is None else cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        """Seconds left (negative once it has passed)."""
        return self.at - time.monotonic()

    def error(self, method: str | None = None, url: str | None = None) -> QwenTimeoutError:
        """The ``QwenTimeoutError`` a call raises when it runs past the deadline."""
        return QwenTimeoutError(
            f"the call took longer than total_timeout={self.seconds:g}s", code="total_timeout", method=method, url=url
        )

    def check(self, method: str | None = None, url: str | None = None) -> float:
        """The seconds left; raises once none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.error(method, url)
        return left


@attrs.define
class StreamHandle:
    """An open streamed response as the shell hands it to the engine: status, headers, the byte
    iterator, and the limits (deadline, decompressed size) its reads must respect."""

    status: int
    headers: Mapping[str, str]
    url: str
    response: Any  # the shell's open httpx response
    chunks: Any  # the shell's byte iterator
    deadline: Deadline | None = None
    max_decompressed_bytes: int | None = None


@attrs.frozen
class ReadChunk:
    """Read the next piece of an open stream; returns ``b""`` at the end of the body."""

    handle: StreamHandle


@attrs.frozen
class ReadRest:
    """Read the rest of an open stream's body (for error bodies); returns bytes."""

    handle: StreamHandle


@attrs.frozen
class Close:
    handle: StreamHandle


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class StoragePut:
    """PUT a file body to object storage through the storage client (never the chat client).

    ``body`` is an :class:`~qwen_api._files.UploadSource`; returns :class:`RawResponse`.
    """

    url: str
    headers: Mapping[str, str]
    body: Any
    progress: Any = None


@attrs.frozen
class RefreshToken:
    """Renew the access token, unless someone already did since ``generation`` (single flight)."""

    auth: TokenManager
    generation: int


Effect = Send | OpenStream | ReadChunk | ReadRest | Close | Sleep | StoragePut | RefreshToken


@attrs.frozen
class Policy:
    """How calls of one client retry, and which credentials they renew."""

    max_retries: int
    auth: TokenManager | None = None


Plan = Generator[Effect, Any, T]


# --------------------------------------------------------------------------------------------
# Retry policy
# --------------------------------------------------------------------------------------------

_RETRYABLE_CODES = {"internal_error", "too_many_requests", "parallellimited"}
_PERMANENT_5XX = frozenset({501, 505, 506, 507, 508, 510, 511})
_STORAGE_RETRY_CODES = {"SecurityTokenExpired", "InvalidAccessKeyId", "RequestTimeTooSkewed", "InternalError"}


def is_retryable(error: QwenAPIError) -> bool:
    if error.headers:
        should = {k.lower(): v for k, v in error.headers.items()}.get("x-should-retry")
        if should == "true":
            return True
        if should == "false":
            return False
    if isinstance(error, QwenConnectionError | QwenTimeoutError):
        return True
    if isinstance(error, RateLimitError):
        return error.retry_after is None or error.retry_after <= MAX_RETRY_AFTER
    code = (error.code or "").lower()  # pragma: no mutate (any other default is no retryable code either)
    if isinstance(error, QwenUploadError):
        status = error.status_code or 0  # pragma: no mutate (no status: 0 or 1, both below 500)
        return status >= 500 or error.code in _STORAGE_RETRY_CODES
    if code in _RETRYABLE_CODES:
        return True
    if (
        isinstance(error, QwenInvalidRequestError)
        and code == "bad_request"
        and "internal error" in error.message.lower()
    ):
        return True
    if isinstance(error, QwenAPIStatus5xxError):
        # Not 501 (not implemented), 505 (version not supported) and the like: asking again cannot help.
        return error.status_code not in _PERMANENT_5XX
    return isinstance(error, QwenAPIStatusError) and error.status_code in (408, 409)


def retry_delay(error: QwenAPIError, retries_taken: int) -> float:
    if error.retry_after is not None and 0 <= error.retry_after <= MAX_RETRY_AFTER:
        return error.retry_after
    backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return backoff * (1 - 0.25 * random.random())


def ensure_fresh(auth: TokenManager) -> Plan[None]:
    """Before sending: renew a token about to expire, or fail clearly when it cannot be renewed."""
    if auth.needs_refresh():
        if auth.can_refresh:
            yield RefreshToken(auth, auth.generation)
        elif auth.expired():
            raise auth.expired_error()


def with_retries(attempt: Callable[[int], Plan[T]], policy: Policy, what: str) -> Plan[T]:
    """Run ``attempt`` until it succeeds, retrying what :func:`is_retryable` allows.

    An authentication failure is retried once, after a token refresh, when a refresh token is
    available; that retry does not count against ``max_retries``.
    """
    retries = 0
    refreshed_after_failure = False  # pragma: no mutate (None is as false)
    auth = policy.auth
    while True:
        generation = 0  # pragma: no mutate (read only when there is a token manager, which sets it)
        if auth is not None:
            yield from ensure_fresh(auth)
            generation = auth.generation
        try:
            return (yield from attempt(retries))
        except QwenAuthenticationError as error:
            if isinstance(error, QwenPermissionError) or auth is None:
                raise
            if auth.can_refresh and auth.generation != generation:
                # Another call renewed the token while this one was in flight with the old one: retry
                # with the new token (no refresh of ours, and our one refresh is still unused).
                logger.debug("%s was refused with a token renewed meanwhile; retrying with the new one", what)
                continue
            if auth.can_refresh and not refreshed_after_failure:
                refreshed_after_failure = True
                logger.debug("%s was refused as unauthenticated; refreshing the token and retrying once", what)
                yield RefreshToken(auth, generation)
                continue
            if auth.expired():
                raise auth.expired_error() from error
            raise
        except QwenAPIError as error:
            if retries >= policy.max_retries or not is_retryable(error):
                raise
            delay = retry_delay(error, retries)
            logger.debug(
                "%s failed (%s: %s); retry %d of %d in %.2fs",
                what,
                type(error).__name__,
                error.message,
                retries + 1,
                policy.max_retries,
                delay,
            )
            retries += 1
            yield Sleep(delay)


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------


def json_attempt(spec: RequestSpec, parse: Callable[[Any], T]) -> Plan[T]:
    """One JSON request: send, map any error form, parse with a generated model."""
    response: RawResponse = yield Send(spec)
    error, body = classify_answer(
        status=response.status, headers=response.headers, content=response.content, method=spec.method, url=response.url
    )
    if error is not None:
        raise error
    try:
        if body is NOT_JSON:  # (not JSON-looking: parsed here only to say so, or for a bare scalar)
            body = json.loads(response.content)
    except ValueError:
        raise internal_error(
            f"{spec.operation or spec.url} answered something that is not JSON",
            body=response.content[:500].decode("utf-8", "replace"),  # pragma: no mutate (codec names ignore case)
            method=spec.method,
            url=response.url,
        ) from None
    try:
        return parse(body)
    except QwenAPIError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise internal_error(
            f"{spec.operation or spec.url} answered an unexpected shape ({type(exc).__name__}: {exc})",
            body=body,
            method=spec.method,
            url=response.url,
        ) from None


def json_call(spec: RequestSpec, parse: Callable[[Any], T], policy: Policy) -> Plan[T]:
    return (yield from with_retries(lambda _: json_attempt(spec, parse), policy, spec.operation or spec.url))


def open_event_stream(spec: RequestSpec) -> Plan[StreamHandle]:
    """Open a completion stream; an error answered instead of events is raised here."""
    handle: StreamHandle = yield OpenStream(spec)
    content_type = ""
    for name, value in handle.headers.items():
        if name.lower() == "content-type":
            content_type = value.lower()
    if handle.status < 400 and "text/event-stream" in content_type:
        return handle
    try:
        content: bytes = yield ReadRest(handle)
    except QwenAPIError:
        yield Close(handle)
        raise
    yield Close(handle)
    error = classify_error_body(
        status=handle.status, headers=handle.headers, content=content, method=spec.method, url=handle.url
    )
    if error is None:
        error = internal_error(
            f"expected an event stream, got {content_type or 'no content type'} (HTTP {handle.status})",
            body=content[:500].decode("utf-8", "replace"),  # pragma: no mutate (codec names ignore case)
            method=spec.method,
            url=handle.url,
        )
    raise error
