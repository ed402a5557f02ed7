"""The ``Qwen`` client: configuration, connection pools and lifecycle; resources hang off it.

One client holds one pooled ``httpx.Client`` (and, once an async method is used, one
``httpx.AsyncClient`` per event loop). Every method exists in a sync and an async form that run
the same plan (see ``_engine``); only the driver differs.
"""

from __future__ import annotations

import contextlib
import copy
import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import _logging, _redaction
from ._auth import TokenManager
from ._compat import build_headers, build_payload, process_aresponse, process_astream, process_response, process_stream
from ._config import (
    ClientConfig,
    ClientSettings,
    check_headers,
    default_auth_base_url,
    resolve_config,
    validate_timeout,
    validate_url,
)
from ._engine import Plan, Policy
from ._headers import HeaderFactory
from ._lifecycle import Lifecycle
from ._limits import ResponseLimits
from ._messages import RecentUploads
from ._pools import _Lifetime, _LoopPool, _SinglePool, check_http_clients, new_async_client, new_sync_client
from ._request_options import RequestOptions, call_scope, current_options, with_request_options
from ._runtime import Runtime
from ._transport import make_timeout, run_async, run_sync
from ._turns import OpenedTurn, TurnContext
from .resources.account import AccountResource
from .resources.chat import Chat
from .resources.chats import Chats
from .resources.completion import Completion
from .resources.images import Images
from .resources.models import ModelCache, Models, resolve_model_plan

if TYPE_CHECKING:
    import httpx

    from .types.chat import ChatMessage, ChatResponse, ChatResponseStream

__all__ = ["Qwen"]

T = TypeVar("T")


