"""The I/O shells: execute a plan's effects with httpx, synchronously or with asyncio.

This is the only module that calls httpx. It turns transport exceptions into the SDK's
``QwenConnectionError`` / ``QwenTimeoutError`` (with the request's method and URL, never its
headers) and throws them back into the plan, which decides whether to retry.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Any, TypeVar

import httpx

from ._auth import TokenManager
from ._core import (
    Close,
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
from ._logging import logger
from .core.exceptions import QwenAPIError, QwenAuthenticationError, QwenConnectionError, QwenTimeoutError

T = TypeVar("T")


_BACKGROUND: set[Any] = set()


def run_in_background(awaitable: Any) -> None:
    """Start ``awaitable`` on the running loop without waiting for it; the loop only holds tasks
    weakly, so they are kept here until they finish (closing an abandoned stream or pool)."""
    import asyncio  # already imported: called on a running loop

    task = asyncio.ensure_future(awaitable)
    _BACKGROUND.add(task)
    task.add_done_callback(_BACKGROUND.discard)


def make_timeout(seconds: float) -> httpx.Timeout:
    """``timeout`` bounds connecting and *each* read, so a stalled stream raises instead of hanging."""
    return httpx.Timeout(seconds)


def default_limits() -> httpx.Limits:
    return httpx.Limits(max_connections=200, max_keepalive_connections=50)


def map_transport_error(exc: Exception, spec_or_url: RequestSpec | str, method: str | None = None) -> QwenAPIError:
    if isinstance(spec_or_url, RequestSpec):
        method, url = spec_or_url.method, spec_or_url.url
    else:
        url = spec_or_url
    kind = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return QwenTimeoutError(f"timed out ({kind})", method=method, url=url)
    return QwenConnectionError(f"connection failed ({kind}: {exc})", method=method, url=url)


Timeout = httpx.Timeout | None
"""The client's ``timeout``, set on every request: an injected ``http_client`` may have none at all."""


def _timeout(timeout: Timeout) -> Any:
    return httpx.USE_CLIENT_DEFAULT if timeout is None else timeout


def _request(
    client: httpx.Client | httpx.AsyncClient, spec: RequestSpec, auth: TokenManager | None, timeout: Timeout
) -> httpx.Request:
    headers = dict(spec.headers)
    if auth is not None:
        headers.update(auth.auth_headers)
    return client.build_request(spec.method, spec.url, headers=headers, json=spec.json, timeout=_timeout(timeout))


def _refresh_failed(response: httpx.Response) -> QwenAPIError | None:
    error = classify_error_body(
        status=response.status_code,
        headers=response.headers,
        content=response.content,
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


def _apply_refresh(auth: TokenManager, response: httpx.Response) -> None:
    error = _refresh_failed(response)
    if error is not None:
        raise error
    try:
        body = response.json()
    except ValueError:
        raise QwenAuthenticationError("the token refresh answered something that is not JSON") from None
    auth.apply_refresh(body)


def _refresh_sync(client: httpx.Client, effect: RefreshToken, timeout: Timeout) -> None:
    auth = effect.auth
    with auth.lock:
        if auth.generation != effect.generation:
            return  # another thread refreshed while we waited
        method, url, headers = auth.refresh_request()
        try:
            response = client.request(method, url, headers=headers, timeout=_timeout(timeout))
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, url, method) from None
        _apply_refresh(auth, response)


async def _refresh_async(client: httpx.AsyncClient, effect: RefreshToken, timeout: Timeout) -> None:
    auth = effect.auth
    async with auth.async_lock():
        if auth.generation != effect.generation:
            return
        method, url, headers = auth.refresh_request()
        try:
            response = await client.request(method, url, headers=headers, timeout=_timeout(timeout))
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, url, method) from None
        _apply_refresh(auth, response)


def _log_request(spec: RequestSpec) -> float:
    logger.debug("-> %s %s (%s)", spec.method, spec.url, spec.operation)
    return time.perf_counter()


def _log_response(spec: RequestSpec, status: int, started: float) -> None:
    logger.debug("<- %s %s %d in %.1f ms", spec.method, spec.url, status, (time.perf_counter() - started) * 1000)


# --------------------------------------------------------------------------------------------
# sync
# --------------------------------------------------------------------------------------------


def _storage_put_sync(client: httpx.Client, effect: StoragePut) -> RawResponse:
    started = time.perf_counter()
    try:
        response = client.put(
            effect.url, headers=dict(effect.headers), content=effect.body.iter_chunks(progress=effect.progress)
        )
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, effect.url, "PUT") from None
    logger.debug("<- PUT storage %d in %.1f ms", response.status_code, (time.perf_counter() - started) * 1000)
    return RawResponse(response.status_code, response.headers, response.content, effect.url)


async def _storage_put_async(client: httpx.AsyncClient, effect: StoragePut) -> RawResponse:
    started = time.perf_counter()
    try:
        response = await client.put(
            effect.url, headers=dict(effect.headers), content=effect.body.aiter_chunks(progress=effect.progress)
        )
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, effect.url, "PUT") from None
    logger.debug("<- PUT storage %d in %.1f ms", response.status_code, (time.perf_counter() - started) * 1000)
    return RawResponse(response.status_code, response.headers, response.content, effect.url)


