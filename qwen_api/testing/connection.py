"""Control over the TCP connection under a response: abort it, and sleep without outliving it.

Two wire faults need more than ASGI offers. A *dropped* connection must really be aborted, so the
client sees a reset/EOF (httpx ``RemoteProtocolError``) and never an HTTP 500; ASGI has no "abort"
message, so :class:`QwenApp` picks the asyncio transport off uvicorn's ``send`` (a bound method of
its request cycle) and parks it in the scope. A *stall* must end when the client gives up or the
server stops, or a 3600 s stall would pin a handler (and uvicorn's shutdown) for an hour; every
sleep here therefore waits on an event that fires on client disconnect or server shutdown.

Without uvicorn (``httpx.ASGITransport``, in process) there is no socket to abort: a drop raises
``httpx.RemoteProtocolError`` straight out of the app, which the transport hands to the client.
"""

from __future__ import annotations

import abc
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

__all__ = ["TRANSPORT_KEY", "ConnectionControl", "ControlledResponse", "QwenApp", "RequestWatch", "abort_connection"]

TRANSPORT_KEY = "qwen_api.testing.transport"


class QwenApp(Starlette):
    """Starlette, plus the asyncio transport of the connection stored in the scope when uvicorn serves it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cycle = getattr(send, "__self__", None)
            transport = getattr(cycle, "transport", None)
            if isinstance(transport, asyncio.Transport):
                scope[TRANSPORT_KEY] = transport
        await super().__call__(scope, receive, send)


class ConnectionControl:
    """App-wide: knows whether the server is stopping and wakes every sleeping handler when it does."""

    def __init__(self) -> None:
        self.shutting_down: bool = False
        self._wakers: set[anyio.Event] = set()

    def register(self, event: anyio.Event) -> None:
        """Wake ``event`` when the server begins shutting down."""
        self._wakers.add(event)
        if self.shutting_down:
            event.set()

    def unregister(self, event: anyio.Event) -> None:
        """Stop waking ``event``."""
        self._wakers.discard(event)

    def begin_shutdown(self) -> None:
        """Call on the server's event loop (``loop.call_soon_threadsafe``)."""
        self.shutting_down = True
        for event in list(self._wakers):
            event.set()


class RequestWatch:
    """Per response: notices the client leaving (by reading ``receive``) and the server stopping."""

    def __init__(self, receive: Receive, control: ConnectionControl) -> None:
        self._receive = receive
        self._control = control
        self.wake: anyio.Event = anyio.Event()
        self.disconnected: bool = False

    @property
    def interrupted(self) -> bool:
        return self.disconnected or self._control.shutting_down

    async def listen(self) -> None:
        """Wait for the client to disconnect, then wake the response."""
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                self.wake.set()
                return

    async def sleep(self, seconds: float) -> bool:
        """Sleep ``seconds``; False if the client left or the server began stopping meanwhile."""
        if self.interrupted:
            return False
        if seconds <= 0:
            return True
        with anyio.move_on_after(seconds):
            await self.wake.wait()
            return False
        return True


async def abort_connection(scope: Scope, watch: RequestWatch | None = None) -> None:
    """Abort the TCP connection (no response, no 500); in process, raise as a dropped connection would."""
    transport: Any = scope.get(TRANSPORT_KEY)
    if transport is None:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response (qwen mock drop).")
    transport.abort()
    # Let uvicorn run connection_lost, so it treats the cycle as disconnected instead of logging an
    # unfinished response or trying to send a 500 on a dead socket.
    if watch is not None:
        with anyio.move_on_after(1.0):
            await watch.wake.wait()
    for _ in range(3):
        await anyio.sleep(0)


class ControlledResponse(Response, abc.ABC):
    """A response that plays itself with a :class:`RequestWatch` listening for disconnects.

    ``play`` may return another response to delegate to once the watch has stopped listening (a
    stall that ends normally hands over to the real answer).
    """

    def __init__(self, control: ConnectionControl) -> None:
        super().__init__()
        self.control = control

    @abc.abstractmethod
    async def play(self, scope: Scope, send: Send, watch: RequestWatch) -> Response | None:
        """Send the response; subclasses say how (abort, stall, or play an event stream)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        watch = RequestWatch(receive, self.control)
        self.control.register(watch.wake)
        delegate: Response | None = None
        try:
            async with anyio.create_task_group() as group:
                group.start_soon(watch.listen)
                try:
                    delegate = await self.play(scope, send, watch)
                finally:
                    group.cancel_scope.cancel()
        except BaseExceptionGroup as errors:
            # anyio wraps the one real error (an in-process drop); let callers see it unwrapped.
            if len(errors.exceptions) == 1:
                raise errors.exceptions[0] from None
            raise
        finally:
            self.control.unregister(watch.wake)
        if delegate is not None:
            await delegate(scope, receive, send)


class AbortResponse(ControlledResponse):
    """``drop_before_headers``: close the connection without a byte of response."""

    async def play(self, scope: Scope, send: Send, watch: RequestWatch) -> Response | None:
        """Drop the connection without an answer."""
        await abort_connection(scope, watch)
        return None


class StallResponse(ControlledResponse):
    """``stall_before_headers``: wait, then either drop (client gone / server stopping) or answer normally."""

    def __init__(self, control: ConnectionControl, seconds: float, then: Callable[[], Awaitable[Response]]) -> None:
        super().__init__(control)
        self.seconds = seconds
        self.then = then

    async def play(self, scope: Scope, send: Send, watch: RequestWatch) -> Response | None:
        """Hold the connection for ``seconds`` (or until shutdown), then drop it."""
        if not await watch.sleep(self.seconds):
            await abort_connection(scope, watch)
            return None
        return await self.then()
