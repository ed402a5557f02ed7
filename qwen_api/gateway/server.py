"""Build a gateway from options and serve it with uvicorn: in the foreground (``qwen serve``) or in a
background thread (tests, benchmarks). Readiness is uvicorn's own startup, never a sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import uvicorn
from starlette.applications import Starlette

from qwen_api import Qwen
from qwen_api.listen import close, listen

from .accounts import Account, AccountPool, TokenWriter, load_accounts_file
from .app import GatewaySettings, create_app
from .conversations import ConversationStore, MemoryStore, SqliteStore

__all__ = ["RunningGateway", "ServeOptions", "build_app", "is_loopback", "run", "start"]


@attrs.frozen
class ServeOptions:
    """Everything ``qwen serve`` is told (and what tests pass to :func:`start`)."""

    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: tuple[str, ...] = ()
    accounts_file: str | None = None
    state_file: str | None = None
    base_url: str | None = None
    timeout: float = 120.0
    max_retries: int | None = None
    default_headers: Mapping[str, str] = attrs.field(factory=dict)
    account_concurrency: int | None = 16
    graceful_seconds: float = 30.0
    conversation_limit: int = 10_000
    conversation_ttl: float = 24 * 3600.0
    max_body_bytes: int = 32 * 1024 * 1024
    repair_rounds: int = 1
    """Extra upstream turns that ask the model to fix a failing tool call or JSON answer (0-3)."""
    warm_chats: bool = False
    """Keep a chat made ahead per account and model (``--warm-chats``, see :mod:`.warm_chats`)."""
    env_file: str | os.PathLike[str] | None = None
    """The ``.env`` each account's client reads instead of ``./.env`` (``qwen --env-file``)."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (``qwen serve`` wants an API key for any other)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _accounts(options: ServeOptions) -> list[Account]:
    common: dict[str, Any] = {
        "base_url": options.base_url,
        "timeout": options.timeout,
        "max_retries": options.max_retries,
        "default_headers": dict(options.default_headers),
        "env_file": options.env_file,
    }
    if options.accounts_file is None:
        return [Account("default", Qwen(**common))]
    path = Path(options.accounts_file)
    specs = load_accounts_file(path)
    writer = TokenWriter(path, specs)
    return [
        Account(
            spec.name,
            Qwen(
                api_key=spec.auth_token,
                cookie=spec.cookie,
                refresh_token=spec.refresh_token,
                on_token_refresh=writer.callback(spec.name),
                **{**common, "default_headers": {**common["default_headers"], **spec.headers}},
            ),
        )
        for spec in specs
    ]


def _store(options: ServeOptions) -> ConversationStore:
    if options.state_file:
        return SqliteStore(options.state_file)
    return MemoryStore(options.conversation_limit, options.conversation_ttl)


def build_app(options: ServeOptions) -> Starlette:
    """The Starlette application for ``options``: its accounts, settings and conversation store."""
    pool = AccountPool(_accounts(options), max_concurrency=options.account_concurrency)
    settings = GatewaySettings(
        api_keys=tuple(options.api_keys),
        max_body_bytes=options.max_body_bytes,
        repair_rounds=options.repair_rounds,
        warm_chats=options.warm_chats,
    )
    return create_app(settings, pool, _store(options))


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Uvicorn(uvicorn.Server):
    """uvicorn that reports readiness (and the bound port) and, in a thread, leaves signals alone."""

    def __init__(self, config: uvicorn.Config, *, signals: bool, announce: Callable[[str], None] | None) -> None:
        super().__init__(config)
        self.ready: threading.Event = threading.Event()
        self.url: str | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._signals = signals
        self._announce = announce

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGINT/SIGTERM start a graceful shutdown; unlike uvicorn's own, the signal is not raised again
        afterwards, so ``qwen serve`` ends with status 0 once running answers have finished."""
        if not self._signals or threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's startup, then the bound URL (port 0 resolved) is announced and ``ready`` set."""
        await super().startup(sockets=sockets)
        if self.should_exit:
            return
        self.loop = asyncio.get_running_loop()
        port = self.servers[0].sockets[0].getsockname()[1]
        self.url = _url(self.config.host, port)
        if self._announce is not None:
            self._announce(self.url)
        self.ready.set()


def _config(app: Starlette, host: str, port: int, graceful: float) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        log_config=None,
        log_level="warning",
        access_log=False,
        server_header=False,
        ws="none",
        timeout_graceful_shutdown=int(graceful) or None,
        timeout_keep_alive=30,
    )


def run(options: ServeOptions, announce: Callable[[str], None], app: Starlette | None = None) -> int:
    """Serve in the foreground until SIGINT/SIGTERM; running streams may finish (graceful shutdown).

    Raises:
        ValueError: ``options.port`` is outside 0-65535.
        qwen_api.listen.ListenError: an ``OSError``: the host does not resolve or the port is in use.
    """
    app = app or build_app(options)
    sockets = listen(options.host, options.port)  # a port in use: ListenError here, not uvicorn's sys.exit
    server = _Uvicorn(
        _config(app, options.host, options.port, options.graceful_seconds), signals=True, announce=announce
    )
    try:
        server.run(sockets=sockets)
    finally:
        close(sockets)
    return 0 if server.started else 1


class RunningGateway:
    """A gateway serving in a thread of this process (:func:`start`, :func:`serve`): its ``url``,
    ``base_url`` for OpenAI clients, and :meth:`stop`."""

    def __init__(self, url: str, app: Starlette, server: _Uvicorn, thread: threading.Thread) -> None:
        self.url = url
        self.app = app
        self._server = server
        self._thread = thread

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: running answers get ``timeout`` seconds to finish, then the server is forced.

        Raises:
            RuntimeError: the server thread did not stop.
        """
        server = self._server
        server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            server.force_exit = True
            self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("the gateway thread did not stop")


def start(
    options: ServeOptions | None = None, *, app: Starlette | None = None, startup_timeout: float = 20.0
) -> RunningGateway:
    """Serve in a daemon thread; returns once the socket accepts connections. The caller must ``stop()``."""
    options = options or ServeOptions(port=0)
    app = app or build_app(options)
    sockets = listen(options.host, options.port)
    server = _Uvicorn(_config(app, options.host, options.port, options.graceful_seconds), signals=False, announce=None)
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, name="qwen-gateway", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.ready.wait(0.05):
        if not thread.is_alive():
            close(sockets)
            raise RuntimeError(f"the gateway failed to start on {options.host}:{options.port}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the gateway did not become ready in time")
    assert server.url is not None
    return RunningGateway(server.url, app, server, thread)


@contextlib.contextmanager
def serve(options: ServeOptions | None = None, *, app: Starlette | None = None) -> Iterator[RunningGateway]:
    """A gateway running for the duration of a ``with`` block (stopped on exit)."""
    running = start(options, app=app)
    try:
        yield running
    finally:
        running.stop()


def parse_keys(values: Sequence[str] | None) -> tuple[str, ...]:
    """The API keys given (``--api-key`` values), empty ones left out."""
    return tuple(v for v in (values or ()) if v)
