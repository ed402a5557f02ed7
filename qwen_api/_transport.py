"""The I/O shells: execute a plan's effects with httpx, synchronously or with asyncio.

This is the only module that calls httpx. It turns transport exceptions into the SDK's
``QwenConnectionError`` / ``QwenTimeoutError`` (with the request's method and URL, never its
headers) and throws them back into the plan, which decides whether to retry.
"""

from __future__ import annotations

import contextvars
import functools
import json
import math
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from typing import Any, TypeVar

import httpx

from ._auth import TokenManager
from ._engine import (
    Close,
    Deadline,
    Effect,
    OpenStream,
    Plan,
    RawResponse,
    ReadChunk,
    ReadRest,
    RefreshToken,
    RequestSpec,
    Send,
    Sleep,
    StoragePut,
    StreamHandle,
)
from ._errors import classify_error_body
from ._exceptions import (
    QwenAPIError,
    QwenAuthenticationError,
    QwenConnectionError,
    QwenInvalidRequestError,
    QwenTimeoutError,
)
from ._lifecycle import NEVER_CLOSED, Lifecycle
from ._limits import DEFAULT_LIMITS, ResponseLimits, too_large
from ._logging import logger

T = TypeVar("T")


_BACKGROUND: set[Any] = set()


def run_in_background(awaitable: Any) -> None:
    """Start ``awaitable`` on the running loop without waiting for it; the loop only holds tasks
    weakly, so they are kept here until they finish (closing an abandoned stream or pool)."""
    import asyncio  # already imported: called on a running loop

    task = asyncio.ensure_future(awaitable)
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


class _Sending:
    """One ``client.send`` run in a thread of its own, so the caller can stop waiting at the deadline.

    httpx reads a response's headers in one blocking call whose reads each wait at most the read
    timeout; a server that trickles its headers a byte at a time keeps that call going for ever.
    The caller gives up at ``total_timeout``; the abandoned send then closes whatever it gets."""

    def __init__(self, client: httpx.Client, request: httpx.Request) -> None:
        self._client = client
        self._request = request
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._abandoned = False
        self._response: httpx.Response | None = None
        self._error: BaseException | None = None

    def _run(self) -> None:
        response: httpx.Response | None = None
        error: BaseException | None = None
        try:
            response = self._client.send(self._request, stream=True)
        except BaseException as exc:  # handed to the caller (re-raised there), never lost
            error = exc
        with self._lock:
            if not self._abandoned:
                self._response, self._error = response, error
                self._done.set()
                return
        if response is not None:
            response.close()  # nobody waits for it any more

    def result(self, deadline: Deadline, method: str, url: str) -> httpx.Response:
        context = contextvars.copy_context()  # the caller's (log context...), as if it sent itself
        threading.Thread(target=context.run, args=(self._run,), name="qwen-send", daemon=True).start()
        try:
            self._done.wait(max(deadline.remaining(), 0.0))
        finally:
            with self._lock:
                if not self._done.is_set():
                    self._abandoned = True
        if self._abandoned:
            raise deadline.error(method, url)
        if self._error is not None:
            raise self._error
        assert self._response is not None
        return self._response


def _send_sync(client: httpx.Client, request: httpx.Request, deadline: Deadline | None) -> httpx.Response:
    """``client.send(request, stream=True)``, given up at the deadline even while headers trickle in
    (the async shell gets the same from ``asyncio.timeout``). Without a deadline: the plain call."""
    if deadline is None:
        return client.send(request, stream=True)
    return _Sending(client, request).result(deadline, request.method, str(request.url))


def make_timeout(seconds: float) -> httpx.Timeout:
    """``timeout`` bounds connecting and *each* read, so a stalled stream raises instead of hanging."""
    return httpx.Timeout(seconds)


def call_timeout(value: object) -> httpx.Timeout | None:
    """``timeout=`` as an ``httpx.Timeout`` bounding connect and each read (None: the client's)."""
    if value is None or isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"timeout must be a number of seconds or an httpx.Timeout, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(float(value))


def default_limits() -> httpx.Limits:
    return httpx.Limits(max_connections=200, max_keepalive_connections=50)


