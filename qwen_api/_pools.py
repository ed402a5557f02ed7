"""The client's connection pools: one sync ``httpx.Client``, async ones per event loop (or one, for
``AsyncQwen``), the storage clients kept apart from the API ones, and their release when a client is
dropped without ``close()``. An I/O shell, like ``_transport``: the only other module that touches httpx.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import httpx

from ._transport import default_limits, run_in_background

if TYPE_CHECKING:
    import asyncio

__all__ = ["check_http_clients", "new_async_client", "new_sync_client"]


def check_http_clients(
    http_client: object, async_http_client: object
) -> tuple[httpx.Client | None, httpx.AsyncClient | None]:
    """The caller's own clients, sorted: an ``httpx.AsyncClient`` given as ``http_client`` serves the async methods."""
    if isinstance(http_client, httpx.AsyncClient):
        if async_http_client is not None:
            raise TypeError("pass the httpx.AsyncClient either as http_client or as async_http_client, not both")
        async_http_client, http_client = http_client, None
    if http_client is not None and not isinstance(http_client, httpx.Client):
        raise TypeError(f"http_client must be an httpx.Client or httpx.AsyncClient, got {type(http_client).__name__}")
    if async_http_client is not None and not isinstance(async_http_client, httpx.AsyncClient):
        raise TypeError(f"async_http_client must be an httpx.AsyncClient, got {type(async_http_client).__name__}")
    return http_client, async_http_client


def check_async_http_client(http_client: object) -> httpx.AsyncClient | None:
    """``AsyncQwen(http_client=...)``: only an ``httpx.AsyncClient`` makes sense there."""
    if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
        raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
    return http_client


def new_sync_client(timeout: httpx.Timeout, *, storage: bool = False) -> httpx.Client:
    """A pool the SDK owns; the storage one is bare (no cookies, no auth) and needs no wide limits."""
    if storage:
        return httpx.Client(timeout=timeout, follow_redirects=False)
    return httpx.Client(timeout=timeout, limits=default_limits(), follow_redirects=False)


def new_async_client(timeout: httpx.Timeout, *, storage: bool = False) -> httpx.AsyncClient:
    """The async twin of :func:`new_sync_client`."""
    if storage:
        return httpx.AsyncClient(timeout=timeout, follow_redirects=False)
    return httpx.AsyncClient(timeout=timeout, limits=default_limits(), follow_redirects=False)


class _Lifetime:
    """Closes the pools a client created once no client refers to it any more.

    A ``Qwen`` dropped without ``close()`` (the quick start's ``client = Qwen()``) would otherwise
    leave its keep-alive sockets to the garbage collector, which warns (``ResourceWarning``). The
    finalizer watches this small token rather than the client, and holds only the pools, so it
    never keeps the client alive; a copy of the client that shares the token shares the pools, and
    they are closed when the last holder goes (or at interpreter exit).
    """

    def __init__(self, owned: list[httpx.Client], *pools: _LoopPool | _SinglePool) -> None:
        weakref.finalize(self, _close_pools, owned, pools)


def _close_pools(owned: list[httpx.Client], pools: tuple[_LoopPool | _SinglePool, ...]) -> None:
    for client in owned:
        client.close()
    for pool in pools:
        # (collected while another event loop runs in this thread, the pool's loop cannot be driven)
        with contextlib.suppress(RuntimeError):
            pool.close()


