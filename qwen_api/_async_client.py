"""``AsyncQwen``: the client for async programs, like ``httpx.AsyncClient`` / ``openai.AsyncOpenAI``.

It holds a private :class:`~qwen_api.Qwen` core whose async pool is one ``httpx.AsyncClient``, made
on the loop of the first call (no per-loop tracking), and exposes that core's async methods under
their plain names (``await client.chat.create(...)``) through the generated facades of
``resources/_async.py``: the requests, retries and streams are the very same code as ``Qwen``'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from . import _logging
from ._config import ClientSettings
from ._limits import ResponseLimits
from ._pools import check_async_http_client
from ._runtime import runtime_of
from .client import Qwen
from .resources._async import AsyncAccount, AsyncChat, AsyncChats, AsyncCompletion, AsyncImages, AsyncModels

if TYPE_CHECKING:
    import httpx

__all__ = ["AsyncQwen"]


class _AsyncCore(Qwen):
    """The ``Qwen`` behind an ``AsyncQwen``: one async pool for the client's lifetime."""

    _one_async_pool = True


class AsyncQwen(ClientSettings):
    """A Qwen Chat client for async code: ``await client.chat.create(...)``, ``client.completion``,
    ``client.chats``, ``client.images``, ``client.models`` and ``client.account``.

    Takes the same arguments as :class:`~qwen_api.Qwen` (``http_client`` is an ``httpx.AsyncClient``
    here) and raises the same errors. Use it as ``async with AsyncQwen() as client:`` or await
    :meth:`aclose`, so its connection pool is released. Its pool is made by the first call and
    belongs to that call's event loop, which closes it when it shuts down (so successive
    ``asyncio.run`` calls each get a fresh pool); using it from a second loop while the first is
    still open raises ``RuntimeError``: use one ``AsyncQwen`` per loop (``Qwen``'s ``a...``
    methods serve any number of loops).

    The sections below are copied from ``Qwen``'s docstring by ``scripts/generate_async_client_doc.py``.

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
        http_client: an ``httpx.AsyncClient`` to send through, for proxies, certificates or a
            custom transport; the SDK never closes a client it was given.
        async_http_client: the same as ``http_client`` (the name ``Qwen`` uses for its async pool);
            give one of them, not both.
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

    _display_name = "AsyncQwen"

    chat: AsyncChat
    completion: AsyncCompletion
    models: AsyncModels
    chats: AsyncChats
    images: AsyncImages
    account: AsyncAccount

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
        http_client: httpx.AsyncClient | None = None,
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
        http_client = check_async_http_client(http_client)
        self._attach(
            _AsyncCore(
                api_key,
                cookie,
                timeout,
                logging_level,
                save_logs,
                base_url=base_url,
                max_retries=max_retries,
                default_headers=default_headers,
                http_client=http_client,
                async_http_client=async_http_client,
                log_level=log_level,
                refresh_token=refresh_token,
                auth_base_url=auth_base_url,
                log_dir=log_dir,
                on_token_refresh=on_token_refresh,
                total_timeout=total_timeout,
                limits=limits,
                env_file=env_file,
            )
        )

    def _attach(self, core: Qwen) -> None:
        self._core = core
        self._config = runtime_of(core).config
        self.chat = AsyncChat(core.chat)
        self.completion = AsyncCompletion(core.completion)
        self.models = AsyncModels(core.models)
        self.chats = AsyncChats(core.chats)
        self.images = AsyncImages(core.images)
        self.account = AsyncAccount(core.account)

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> AsyncQwen:
        """A copy with some settings changed, sharing this client's pool (see :meth:`Qwen.with_options`)."""
        copied = object.__new__(AsyncQwen)
        copied._attach(
            self._core.with_options(
                timeout=timeout, max_retries=max_retries, default_headers=default_headers, base_url=base_url
            )
        )
        return copied

    copy = with_options
    """Same as :meth:`with_options` (the name openai-python also offers)."""

    async def aclose(self) -> None:
        """Close the client: new calls raise ``QwenClientClosedError``, calls and streams in progress
        stop at their next read, and the pool (unless it was given) is closed once none uses it.
        On a :meth:`with_options` copy it only marks the copy closed."""
        await self._core.aclose()

    async def close(self) -> None:
        """Same as :meth:`aclose` (``openai.AsyncOpenAI`` names it ``close``)."""
        await self._core.aclose()

    async def __aenter__(self) -> AsyncQwen:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._core.aclose()
