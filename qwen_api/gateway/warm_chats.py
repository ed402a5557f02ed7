"""Chats created ahead of need (``qwen serve --warm-chats``), so a new conversation's first token
does not wait for ``chats/new``.

A new conversation costs two upstream round trips before its first token: ``chats/new`` for a chat
id, then the answer. With warm chats, once an account has started a conversation on a model, the
gateway keeps one more chat created ahead for that account and model, hands it to the next new
conversation there, and creates the next one in the background. So at most one unused chat per
account and model exists upstream; one older than ``max_age`` is deleted instead of used, and the
unused ones are deleted at shutdown.

Off by default: the chats made ahead show in the account's chat list until a conversation uses
them, and a session that starts one conversation would send a second ``chats/new`` for nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from qwen_api import QwenAPIError

from .accounts import Account

__all__ = ["WarmChats"]

logger: logging.Logger = logging.getLogger("qwen_api.gateway")

#: Seconds a chat made ahead may wait for its conversation; an older one is deleted, not used.
DEFAULT_MAX_AGE = 300.0
#: (account, model) pairs kept warm at most: a client cycling through model ids cannot make the
#: gateway create chats without bound.
DEFAULT_MAX_KEYS = 64
#: Seconds the shutdown waits for the deletion of unused chats.
CLOSE_SECONDS = 5.0


class WarmChats:
    """One chat made ahead per (account, model) that has started a conversation."""

    def __init__(
        self,
        *,
        max_age: float = DEFAULT_MAX_AGE,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
        on_event: Callable[[str], None] | None = None,
    ) -> None:
        self.max_age = max_age
        self.max_keys = max_keys
        self._clock = clock
        self._on_event = on_event or (lambda outcome: None)
        self._ready: dict[tuple[str, str], tuple[Account, str, float]] = {}
        """(account name, model) -> (the account, the chat made ahead, when it was made)."""
        self._filling: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._deleting: set[asyncio.Task[None]] = set()
        self._closed = False

    def take(self, account: Account, model: str) -> str | None:
        """The chat made ahead for ``account`` and ``model``, or None; either way the next one is started."""
        key = (account.name, model)
        entry = self._ready.pop(key, None)
        self._fill(account, model)
        if entry is None:
            return None
        _, chat_id, made = entry
        if self._clock() - made > self.max_age:
            self._delete(account, chat_id, "expired")
            return None
        self._on_event("used")
        return chat_id

    def unused(self) -> int:
        """Chats made ahead and not used yet."""
        return len(self._ready)

    def _fill(self, account: Account, model: str) -> None:
        key = (account.name, model)
        if self._closed or key in self._filling:
            return
        if key not in self._ready and len(self._ready) + len(self._filling) >= self.max_keys:
            return
        task = asyncio.ensure_future(self._make(account, model))
        self._filling[key] = task
        task.add_done_callback(lambda _: self._filling.pop(key, None))

    async def _make(self, account: Account, model: str) -> None:
        try:
            conversation = await account.client.chats.anew(model=model)
        except Exception as error:  # never an unretrieved task error; the next take tries again
            # (a blocked or limited account is routine; anything else is a bug worth a warning)
            level = logging.INFO if isinstance(error, QwenAPIError) else logging.WARNING
            logger.log(level, "making a chat ahead for %s failed: %s", account.name, type(error).__name__)
            self._on_event("failed")
            return
        key = (account.name, model)
        if self._closed or key in self._ready:  # closed meanwhile, or another one came first
            self._delete(account, conversation.chat_id, "discarded")
            return
        self._ready[key] = (account, conversation.chat_id, self._clock())
        self._on_event("made")

    def _delete(self, account: Account, chat_id: str, outcome: str) -> None:
        self._on_event(outcome)
        task = asyncio.ensure_future(self._adelete(account, chat_id))
        self._deleting.add(task)
        task.add_done_callback(self._deleting.discard)

    @staticmethod
    async def _adelete(account: Account, chat_id: str) -> None:
        try:
            await account.client.chats.adelete(chat_id)
        except QwenAPIError as error:
            logger.info("deleting an unused chat of %s failed: %s", account.name, type(error).__name__)

    async def idle(self, timeout: float | None = None) -> None:
        """Until no chat is being made or deleted (or ``timeout`` seconds passed)."""
        while self._filling or self._deleting:
            pending: list[asyncio.Task[None]] = [*self._filling.values(), *self._deleting]
            _done, late = await asyncio.wait(pending, timeout=timeout)
            if late:
                return

    async def aclose(self) -> None:
        """Stop making chats and delete the unused ones (waiting at most about ``CLOSE_SECONDS``)."""
        self._closed = True
        await self.idle(CLOSE_SECONDS)  # a chat still being made is deleted when it arrives
        for account, chat_id, _made in list(self._ready.values()):
            self._delete(account, chat_id, "discarded")
        self._ready.clear()
        await self.idle(CLOSE_SECONDS)
        for task in [*self._filling.values(), *self._deleting]:
            task.cancel()