def map_transport_error(exc: Exception, spec_or_url: RequestSpec | str, method: str | None = None) -> QwenAPIError:
    if isinstance(spec_or_url, RequestSpec):
        method, url = spec_or_url.method, spec_or_url.url
    else:
        url = spec_or_url
    kind = type(exc).__name__
    if isinstance(exc, httpx.LocalProtocolError):
        # The HTTP layer refused to write our own request (a header it cannot carry, say): sending it
        # again cannot help, and the exception's text quotes the offending header value, which may
        # be a credential, so it is not repeated.
        return QwenInvalidRequestError(
            f"the request cannot be sent: the HTTP layer refused to encode it ({kind}); a header name or "
            "value holds a character HTTP cannot carry, or the body does not match its length",
            method=method,
            url=url,
        )
    if isinstance(exc, httpx.TimeoutException):
        return QwenTimeoutError(f"timed out ({kind})", method=method, url=url)
    return QwenConnectionError(f"connection failed ({kind}: {exc})", method=method, url=url)


Timeout = httpx.Timeout | None
"""The client's ``timeout``, set on every request: an injected ``http_client`` may have none at all."""


def _timeout(
    timeout: Timeout, deadline: Deadline | None = None, method: str | None = None, url: str | None = None
) -> Any:
    """The request's timeout: ``timeout``, shortened to what is left of ``total_timeout``."""
    if deadline is None:
        return httpx.USE_CLIENT_DEFAULT if timeout is None else timeout
    left = deadline.check(method, url)
    if timeout is not None and timeout.read is not None and timeout.read <= left:
        return timeout
    return httpx.Timeout(left)


@functools.lru_cache(maxsize=64)
def _parsed_url(url: str) -> httpx.URL:
    """A query-less URL (``chats/new``, the model list...) is parsed once: ``httpx.URL`` is immutable."""
    return httpx.URL(url)


def _direct_request(
    client: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    headers: dict[str, str],
    ours: set[str],
    body: Any,
    timeout: Any,
) -> httpx.Request:
    """The request ``client.build_request`` makes for an absolute URL on a client without query
    parameters of its own, through the public ``httpx.Request``: the same headers in the same order
    (the client's own that ours do not replace, then ours), the same JSON encoding and timeout.
    ``ours`` holds the lower-case names of ``headers``. Cookies the client collected from answers
    would be added only to a request without a ``Cookie`` header (``http.cookiejar`` never replaces
    one), and every request to the service carries its own, so the caller leaves to
    ``build_request`` only a request without one on a client holding cookies.

    ``build_request`` copies the client's headers and then re-scans them for each of the ~23 a Qwen
    request carries, and parses the URL again: about 55 of its 85 µs per request, measured, which is
    most of what the SDK costs over a hand-written client in a short call.
    """
    merged: list[Any] = [  # the client's as bytes (as it holds them), ours as text (httpx checks them)
        (name, value) for name, value in client.headers.raw if name.decode("latin-1").lower() not in ours
    ]
    merged.extend(headers.items())
    chosen = client.timeout if timeout is httpx.USE_CLIENT_DEFAULT else httpx.Timeout(timeout)
    target = _parsed_url(url) if "?" not in url else httpx.URL(url)
    return httpx.Request(method, target, json=body, headers=merged, extensions={"timeout": chosen.as_dict()})


def _request(
    client: httpx.Client | httpx.AsyncClient,
    spec: RequestSpec,
    auth: TokenManager | None,
    timeout: Timeout,
    deadline: Deadline | None = None,
) -> httpx.Request:
    headers = dict(spec.headers)
    if auth is not None:
        headers.update(auth.headers_for(spec.url))
    request_timeout = _timeout(timeout, deadline, spec.method, spec.url)
    try:
        ours = {name.lower() for name in headers}
        if client.params or "://" not in spec.url or ("cookie" not in ours and client.cookies):
            return client.build_request(spec.method, spec.url, headers=headers, json=spec.json, timeout=request_timeout)
        return _direct_request(client, spec.method, spec.url, headers, ours, spec.json, request_timeout)
    except (UnicodeEncodeError, ValueError, httpx.InvalidURL) as exc:  # nothing was sent
        raise QwenInvalidRequestError(
            f"{spec.operation or 'the request'} cannot be sent: {type(exc).__name__} while encoding it",
            method=spec.method,
            url=spec.url[:200],
        ) from None