def execute_sync(
    client: httpx.Client,
    effect: Effect,
    storage: Callable[[], httpx.Client] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
) -> Any:
    if isinstance(effect, RefreshToken):
        return _refresh_sync(client, effect, timeout)
    if isinstance(effect, StoragePut):
        if storage is None:
            raise TypeError("this driver has no storage client")
        return _storage_put_sync(storage(), effect)
    if isinstance(effect, Send):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = client.send(_request(client, spec, auth, timeout))
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return RawResponse(response.status_code, response.headers, response.content, str(response.url))
    if isinstance(effect, OpenStream):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = client.send(_request(client, spec, auth, timeout), stream=True)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return StreamHandle(response.status_code, response.headers, str(response.url), response, None)
    if isinstance(effect, ReadChunk):
        return read_chunk_sync(effect.handle)
    if isinstance(effect, ReadRest):
        try:
            return effect.handle.response.read()
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, effect.handle.url, "POST") from None
    if isinstance(effect, Close):
        effect.handle.response.close()
        return None
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
        return None
    raise TypeError(f"unknown effect {effect!r}")


def _identity(response: httpx.Response) -> bool:
    return response.headers.get("content-encoding", "identity").strip().lower() in ("", "identity")


def _body_sync(response: httpx.Response) -> Iterator[bytes]:
    """The body as it arrives. Without a content encoding (Qwen sends none) the transport's stream is
    read directly: ``iter_bytes`` would add decode and re-chunk layers (about 1 us per read), and an
    event stream arrives as one read per event. With an encoding, httpx decodes it as usual."""
    stream = response.stream
    if _identity(response) and isinstance(stream, httpx.SyncByteStream):
        response.is_stream_consumed = True
        return iter(stream)
    return response.iter_bytes()


def _body_async(response: httpx.Response) -> AsyncIterator[bytes]:
    stream = response.stream
    if _identity(response) and isinstance(stream, httpx.AsyncByteStream):
        response.is_stream_consumed = True
        return stream.__aiter__()
    return response.aiter_bytes()


def iter_body_sync(handle: StreamHandle) -> Generator[bytes, None, None]:
    """The rest of an open stream's body, read by read; transport errors become ``QwenAPIError``."""
    if handle.chunks is None:
        handle.chunks = _body_sync(handle.response)
    try:
        yield from handle.chunks
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, handle.url, "POST") from None


def read_chunk_sync(handle: StreamHandle) -> bytes:
    if handle.chunks is None:
        handle.chunks = _body_sync(handle.response)
    try:
        chunk: bytes = next(handle.chunks)
    except StopIteration:
        return b""
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, handle.url, "POST") from None
    return chunk


def run_sync(
    plan: Plan[T],
    client: httpx.Client,
    storage: Callable[[], httpx.Client] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
) -> T:
    """Drive ``plan``; if it fails (or is interrupted), every stream it opened is closed."""
    value: Any = None
    error: BaseException | None = None
    opened: list[StreamHandle] = []
    try:
        while True:
            try:
                effect = plan.throw(error) if error is not None else plan.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            value, error = None, None
            try:
                value = execute_sync(client, effect, storage, auth, timeout)
            except QwenAPIError as exc:
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
) -> Any:
    if isinstance(effect, RefreshToken):
        return await _refresh_async(client, effect, timeout)
    if isinstance(effect, StoragePut):
        if storage is None:
            raise TypeError("this driver has no storage client")
        return await _storage_put_async(storage(), effect)
    if isinstance(effect, Send):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = await client.send(_request(client, spec, auth, timeout))
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return RawResponse(response.status_code, response.headers, response.content, str(response.url))
    if isinstance(effect, OpenStream):
        spec = effect.spec
        started = _log_request(spec)
        try:
            response = await client.send(_request(client, spec, auth, timeout), stream=True)
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, spec) from None
        _log_response(spec, response.status_code, started)
        return StreamHandle(response.status_code, response.headers, str(response.url), response, None)
    if isinstance(effect, ReadChunk):
        return await read_chunk_async(effect.handle)
    if isinstance(effect, ReadRest):
        try:
            return await effect.handle.response.aread()
        except httpx.HTTPError as exc:
            raise map_transport_error(exc, effect.handle.url, "POST") from None
    if isinstance(effect, Close):
        await effect.handle.response.aclose()
        return None
    if isinstance(effect, Sleep):
        import asyncio  # on first async use, so that sync programs do not import it

        await asyncio.sleep(effect.seconds)
        return None
    raise TypeError(f"unknown effect {effect!r}")


async def read_chunk_async(handle: StreamHandle) -> bytes:
    if handle.chunks is None:
        handle.chunks = _body_async(handle.response)
    try:
        chunk: bytes = await handle.chunks.__anext__()
    except StopAsyncIteration:
        return b""
    except httpx.HTTPError as exc:
        raise map_transport_error(exc, handle.url, "POST") from None
    return chunk


async def run_async(
    plan: Plan[T],
    client: httpx.AsyncClient,
    storage: Callable[[], httpx.AsyncClient] | None = None,
    auth: TokenManager | None = None,
    timeout: Timeout = None,
) -> T:
    """Drive ``plan``; if it fails, is cancelled or times out, every stream it opened is closed."""
    value: Any = None
    error: BaseException | None = None
    opened: list[StreamHandle] = []
    try:
        while True:
            try:
                effect = plan.throw(error) if error is not None else plan.send(value)
            except StopIteration as stop:
                result: T = stop.value
                return result
            value, error = None, None
            try:
                value = await execute_async(client, effect, storage, auth, timeout)
            except QwenAPIError as exc:
                error = exc
            if isinstance(value, StreamHandle):
                opened.append(value)
    except BaseException:
        for handle in opened:
            import asyncio  # on first async use, so that sync programs do not import it

            await asyncio.shield(handle.response.aclose())
        raise
