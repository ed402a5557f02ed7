"""The conversation map: which upstream chat (and which answer in it) a message history continues.

An OpenAI client resends the whole history every turn. When a history extends one this gateway
answered -- the same messages up to one of our answers, then new messages -- the turn continues
that upstream chat from that answer (``parent_id``) and sends only the new messages. An edited or
regenerated turn matches a shorter prefix, so it branches from the answer before it, in the same
chat. Anything else starts one new chat that carries the transcript.

Keys are chained hashes of the messages (role and text), taken after each assistant message, so a
lookup walks the history once. The map sits behind :class:`ConversationStore`: bounded memory with
expiry by default, SQLite with ``--state FILE`` so a restart keeps sessions; a shared store (Redis)
would let several gateway processes share it, and nothing else assumes a single process.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import attrs

__all__ = ["ConversationStore", "Link", "MemoryStore", "SqliteStore", "find_continuation", "prefix_keys"]


@attrs.frozen
class Link:
    """Where a history ends upstream: the account that owns the chat, the chat, the answer to continue."""

    account: str
    chat_id: str
    response_id: str
    model: str


class ConversationStore(Protocol):
    """Where the gateway remembers which upstream chat continues a history (memory or SQLite)."""

    def get(self, key: str) -> Link | None:
        """The link stored under ``key``, or None (also once it expired)."""

    def put(self, key: str, link: Link) -> None:
        """Store ``link`` under ``key`` (replacing an older one)."""

    def close(self) -> None:
        """Release the store (the SQLite connection)."""


def _next(previous: str, role: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\x1e{role}\x1e{text}".encode("utf-8", "surrogatepass")).hexdigest()


def prefix_keys(keys: Sequence[tuple[str, str]], scope: str = "") -> list[str]:
    """The chained key after each message (``keys`` are (role, identifying text) pairs).

    ``scope`` separates clients (one per API key): the same history sent with two keys never
    continues the other key's chat."""
    out: list[str] = []
    current = "qwen-gateway-v1:" + scope
    for role, text in keys:
        current = _next(current, role, text)
        out.append(current)
    return out


def answered_key(history: Sequence[tuple[str, str]], answer: str, scope: str = "") -> str:
    """The key a later request will find: the history this answer closed, then the answer itself."""
    chain = prefix_keys([*history, ("assistant", answer.strip())], scope)
    return chain[-1]


def find_continuation(
    store: ConversationStore, messages: Sequence[tuple[str, str]], scope: str = ""
) -> tuple[Link, int] | None:
    """The longest prefix ending in an answer we gave, and how many messages it covers."""
    chain = prefix_keys(messages, scope)
    for index in range(len(messages) - 1, -1, -1):
        if messages[index][0] != "assistant":
            continue
        link = store.get(chain[index])
        if link is not None:
            return link, index + 1
    return None


class MemoryStore:
    """At most ``limit`` links, each forgotten ``ttl`` seconds after it was last written or used."""

    def __init__(self, limit: int = 10_000, ttl: float = 24 * 3600.0) -> None:
        self._items: OrderedDict[str, tuple[Link, float]] = OrderedDict()
        self._limit = limit
        self._ttl = ttl
        self._lock = threading.Lock()

    def get(self, key: str) -> Link | None:
        """The link under ``key`` unless expired; a hit renews its time to live."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            link, expires = item
            if expires < time.monotonic():
                del self._items[key]
                return None
            self._items[key] = (link, time.monotonic() + self._ttl)
            self._items.move_to_end(key)
            return link

    def put(self, key: str, link: Link) -> None:
        """Store ``link``; the least recently used entries go beyond the size limit."""
        with self._lock:
            self._items[key] = (link, time.monotonic() + self._ttl)
            self._items.move_to_end(key)
            while len(self._items) > self._limit:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def close(self) -> None:
        """Forget every link."""
        self._items.clear()


class SqliteStore:
    """The same map in a SQLite file, so sessions survive a restart (expired rows are pruned on write)."""

    def __init__(self, path: str | Path, ttl: float = 7 * 24 * 3600.0) -> None:
        self._ttl = ttl
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS links (key TEXT PRIMARY KEY, account TEXT NOT NULL, chat_id TEXT NOT NULL,"
            " response_id TEXT NOT NULL, model TEXT NOT NULL, expires REAL NOT NULL)"
        )
        self._writes = 0

    def get(self, key: str) -> Link | None:
        """The link under ``key`` unless expired."""
        with self._lock:
            row = self._db.execute(
                "SELECT account, chat_id, response_id, model FROM links WHERE key = ? AND expires > ?",
                (key, time.time()),
            ).fetchone()
        return Link(*row) if row else None

    def put(self, key: str, link: Link) -> None:
        """Store ``link``; every 1000 writes the expired rows are deleted."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?)",
                (key, link.account, link.chat_id, link.response_id, link.model, time.time() + self._ttl),
            )
            self._writes += 1
            if self._writes % 1000 == 0:
                self._db.execute("DELETE FROM links WHERE expires <= ?", (time.time(),))

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()