def _encoding(response: httpx.Response) -> str:
    """The body's content encoding, lower case; ``identity`` when there is none."""
    encoding: str = response.headers.get("content-encoding", "identity")
    return encoding.strip().lower() or "identity"


def _declared_length(
    response: httpx.Response, encoding: str, limits: ResponseLimits, method: str, url: str
) -> int | None:
    """The declared ``Content-Length`` of an unencoded body (None if none), refused beyond ``max_body_bytes``."""
    declared = response.headers.get("content-length", "")
    if not declared.isdigit() or encoding != "identity":
        return None
    length = int(declared)
    if length > limits.max_body_bytes:
        raise too_large("max_body_bytes", limits.max_body_bytes, "a response body", method=method, url=url)
    return length


class _Counter:
    """Counts the bytes of one body against a limit (decompressed, or whole)."""

    __slots__ = ("cap", "limit", "method", "size", "url", "what")

    def __init__(self, limit: str, cap: int, what: str, method: str, url: str) -> None:
        self.limit, self.cap, self.what, self.method, self.url = limit, cap, what, method, url
        self.size = 0

    def add(self, chunk: bytes) -> bytes:
        self.size += len(chunk)
        if self.size > self.cap:
            raise too_large(self.limit, self.cap, self.what, method=self.method, url=self.url)
        return chunk


_INFLATE_STEP = 256 * 1024
"""A compressed read is inflated this much at a time: a bomb never expands past a limit by more."""


class _Inflater:
    """gzip / deflate decoded in bounded steps, counted against ``max_decompressed_bytes``.

    httpx inflates each read whole (a 64 KiB read of a gzip bomb is 64 MiB at once); this decodes
    the raw bytes (``iter_raw``) with ``zlib``'s ``max_length`` instead, so memory stays bounded.
    """

    def __init__(self, counter: _Counter) -> None:
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        self._counter = counter

    def feed(self, data: bytes) -> Iterator[bytes]:
        inflate, add = self._inflate, self._counter.add
        while data:
            try:
                out = inflate.decompress(data, _INFLATE_STEP)
            except zlib.error as exc:
                raise QwenConnectionError(
                    f"the compressed body is corrupt ({exc})", method=self._counter.method, url=self._counter.url
                ) from None
            if out:
                yield add(out)
            data = inflate.unconsumed_tail