class Qwen(ClientSettings):
    """A Qwen Chat client: ``client.chat``, ``client.completion``, ``client.chats``, ``client.images``,
    ``client.models`` and ``client.account``, each method in a sync and an async (``a...``) form.

    Settings come from the arguments, else the environment, else a ``.env`` file in the working
    directory (or ``env_file=``), read only when a value is missing. Use it as a context manager
    (``with Qwen() as client:`` / ``async with``) or call :meth:`close` / :meth:`aclose`, so its
    connection pool is released.

    Args:
        api_key: the account's token (the JWT the web client keeps in ``localStorage.token``).
            Default: ``QWEN_AUTH_TOKEN``. A leading ``Bearer `` is accepted.
        cookie: the browser's whole ``Cookie`` header (anti-bot cookies help on the real service).
            Default: ``QWEN_COOKIE``; without one only ``token=<api_key>`` is sent.
        timeout: seconds allowed to connect and for *each* read, so a stalled answer raises
            :class:`~qwen_api.QwenTimeoutError` instead of hanging. Default 30. Per call:
            ``timeout=`` on any method, or :meth:`with_options`.
        logging_level: level of the ``qwen_api`` logger (``"DEBUG"``, ``logging.INFO``...; the
            root logger is never touched). Default ``"INFO"`` unless the logger was configured.
        save_logs: also write the log to ``qwen_api.log`` (rotated, owner-readable only) in
            ``log_dir``. Default False.
        base_url: the service to talk to. Default: ``QWEN_BASE_URL``, else
            ``https://chat.qwen.ai``. Point it at ``qwen_api.testing.serve().url`` (or
            ``python -m qwen_api.testing``) to work offline against the local server.
        max_retries: how many times a failed request is retried (connection errors, timeouts,
            408/409/429/5xx and retryable service codes), with exponential backoff and jitter and
            ``Retry-After`` honoured; never after part of a streamed answer was handed out.
            ``None`` (the default) means 2; ``0`` turns retries off.
        default_headers: headers added to every request to the service (storage uploads excepted).
        http_client: an ``httpx.Client`` (or ``httpx.AsyncClient``) to send through, for proxies,
            certificates or a custom transport; the SDK never closes a client it was given.
        async_http_client: an ``httpx.AsyncClient`` for the async methods.
        log_level: same as ``logging_level`` (wins when both are given).
        refresh_token: a refresh token; the short-lived access token is then renewed before it
            expires and once after a refusal. Default: ``QWEN_REFRESH_TOKEN``, else the cookie's
            ``refresh_token=``.
        auth_base_url: where tokens are refreshed. Default: ``QWEN_AUTH_BASE_URL``, else
            ``https://auth.qwen.ai``.
        log_dir: folder for ``save_logs``. Default: ``QWEN_LOG_DIR``, else ``./logs``.
        on_token_refresh: ``callback(access_token, refresh_token)`` called after every renewal,
            to store the new tokens.
        total_timeout: seconds for a whole call -- connecting, retries, the wait for the first
            chunk and iterating the stream -- after which it raises
            :class:`~qwen_api.QwenTimeoutError`. Default None (no bound, so long image generations
            keep working).
        limits: a :class:`~qwen_api.ResponseLimits` capping one SSE event or line, one JSON body
            and the decompressed size of an answer; going over raises
            :class:`~qwen_api.QwenResponseTooLargeError`. Default: ``ResponseLimits()``.
        env_file: the ``.env`` file to read instead of the working directory's one. A ``.env``
            never supplies a host (``QWEN_BASE_URL``...) unless it also supplies the token.

    Raises:
        QwenAuthenticationError: no token was given or found (nothing is sent).
        TypeError: an argument has the wrong type (``http_client`` not an httpx client...).
        ValueError: an argument has an unusable value (a ``base_url`` without ``http(s)://``,
            a negative ``max_retries``, a ``timeout`` <= 0, a credential or header value with a
            line break or a character HTTP headers cannot carry: the message names the argument,
            never the value).

    After :meth:`close`, calls (and streams still open) raise :class:`~qwen_api.QwenClientClosedError`.

    Other environment variables: ``QWEN_BX_UA`` / ``QWEN_BX_UMIDTOKEN`` (anti-bot headers copied
    from a browser, passed through), ``QWEN_FRONTEND_VERSION`` (the web client's version header),
    ``QWEN_OSS_ENDPOINT`` (another storage endpoint for uploads).
    """

    chat: Chat
    completion: Completion
    models: Models
    chats: Chats
    images: Images
    account: AccountResource

    _one_async_pool = False
    """True for the core of an ``AsyncQwen``: one async pool, made on first use, instead of one per loop."""

    def __init__(
        self,
        api_key: str | None = None,
        cookie: str | None = None,
        timeout: float = 30,
        logging_level: str | int | None = _logging.DEFAULT_LEVEL,
        save_logs: bool = False,
        *,
        base_url: str | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        log_level: str | int | None = None,
        refresh_token: str | None = None,
        auth_base_url: str | None = None,
        log_dir: str | os.PathLike[str] | None = None,
        on_token_refresh: Callable[[str, str | None], None] | None = None,
        total_timeout: float | None = None,
        limits: ResponseLimits | None = None,
        env_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if not isinstance(save_logs, bool):
            raise TypeError(f"save_logs must be True or False, got {type(save_logs).__name__}")
        self._config: ClientConfig = resolve_config(
            api_key=api_key,
            cookie=cookie,
            base_url=base_url,
            auth_base_url=auth_base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            refresh_token=refresh_token,
            total_timeout=total_timeout,
            env_file=env_file,
            limits=limits,
        )
        _redaction.secrets.add(self._config.api_key, self._config.refresh_token)
        _redaction.secrets.add_cookie(self._config.cookie)
        _logging.configure(log_level if log_level is not None else logging_level, save_logs, log_dir)
        self._headers = HeaderFactory(self._config)
        if on_token_refresh is not None and not callable(on_token_refresh):
            raise TypeError("on_token_refresh must be a callable taking (access_token, refresh_token)")
        self._auth = TokenManager(self._config, on_token_refresh)
        self._policy = Policy(self._config.max_retries, self._auth)
        self._timeout = make_timeout(self._config.timeout)  # on every request, also through an injected client

        http_client, async_http_client = check_http_clients(http_client, async_http_client)
        self._owns_sync = http_client is None
        self._sync_client: httpx.Client | None = http_client
        pool_timeout = self._timeout  # the factories below must not hold `self` (see _Lifetime)
        pool_type = _SinglePool if self._one_async_pool else _LoopPool
        self._async_pool: _LoopPool | _SinglePool = pool_type(
            lambda: new_async_client(pool_timeout), given=async_http_client
        )
        self._storage_client: httpx.Client | None = None
        self._astorage_pool: _LoopPool | _SinglePool = pool_type(lambda: new_async_client(pool_timeout, storage=True))
        self._owned_sync: list[httpx.Client] = []
        self._lifetime = _Lifetime(self._owned_sync, self._async_pool, self._astorage_pool)
        self._lock = threading.Lock()
        self._lifecycle = Lifecycle(self._release)
        self._copy_closed = False  # only ever set on a with_options() copy (its close() leaves the pools)
        self._model_cache = ModelCache()
        self._recent_uploads = RecentUploads()
        self._root: Qwen = self  # the client that owns the pools; copies (with_options) share them
        self._attach_resources()

    def _attach_resources(self) -> None:
        runtime = Runtime(
            config=self._config,
            headers=self._headers,
            policy=self._policy,
            auth=self._auth,
            model_cache=self._model_cache,
            recent_uploads=self._recent_uploads,
            run=self._run_sync,
            arun=self._run_async,
            scope=self._scope,
        )
        self._runtime = runtime
        self.chat = Chat(runtime)
        self.completion = Completion(runtime)
        self.models = Models(runtime)
        self.chats = Chats(runtime)
        self.images = Images(runtime)
        self.account = AccountResource(runtime)
        models = self.models
        runtime.turn_ctx = TurnContext(
            self._config, self._headers, lambda model: resolve_model_plan(models, model), self._policy
        )

    # -- transports ---------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._root is not self:
            return self._root._http()
        client = self._sync_client
        if client is None:
            with self._lock:
                if self._sync_client is None:
                    self._sync_client = new_sync_client(self._timeout)
                    self._owned_sync.append(self._sync_client)
                client = self._sync_client
        return client

    def _ahttp(self) -> httpx.AsyncClient:
        return self._async_pool.get()

    @property
    def _async_client(self) -> httpx.AsyncClient | None:
        return self._async_pool.client

    def _astorage_http(self) -> httpx.AsyncClient:
        """A bare async client for object storage (see :meth:`_storage_http`)."""
        return self._astorage_pool.get()

    @property
    def _astorage_client(self) -> httpx.AsyncClient | None:
        return self._astorage_pool.client

    def _storage_http(self) -> httpx.Client:
        """A bare client for object storage: no cookies, no auth, no browser headers."""
        if self._root is not self:
            return self._root._storage_http()
        if self._storage_client is None:
            with self._lock:
                if self._storage_client is None:
                    self._storage_client = new_sync_client(self._timeout, storage=True)
                    self._owned_sync.append(self._storage_client)
        return self._storage_client

    def _run_sync(self, plan: Plan[T]) -> T:
        plan, timeout, lease = self._begin(plan)
        config = self._config
        try:
            result = run_sync(
                plan,
                self._http(),
                self._storage_http,
                self._auth,
                timeout,
                total_timeout=config.total_timeout,
                limits=config.limits,
                lifecycle=lease,
            )
        except BaseException:
            lease.leave()
            raise
        return self._hand_over(result, lease)

    async def _run_async(self, plan: Plan[T]) -> T:
        plan, timeout, lease = self._begin(plan)
        config = self._config
        try:
            result = await run_async(
                plan,
                self._ahttp(),
                self._astorage_http,
                self._auth,
                timeout,
                total_timeout=config.total_timeout,
                limits=config.limits,
                lifecycle=lease,
            )
        except BaseException:
            lease.leave()
            raise
        return self._hand_over(result, lease)

    def _begin(self, plan: Plan[T]) -> tuple[Plan[T], httpx.Timeout, Lifecycle]:
        """What both shells do before running a plan: refuse a closed client, apply this call's
        options (``timeout=``, extra headers/query/body), and enter the client's lifecycle."""
        self._check_open()
        timeout, options = self._timeout, current_options(self)
        if options is not None:
            plan = with_request_options(plan, options)
            timeout = options.timeout or timeout
        return plan, timeout, self._root._lifecycle.enter()

    @staticmethod
    def _hand_over(result: T, lease: Lifecycle) -> T:
        """A call that returns an open stream stays in progress until that stream is closed."""
        if isinstance(result, OpenedTurn) and not result.assembler.ended:
            result.lease = lease
        else:
            lease.leave()
        return result

    def _scope(self, options: RequestOptions | None) -> contextlib.AbstractContextManager[None]:
        """Within the block, this client's requests carry ``options`` (merged over any outer ones)."""
        return call_scope(self, options)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> Qwen:
        """A copy of this client with some settings changed, sharing its connection pools.

        Cheap (no new pool, no credential lookup), so ``client.with_options(timeout=5).chat.create(...)``
        is fine per call. Each argument left as None keeps this client's value; ``default_headers``
        are merged over this client's. Closing the copy does nothing to the pools; closing the
        original closes them for every copy.

        Raises ``TypeError`` / ``ValueError`` for an invalid value, as the constructor does.
        """
        config = self._config
        changes: dict[str, object] = {}
        if timeout is not None:
            changes["timeout"] = validate_timeout(timeout)
        if max_retries is not None:
            if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
                raise ValueError(f"max_retries must be an integer >= 0, got {max_retries!r}")
            changes["max_retries"] = max_retries
        if default_headers is not None:
            changes["default_headers"] = {**config.default_headers, **check_headers("default_headers", default_headers)}
        auth = self._auth
        if base_url is not None:
            changes["base_url"] = validate_url("base_url", base_url)
            if config.auth_base_url == default_auth_base_url(config.base_url):  # no auth host was set
                changes["auth_base_url"] = default_auth_base_url(str(changes["base_url"]))
        copied = copy.copy(self)
        copied._config = attrs.evolve(config, **changes)  # type: ignore[arg-type]
        if base_url is not None and copied._config.base_url != config.base_url:
            # Another service: the credentials go to its host (the token manager sends them to one
            # host only) and are renewed at its auth host, by a token manager of the copy's own.
            auth = TokenManager(
                attrs.evolve(copied._config, api_key=auth.access_token, refresh_token=auth.refresh_token),
                auth.on_refresh,
            )
            copied._auth = auth
        copied._headers = HeaderFactory(copied._config)
        copied._policy = Policy(copied._config.max_retries, auth)
        copied._timeout = make_timeout(copied._config.timeout)
        if "base_url" in changes:
            copied._model_cache = ModelCache()  # another server, another model list
        copied._copy_closed = False
        copied._attach_resources()
        return copied

    copy = with_options
    """Same as :meth:`with_options` (the name openai-python also offers)."""

    @property
    def _closed(self) -> bool:
        return self._copy_closed or self._root._lifecycle.closed

    def _check_open(self) -> None:
        if self._closed:
            raise Lifecycle.error()

    # -- the older SDK's documented helpers (see _compat) ---------------------------------------

    def _build_headers(self) -> dict[str, str]:
        """The headers a request carries (browser-like set, ``Authorization`` and ``Cookie``)."""
        return build_headers(self._runtime)

    def _build_payload(
        self,
        messages: Sequence[ChatMessage | dict[str, Any]],
        temperature: float | None = 0.7,
        model: str = "qwen-max-latest",
        max_tokens: int | None = None,
    ) -> dict[str, Any]:
        """The completion request body for ``messages`` (``chat_id`` is set once the chat exists)."""
        return build_payload(self._runtime, messages, temperature, model, max_tokens)

    def _process_response(self, response: httpx.Response) -> ChatResponse:
        """A completion ``httpx`` response, read whole, as a :class:`ChatResponse` (errors raised typed)."""
        return process_response(response)

    async def _process_aresponse(self, response: httpx.Response, session: Any = None) -> ChatResponse:
        return await process_aresponse(response)

    def _process_stream(self, response: httpx.Response) -> Iterator[ChatResponseStream]:
        """A streamed completion ``httpx`` response as typed chunks; the response is closed at the end."""
        return process_stream(response)

    def _process_astream(self, response: httpx.Response, session: Any = None) -> AsyncIterator[ChatResponseStream]:
        return process_astream(response)

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the client: new calls raise ``QwenClientClosedError``, calls and streams in progress
        stop at their next read with the same error, and the connection pools (only the ones this
        client created) are released once none of them is using a connection any more.

        On a :meth:`with_options` copy it only marks the copy closed: the pools are the original's.
        """
        if self._root is not self:  # a with_options() copy: the pools are the original's
            self._copy_closed = True
            return
        if self._lifecycle.close():
            self._release()

    def _release(self) -> None:
        if self._storage_client is not None:
            self._storage_client.close()
        if self._sync_client is not None and self._owns_sync:
            self._sync_client.close()
        self._async_pool.close()
        self._astorage_pool.close()

    async def aclose(self) -> None:
        """Async :meth:`close`: also closes the async pools cleanly on the running event loop."""
        if self._root is not self:
            self._copy_closed = True
            return
        if not self._lifecycle.close():
            return  # calls in progress: the last one to finish releases the pools
        await self._astorage_pool.aclose()
        if self._storage_client is not None:
            self._storage_client.close()
        await self._async_pool.aclose()
        if self._sync_client is not None and self._owns_sync:
            self._sync_client.close()

    def cancel(self) -> None:
        """Name kept from the older SDK: same as :meth:`close`."""
        self.close()

    def __enter__(self) -> Qwen:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Qwen:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


def client_for(
    config: ClientConfig,
    *,
    http_client: httpx.Client | None = None,
    on_token_refresh: Callable[[str, str | None], None] | None = None,
) -> Qwen:
    """A ``Qwen`` with exactly the settings of ``config`` (the CLI and ``qwen doctor`` resolve them first);
    logging is left as the caller configured it."""
    return Qwen(
        api_key=config.api_key,
        cookie=config.cookie,
        base_url=config.base_url,
        auth_base_url=config.auth_base_url,
        timeout=config.timeout,
        max_retries=config.max_retries,
        default_headers=config.default_headers,
        refresh_token=config.refresh_token,
        http_client=http_client,
        logging_level=None,
        on_token_refresh=on_token_refresh,
    )
