"""Run the app on a real socket: uvicorn in a daemon thread, ready when the listening socket exists.

``serve()`` is what tests, the demo and the benchmarks use. Readiness is an event set by uvicorn's
own ``startup`` (after ``create_server`` returned), never a sleep. Shutdown first wakes every
stalled or paced handler (they drop their connection), then asks uvicorn to exit, and escalates to
``force_exit`` if the thread does not end in time, so a 3600 s stall can never hang a test run.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn

from ..listen import close, listen
from .app import Runtime, create_app
from .auth import ACCESS_TOKEN, DEFAULT_ACCESS_LIFETIME, REFRESH_LIFETIME, REFRESH_TOKEN
from .config import ServerConfig
from .connection import QwenApp
from .faults import FaultRule, FaultSpec
from .script import ScriptedAnswer
from .state import ServerState

__all__ = ["RunningServer", "serve"]

_GRACEFUL_SECONDS = 1
_KEEP_ALIVE_SECONDS = 60
_STARTUP_TIMEOUT = 10.0


class _ThreadedUvicorn(uvicorn.Server):
    """uvicorn that never installs signal handlers and reports readiness through an event."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready: threading.Event = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """A no-op: signals belong to whoever embeds the server (the CLI installs its own)."""
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's startup, then ``ready`` is set: readiness is the socket accepting, never a sleep."""
        await super().startup(sockets=sockets)
        self.loop = asyncio.get_running_loop()
        self._wakeup = asyncio.Event()
        self.ready.set()

    async def main_loop(self) -> None:
        """uvicorn's loop, except that a stop request wakes it at once instead of at the next 0.1 s tick
        (a test suite starts and stops one server per test)."""
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            assert self._wakeup is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    def request_exit(self) -> None:
        """Thread-safe: stop serving as soon as possible."""
        self.should_exit = True
        if self.loop is not None and self._wakeup is not None and not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self._wakeup.set)


class RunningServer:
    """A started local server: its URL, state and config, plus knobs tests turn while it runs."""

    def __init__(self, *, url: str, app: QwenApp, server: _ThreadedUvicorn, thread: threading.Thread) -> None:
        self.url = url
        self.app = app
        self._server = server
        self._thread = thread

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    @property
    def state(self) -> ServerState:
        return self.runtime.state

    @property
    def config(self) -> ServerConfig:
        return self.runtime.config

    def add_fault(self, name: str, *, times: int | None = None, path: str | None = None, **params: Any) -> FaultRule:
        """Apply ``name`` to matching requests (all chat endpoints unless ``path`` narrows it; see faults.py)."""
        rule = FaultRule(FaultSpec.build(name, times=times, **params), path=path)
        self.state.fault_rules.append(rule)
        return rule

    def clear_faults(self) -> None:
        """Remove the fault rules added while running."""
        self.state.fault_rules.clear()

    def script(self, *answers: ScriptedAnswer | str) -> None:
        """Queue answers to stream instead of the echo, one per completion (see :mod:`.script`)."""
        self.state.scripted.extend(ScriptedAnswer(a) if isinstance(a, str) else a for a in answers)

    def open_connections(self) -> int:
        """TCP connections currently open to uvicorn (to check that clients release them)."""
        return len(self._server.server_state.connections)

    def mint_token(self, lifetime: float | None = None) -> str:
        """A JWT access token this server accepts until ``lifetime`` seconds from now (default: the config's
        ``token_lifetime``, else 900 s like the real service)."""
        if lifetime is None:
            lifetime = self.config.token_lifetime or DEFAULT_ACCESS_LIFETIME
        return self.runtime.issuer.mint(lifetime=lifetime, token_type=ACCESS_TOKEN)

    def mint_refresh_token(self, lifetime: float | None = None) -> str:
        """A refresh token for ``GET /api/v2/auths/refresh`` (cookie ``refresh_token``); single use."""
        token = self.runtime.issuer.mint(lifetime=lifetime or REFRESH_LIFETIME, token_type=REFRESH_TOKEN)
        self.state.refresh_tokens.add(token)
        return token

    def stop(self, timeout: float = 5.0) -> None:
        """Wake stalled handlers, stop uvicorn and join its thread (forcing the exit if needed)."""
        loop = self._server.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self.runtime.control.begin_shutdown)
        self._server.request_exit()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("the qwen test server thread did not stop")

    def __repr__(self) -> str:
        return f"<RunningServer {self.url}>"


def _url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else ("::1" if host == "::" else host)
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def start(config: ServerConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Start a server and return once it accepts connections; the caller must ``stop()`` it.

    Raises:
        ValueError: ``port`` is outside 0-65535.
        qwen_api.listen.ListenError: an ``OSError``: the host does not resolve or the port is in use.
    """
    app = create_app(config)
    uv_config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        server_header=False,
        ws="none",
        timeout_graceful_shutdown=_GRACEFUL_SECONDS,
        # Longer than any client's idle expiry (httpx closes idle connections after 5 s), as production
        # front ends do (nginx: 75 s). Equal timeouts race: the server closes a connection at the moment
        # a client reuses it, and a client without retries sees a failed request.
        timeout_keep_alive=_KEEP_ALIVE_SECONDS,
    )
    sockets = listen(host, port)  # here, so a port in use is a ListenError for the caller
    server = _ThreadedUvicorn(uv_config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, name="qwen-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + _STARTUP_TIMEOUT
    # The event is set by uvicorn's startup(); the short wait only lets us notice a thread that died.
    while not server.ready.wait(0.05):
        if not thread.is_alive():
            close(sockets)
            raise RuntimeError(f"the qwen test server failed to start on {host}:{port}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the qwen test server did not become ready in time")
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    url = _url(host, bound_port)
    running = RunningServer(url=url, app=app, server=server, thread=thread)
    running.runtime.public_url = url
    return running


@contextlib.contextmanager
def serve(config: ServerConfig | None = None, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningServer]:
    """Run the server in a background thread for the ``with`` block (``port=0`` picks a free port)."""
    running = start(config, host=host, port=port)
    try:
        yield running
    finally:
        running.stop()