def _inflater(encoding: str, cap: int, what: str, method: str, url: str) -> _Inflater | None:
    """Our own bounded decoder for gzip/deflate; None for identity or another encoding (httpx decodes)."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(_Counter("max_decompressed_bytes", cap, what, method, url))
    return None


def _decoded_sync(
    response: httpx.Response, encoding: str, cap: int, what: str, method: str, url: str
) -> Iterator[bytes]:
    inflater = _inflater(encoding, cap, what, method, url)
    if inflater is not None and not response.is_stream_consumed:  # (a mock transport's body is read)
        for raw in response.iter_raw():
            yield from inflater.feed(raw)
        return
    if encoding == "identity":
        yield from response.iter_bytes()
        return
    counter = _Counter("max_decompressed_bytes", cap, what, method, url)
    for chunk in response.iter_bytes():
        yield counter.add(chunk)


async def _decoded_async(
    response: httpx.Response, encoding: str, cap: int, what: str, method: str, url: str
) -> AsyncIterator[bytes]:
    inflater = _inflater(encoding, cap, what, method, url)
    if inflater is not None and not response.is_stream_consumed:
        async for raw in response.aiter_raw():
            for chunk in inflater.feed(raw):
                yield chunk
        return
    if encoding == "identity":
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    counter = _Counter("max_decompressed_bytes", cap, what, method, url)
    async for chunk in response.aiter_bytes():
        yield counter.add(chunk)


def _read_body_sync(
    response: httpx.Response, limits: ResponseLimits, method: str, url: str, deadline: Deadline | None = None
) -> bytes:
    """The whole body within the limits and the deadline (checked after every read, so a server that
    trickles bytes cannot hold the call); the response is closed. Transport errors become ``QwenAPIError``."""
    try:
        encoding = _encoding(response)
        if _declared_length(response, encoding, limits, method, url) is not None and deadline is None:
            return response.read()  # h11 frames the body by its length, within the limit just checked
        counter = _Counter("max_body_bytes", limits.max_body_bytes, "a response body", method, url)
        cap = limits.max_decompressed_bytes
        parts = []
        for chunk in _decoded_sync(response, encoding, cap, "a decompressed body", method, url):
            parts.append(counter.add(chunk))
            if deadline is not None:
                deadline.check(method, url)
        return b"".join(parts)
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, url, method) from None
    finally:
        response.close()


async def _read_body_async(response: httpx.Response, limits: ResponseLimits, method: str, url: str) -> bytes:
    try:
        encoding = _encoding(response)
        if _declared_length(response, encoding, limits, method, url) is not None:
            return await response.aread()  # h11 frames the body by its length, within the limit just checked
        counter = _Counter("max_body_bytes", limits.max_body_bytes, "a response body", method, url)
        cap = limits.max_decompressed_bytes
        what = "a decompressed body"
        parts = [counter.add(chunk) async for chunk in _decoded_async(response, encoding, cap, what, method, url)]
        return b"".join(parts)
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, url, method) from None
    finally:
        await response.aclose()


def _refresh_failed(response: httpx.Response, content: bytes) -> QwenAPIError | None:
    error = classify_error_body(
        status=response.status_code,
        headers=response.headers,
        content=content,
        method="GET",
        url=str(response.url),
    )
    if error is None:
        return None
    return QwenAuthenticationError(
        f"the token refresh was refused ({error.message}); sign in again to get a new refresh token",
        status_code=error.status_code,
        code=error.code,
        body=error.body,
        method="GET",
        url=str(response.url),
        request_id=error.request_id,
    )


def _apply_refresh(auth: TokenManager, response: httpx.Response, content: bytes) -> None:
    error = _refresh_failed(response, content)
    if error is not None:
        raise error
    try:
        body = json.loads(content)
    except ValueError:
        raise QwenAuthenticationError("the token refresh answered something that is not JSON") from None
    auth.apply_refresh(body)


def _refresh_sync(
    client: httpx.Client, effect: RefreshToken, timeout: Timeout, deadline: Deadline | None, limits: ResponseLimits
) -> None:
    auth = effect.auth
    flight = auth.begin_refresh(effect.generation)
    if flight is None:
        return  # another call refreshed since this one looked
    if not flight.leader:
        flight.wait()  # one refresh in flight per client: wait for it, from any thread or loop
        return
    try:
        method, url, headers = auth.refresh_request()
        request = client.build_request(method, url, headers=headers, timeout=_timeout(timeout, deadline, method, url))
        try:
            response = _send_sync(client, request, deadline)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, url, method) from None
        _apply_refresh(auth, response, _read_body_sync(response, limits, method, url, deadline))
    except BaseException as exc:
        flight.fail(exc)
        raise
    flight.done()


async def _refresh_async(
    client: httpx.AsyncClient, effect: RefreshToken, timeout: Timeout, deadline: Deadline | None, limits: ResponseLimits
) -> None:
    auth = effect.auth
    flight = auth.begin_refresh(effect.generation)
    if flight is None:
        return
    if not flight.leader:
        await flight.wait_async()
        return
    try:
        method, url, headers = auth.refresh_request()
        request = client.build_request(method, url, headers=headers, timeout=_timeout(timeout, deadline, method, url))
        try:
            response = await client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, url, method) from None
        _apply_refresh(auth, response, await _read_body_async(response, limits, method, url))
    except BaseException as exc:
        flight.fail(exc)
        raise
    flight.done()


def _log_request(spec: RequestSpec) -> float:
    logger.debug("-> %s %s (%s)", spec.method, spec.url, spec.operation)
    return time.perf_counter()


def _log_response(spec: RequestSpec, status: int, started: float) -> None:
    logger.debug("<- %s %s %d in %.1f ms", spec.method, spec.url, status, (time.perf_counter() - started) * 1000)


# --------------------------------------------------------------------------------------------
# sync
# --------------------------------------------------------------------------------------------


def _storage_headers(effect: StoragePut) -> dict[str, str]:
    headers = dict(effect.headers)
    headers.setdefault("Accept-Encoding", "identity")
    return headers


def _storage_put_sync(
    client: httpx.Client, effect: StoragePut, timeout: Timeout, deadline: Deadline | None, limits: ResponseLimits
) -> RawResponse:
    started = time.perf_counter()
    request = client.build_request(
        "PUT",
        effect.url,
        headers=_storage_headers(effect),
        content=effect.body.iter_chunks(progress=effect.progress),
        timeout=_timeout(timeout, deadline, "PUT", effect.url),
    )
    try:
        # in this thread, even with a deadline: the body is read and ``progress`` called as it is sent,
        # and a callback must not start running in another thread because total_timeout was set
        response = client.send(request, stream=True)
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, effect.url, "PUT") from None
    content = _read_body_sync(response, limits, "PUT", effect.url, deadline)
    logger.debug("<- PUT storage %d in %.1f ms", response.status_code, (time.perf_counter() - started) * 1000)
    return RawResponse(response.status_code, response.headers, content, effect.url)


async def _storage_put_async(
    client: httpx.AsyncClient, effect: StoragePut, timeout: Timeout, deadline: Deadline | None, limits: ResponseLimits
) -> RawResponse:
    started = time.perf_counter()
    request = client.build_request(
        "PUT",
        effect.url,
        headers=_storage_headers(effect),
        content=effect.body.aiter_chunks(progress=effect.progress),
        timeout=_timeout(timeout, deadline, "PUT", effect.url),
    )
    try:
        response = await client.send(request, stream=True)
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, effect.url, "PUT") from None
    content = await _read_body_async(response, limits, "PUT", effect.url)
    logger.debug("<- PUT storage %d in %.1f ms", response.status_code, (time.perf_counter() - started) * 1000)
    return RawResponse(response.status_code, response.headers, content, effect.url)


def execute_sync(
    client: httpx.Client,
    effect: Effect,
    storage: Callable[[], httpx.Client] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
    deadline: Deadline | None = None,
    limits: ResponseLimits = DEFAULT_LIMITS,
) -> Any:
    if isinstance(effect, ReadChunk):
        return read_chunk_sync(effect.handle)
    if isinstance(effect, RefreshToken):
        return _refresh_sync(client, effect, timeout, deadline, limits)
    if isinstance(effect, StoragePut):
        if storage is None:
            raise TypeError("this driver has no storage client")
        return _storage_put_sync(storage(), effect, timeout, deadline, limits)
    if isinstance(effect, Send):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = _send_sync(client, _request(client, spec, auth, timeout, deadline), deadline)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        content = _read_body_sync(response, limits, spec.method, spec.url, deadline)
        return RawResponse(response.status_code, response.headers, content, str(response.url))
    if isinstance(effect, OpenStream):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = _send_sync(client, _request(client, spec, auth, timeout, deadline), deadline)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return _handle(response, deadline, limits)
    if isinstance(effect, ReadRest):
        return _read_body_sync(effect.handle.response, limits, "POST", effect.handle.url, deadline)
    if isinstance(effect, Close):
        effect.handle.response.close()
        return None
    if isinstance(effect, Sleep):
        seconds = effect.seconds
        if deadline is not None and seconds >= deadline.remaining():
            raise deadline.error()  # no point waiting for a retry that cannot finish in time
        time.sleep(seconds)
        return None
    raise TypeError(f"unknown effect {effect!r}")


def _handle(response: httpx.Response, deadline: Deadline | None, limits: ResponseLimits) -> StreamHandle:
    cap = None if _encoding(response) == "identity" else limits.max_decompressed_bytes
    return StreamHandle(response.status_code, response.headers, str(response.url), response, None, deadline, cap)


def _body_sync(handle: StreamHandle) -> Iterator[bytes]:
    """The body as it arrives. Without a content encoding (Qwen sends none) it is read raw
    (``iter_bytes`` would add decode and re-chunk layers, about 1 us per read, and an event stream
    arrives as one read per event). With an encoding, it is decoded within the limit."""
    response: httpx.Response = handle.response
    if handle.max_decompressed_bytes is None:
        return response.iter_raw()
    cap = handle.max_decompressed_bytes or 0
    return _decoded_sync(response, _encoding(response), cap, "a decompressed stream", "POST", handle.url)


def _body_async(handle: StreamHandle) -> AsyncIterator[bytes]:
    response: httpx.Response = handle.response
    if handle.max_decompressed_bytes is None:
        return response.aiter_raw()
    cap = handle.max_decompressed_bytes or 0
    return _decoded_async(response, _encoding(response), cap, "a decompressed stream", "POST", handle.url)


def iter_body_sync(handle: StreamHandle) -> Generator[bytes, None, None]:
    """The rest of an open stream's body, read by read; transport errors become ``QwenAPIError``, and
    ``total_timeout`` is checked after every read (a server that trickles bytes cannot hold the call)."""
    if handle.chunks is None:
        handle.chunks = _body_sync(handle)
    deadline = handle.deadline
    try:
        if deadline is None:
            yield from handle.chunks
        else:
            for chunk in handle.chunks:
                deadline.check("POST", handle.url)
                yield chunk
    except httpx.HTTPError as exc:
        raise _stream_read_error(exc, handle) from None


def _stream_read_error(exc: httpx.HTTPError, handle: StreamHandle) -> QwenAPIError:
    """A failed read of an open stream as ``QwenAPIError``. Its reads wait at most what was left of
    ``total_timeout`` when the request was sent, so a read timeout past the deadline is the deadline's
    (``code="total_timeout"``, as the async shell reports it), not a slow server's."""
    deadline = handle.deadline
    if deadline is not None and isinstance(exc, httpx.TimeoutException) and deadline.remaining() <= 0:
        return deadline.error("POST", handle.url)
    return map_transport_error(exc, handle.url, "POST")