class _LoopPool:
    """One ``httpx.AsyncClient`` per running event loop: a pool cannot cross loops, so each
    ``asyncio.run`` gets its own, closed by that loop's shutdown. Several loops (threads that each
    run ``asyncio.run``) use the client at once, each with its own pool, and none closes another's.
    A caller's own client is used on every loop and never closed by us."""

    def __init__(self, make: Callable[[], httpx.AsyncClient], given: httpx.AsyncClient | None = None) -> None:
        self._make = make
        self._owned = given is None
        self.client = given  # the pool made last (or the caller's): what the ``_async_client`` property shows
        self._lock = threading.Lock()
        # loop -> (its pool, the guard closing it with the loop); entries of closed loops are dropped
        # when the next loop arrives (a plain dict: not every loop implementation is weakly referenceable)
        self._pools: dict[asyncio.AbstractEventLoop, tuple[httpx.AsyncClient, object]] = {}

    def get(self) -> httpx.AsyncClient:
        import asyncio  # on first async use, so that sync programs do not import it

        if not self._owned:
            assert self.client is not None
            return self.client
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._pools.get(loop)
            if entry is not None:
                return entry[0]
            for old in [old for old in self._pools if old.is_closed()]:
                del self._pools[old]
            client = self._make()
            guard = _closed_with_its_loop(client)
            self._pools[loop] = (client, guard)
            self.client = client
        run_in_background(guard.__anext__())  # runs it to its `yield` on this loop, which holds it weakly
        return client

    def _entries(self) -> list[tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]]:
        if not self._owned:
            return []
        with self._lock:
            return [(loop, entry[0]) for loop, entry in self._pools.items()]

    def close(self) -> None:
        """From synchronous code: each pool on its own loop, if that loop is still usable."""
        for loop, client in self._entries():
            _close_on_loop(client, loop)

    async def aclose(self) -> None:
        """Closes the running loop's pool here, and the others on their own loops."""
        import asyncio

        running = asyncio.get_running_loop()
        for loop, client in self._entries():
            if loop is running:
                await client.aclose()
            else:
                _close_on_loop(client, loop)


def _close_on_loop(client: httpx.AsyncClient, loop: asyncio.AbstractEventLoop) -> None:
    """Close ``client`` on ``loop``, the loop its connections belong to, without blocking on another thread."""
    if loop.is_closed():
        return  # its shutdown closed the pool already (see _closed_with_its_loop)
    import asyncio  # already imported: the pool was made on a loop

    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        run_in_background(client.aclose())
    elif loop.is_running():  # another thread's loop: hand the closing over to it
        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(client.aclose(), loop)
    elif running is None:
        loop.run_until_complete(client.aclose())


class _SinglePool:
    """The one ``httpx.AsyncClient`` of an :class:`~qwen_api.AsyncQwen`, made by the first call on
    that call's loop, which closes it when it shuts down (as ``asyncio.run`` does): the next
    ``asyncio.run`` then gets a fresh one. Using it from a second loop while the first is alive is
    refused with a clear error, since a pool cannot cross loops."""

    def __init__(self, make: Callable[[], httpx.AsyncClient], given: httpx.AsyncClient | None = None) -> None:
        self._make = make
        self._owned = given is None
        self.client = given
        self._loop: asyncio.AbstractEventLoop | None = None
        self._guard: AsyncIterator[None] | None = None
        self._lock = threading.Lock()

    def get(self) -> httpx.AsyncClient:
        import asyncio  # on first async use

        loop = asyncio.get_running_loop()
        client = self.client
        if client is not None and (not self._owned or self._loop is loop):
            return client
        with self._lock:
            old = self._loop
            if self.client is not None and old is not None and old is not loop and not old.is_closed():
                raise RuntimeError(
                    "this AsyncQwen's connection pool belongs to another event loop that is still open; "
                    "use one AsyncQwen per event loop (Qwen's a... methods serve several loops)"
                )
            if self.client is None or self._loop is not loop:
                self.client, self._loop = self._make(), loop
                self._guard = _closed_with_its_loop(self.client)
                run_in_background(self._guard.__anext__())
            return self.client

    def close(self) -> None:
        if self._owned and self.client is not None and self._loop is not None:
            _close_on_loop(self.client, self._loop)

    async def aclose(self) -> None:
        if self._owned and self.client is not None:
            await self.client.aclose()


async def _closed_with_its_loop(client: httpx.AsyncClient) -> AsyncIterator[None]:
    """Left suspended on the loop the pool belongs to. ``asyncio.run`` (and ``asyncio.Runner``) close
    every suspended async generator before they close the loop, and with this one the pool: a
    client used across several ``asyncio.run`` calls leaves no socket behind. A loop closed without
    that step drops the generator quietly (asyncio's finalizer skips closed loops)."""
    try:
        yield
    finally:
        await client.aclose()