def read_chunk_sync(handle: StreamHandle) -> bytes:
    if handle.chunks is None:
        handle.chunks = _body_sync(handle)
    try:
        chunk: bytes = next(handle.chunks)
    except StopIteration:
        return b""
    except httpx.HTTPError as exc:
        raise _stream_read_error(exc, handle) from None
    if handle.deadline is not None:
        handle.deadline.check("POST", handle.url)
    return chunk


def run_sync(
    plan: Plan[T],
    client: httpx.Client,
    storage: Callable[[], httpx.Client] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
    *,
    total_timeout: float | None = None,
    limits: ResponseLimits = DEFAULT_LIMITS,
    lifecycle: Lifecycle = NEVER_CLOSED,
) -> T:
    """Drive ``plan``; if it fails (or is interrupted), every stream it opened is closed.

    ``total_timeout`` bounds the whole plan: past it, the call fails with ``QwenTimeoutError`` whatever
    the plan would do next (a retry included), and a stream it returns carries the same deadline.
    """
    value: Any = None
    error: BaseException | None = None
    opened: list[StreamHandle] = []
    deadline = Deadline.after(total_timeout)
    try:
        while True:
            try:
                effect = plan.throw(error) if error is not None else plan.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            value, error = None, None
            if lifecycle.closed:  # close() was called: stop here, before another request or read
                raise lifecycle.error()
            if deadline is not None:
                deadline.check()
            try:
                value = execute_sync(client, effect, storage, auth, timeout, deadline, limits)
            except QwenAPIError as exc:
                if lifecycle.closed:  # it failed because close() was called meanwhile: say that
                    raise lifecycle.error() from None
                if deadline is not None and exc.code == "total_timeout":
                    raise  # not the plan's to retry
                error = exc
            if isinstance(value, StreamHandle):
                opened.append(value)
    except BaseException:
        for handle in opened:
            handle.response.close()
        raise


# --------------------------------------------------------------------------------------------
# async
# --------------------------------------------------------------------------------------------


async def execute_async(
    client: httpx.AsyncClient,
    effect: Effect,
    storage: Callable[[], httpx.AsyncClient] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
    deadline: Deadline | None = None,
    limits: ResponseLimits = DEFAULT_LIMITS,
) -> Any:
    if isinstance(effect, ReadChunk):
        return await read_chunk_async(effect.handle)
    if isinstance(effect, RefreshToken):
        return await _refresh_async(client, effect, timeout, deadline, limits)
    if isinstance(effect, StoragePut):
        if storage is None:
            raise TypeError("this driver has no storage client")
        return await _storage_put_async(storage(), effect, timeout, deadline, limits)
    if isinstance(effect, Send):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = await client.send(_request(client, spec, auth, timeout, deadline), stream=True)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        content = await _read_body_async(response, limits, spec.method, spec.url)
        return RawResponse(response.status_code, response.headers, content, str(response.url))
    if isinstance(effect, OpenStream):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = await client.send(_request(client, spec, auth, timeout, deadline), stream=True)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return _handle(response, deadline, limits)
    if isinstance(effect, ReadRest):
        return await _read_body_async(effect.handle.response, limits, "POST", effect.handle.url)
    if isinstance(effect, Close):
        await effect.handle.response.aclose()
        return None
    if isinstance(effect, Sleep):
        import asyncio  # on first async use, so that sync programs do not import it

        seconds = effect.seconds
        if deadline is not None and seconds >= deadline.remaining():
            raise deadline.error()
        await asyncio.sleep(seconds)
        return None
    raise TypeError(f"unknown effect {effect!r}")


async def read_chunk_async(handle: StreamHandle) -> bytes:
    if handle.chunks is None:
        handle.chunks = _body_async(handle)
    deadline = handle.deadline
    try:
        if deadline is None:
            chunk: bytes = await handle.chunks.__anext__()
        else:
            chunk = await _within(deadline, handle.chunks.__anext__(), "POST", handle.url)
    except StopAsyncIteration:
        return b""
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, handle.url, "POST") from None
    return chunk


async def _within(deadline: Deadline, awaitable: Any, method: str | None = None, url: str | None = None) -> Any:
    """Await ``awaitable`` until the deadline; past it, ``QwenTimeoutError`` naming the request (the
    awaitable is cancelled)."""
    import asyncio  # already imported: called on a running loop

    left = deadline.check(method, url)
    try:
        async with asyncio.timeout(left):
            return await awaitable
    except TimeoutError:
        raise deadline.error(method, url) from None


def _target(effect: object, auth: TokenManager | None) -> tuple[str | None, str | None]:
    """The method and URL of the request ``effect`` sends, for the errors that name it."""
    if isinstance(effect, Send | OpenStream):
        return effect.spec.method, effect.spec.url
    if isinstance(effect, StoragePut):
        return "PUT", effect.url
    if isinstance(effect, ReadChunk | ReadRest | Close):  # reading the answer of a stream it opened
        return "POST", effect.handle.url
    if isinstance(effect, RefreshToken) and auth is not None:
        method, url, _ = auth.refresh_request()
        return method, url
    return None, None


async def run_async(
    plan: Plan[T],
    client: httpx.AsyncClient,
    storage: Callable[[], httpx.AsyncClient] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
    *,
    total_timeout: float | None = None,
    limits: ResponseLimits = DEFAULT_LIMITS,
    lifecycle: Lifecycle = NEVER_CLOSED,
) -> T:
    """Drive ``plan``; if it fails, is cancelled or times out, every stream it opened is closed."""
    value: Any = None
    error: BaseException | None = None
    opened: list[StreamHandle] = []
    deadline = Deadline.after(total_timeout)
    try:
        while True:
            try:
                effect = plan.throw(error) if error is not None else plan.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            value, error = None, None
            if lifecycle.closed:
                raise lifecycle.error()
            try:
                if deadline is None:
                    value = await execute_async(client, effect, storage, auth, timeout, deadline, limits)
                else:
                    value = await _within(
                        deadline,
                        execute_async(client, effect, storage, auth, timeout, deadline, limits),
                        *_target(effect, auth),
                    )
            except QwenAPIError as exc:
                if lifecycle.closed:  # it failed because close() was called meanwhile: say that
                    raise lifecycle.error() from None
                if deadline is not None and exc.code == "total_timeout":
                    raise  # not the plan's to retry
                error = exc
            if isinstance(value, StreamHandle):
                opened.append(value)
    except BaseException:
        for handle in opened:
            import asyncio  # on first async use, so that sync programs do not import it

            await asyncio.shield(handle.response.aclose())
        raise


def response_headers(headers: Mapping[str, str]) -> httpx.Headers:
    """Recorded response headers as the case-insensitive ``httpx.Headers`` that ``RawResponse`` offers."""
    return httpx.Headers(dict(headers))
