"""Everything the local server remembers, kept in plain attrs objects so tests can assert on it.

The app mutates this state on its event-loop thread; tests read it from theirs. Each mutation is a
single append or assignment, which the GIL makes atomic, so no lock is needed for reading a
consistent-enough view after a request has completed.
"""

from __future__ import annotations

import time
from typing import Any

import attrs

from .faults import FaultRule
from .script import ScriptedAnswer

__all__ = [
    "Chat",
    "OssRequest",
    "ParseJob",
    "RecordedRequest",
    "ServerState",
    "StsGrant",
    "Turn",
    "Upload",
]


@attrs.define
class RecordedRequest:
    """One request as it arrived: headers lower-cased, JSON body parsed (None when not JSON)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    fault: str | None = None
    size: int = 0
    """The body's size in bytes (``json`` is None for a body over :data:`RECORD_BODY_LIMIT`)."""


@attrs.define
class Turn:
    """One completion on a chat: which parent the client sent and what the server assigned."""

    requested_parent_id: str | None
    expected_parent_id: str | None
    user_message_id: str
    response_id: str
    prompt: str
    answer: str
    user_action: str = "chat"

    @property
    def parent_ok(self) -> bool:
        """Whether the client linked this turn to the chat's latest answer (None on a first turn)."""
        return self.requested_parent_id == self.expected_parent_id


@attrs.define
class Chat:
    """A conversation: its message tree (``messages`` keyed by id, linked by parentId/childrenIds)."""

    id: str
    title: str
    chat_type: str
    models: list[str]
    created_at: int
    updated_at: int
    messages: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    current_id: str | None = None
    turns: list[Turn] = attrs.field(factory=list)
    pinned: bool = False
    size: int = 0
    """Roughly the bytes this chat holds (title, prompts, answers): what :data:`CHATS_BYTES_LIMIT` counts."""

    @property
    def parent_chain(self) -> list[str]:
        """Message ids from the root to ``current_id`` (the path the chat view shows)."""
        chain: list[str] = []
        cursor = self.current_id
        while cursor is not None and cursor in self.messages and cursor not in chain:
            chain.append(cursor)
            cursor = self.messages[cursor].get("parentId")
        return chain[::-1]


@attrs.define
class StsGrant:
    """An upload grant from ``getstsToken``; the OSS endpoint verifies requests against it."""

    access_key_id: str
    access_key_secret: str
    security_token: str
    bucket: str
    region: str
    file_id: str
    file_path: str
    filename: str
    filetype: str
    filesize: int | None
    expires_at: float

    @property
    def expired(self) -> bool:
        return time.time() > self.expires_at


@attrs.define
class Upload:
    """An object stored through the OSS endpoint (bytes on disk only when ``storage_dir`` is set)."""

    bucket: str
    key: str
    size: int
    md5: str
    content_type: str
    verdict: str
    declared_size: int | None = None
    path: str | None = None


@attrs.define
class OssRequest:
    """Every request to the storage endpoint, accepted or not, with the verifier's verdict."""

    method: str
    bucket: str
    key: str
    headers: dict[str, str]
    verdict: str
    signature_version: str | None
    saw_chat_credentials: bool
    size: int = 0


@attrs.define
class ParseJob:
    """A document being parsed: ``polls_left`` status polls until it is done."""

    file_id: str
    polls_left: int


RECORD_LIMIT = 10_000
"""Recorded requests kept per list; older ones are dropped so a long-running server stays bounded."""

RECORD_BODY_LIMIT = 1024 * 1024
"""A recorded request keeps its parsed body only up to this size (its ``size`` is always kept)."""

RECORD_BYTES_LIMIT = 64 * 1024 * 1024
"""The bodies kept across all recorded requests; the oldest are dropped beyond it."""


CHATS_BYTES_LIMIT = 32 * 1024 * 1024
"""The text kept across all chats; the oldest chats are forgotten beyond it (as if deleted
on another device: their ids answer "not found"), so a client cannot grow the server without bound."""

MESSAGE_OVERHEAD = 1024
"""What one stored message costs besides its text (ids, timestamps, the message dict)."""


def _keep_recent(records: list[Any], limit: int) -> None:
    if len(records) > limit:
        del records[: len(records) - limit]


@attrs.define
class ServerState:
    """The server's memory. ``attempts`` counts requests per fault key (header value or rule key).

    ``requests`` and ``oss_requests`` keep the newest :data:`RECORD_LIMIT` entries (``record_limit``).
    """

    requests: list[RecordedRequest] = attrs.field(factory=list)
    chats: dict[str, Chat] = attrs.field(factory=dict)
    deleted_chats: set[str] = attrs.field(factory=set)
    uploads: dict[str, Upload] = attrs.field(factory=dict)
    oss_requests: list[OssRequest] = attrs.field(factory=list)
    grants: dict[str, StsGrant] = attrs.field(factory=dict)
    parse_jobs: dict[str, ParseJob] = attrs.field(factory=dict)
    attempts: dict[str, int] = attrs.field(factory=dict)
    refresh_count: int = 0
    refresh_tokens: set[str] = attrs.field(factory=set)
    fault_rules: list[FaultRule] = attrs.field(factory=list)
    stopped_responses: set[str] = attrs.field(factory=set)
    tasks: dict[str, str] = attrs.field(factory=dict)
    record_limit: int = RECORD_LIMIT
    chats_bytes_limit: int = CHATS_BYTES_LIMIT
    chat_bytes: int = 0
    """What the kept chats hold together (see :meth:`chat_grew`)."""
    scripted: list[ScriptedAnswer] = attrs.field(factory=list)
    """Queued scripted answers (see :mod:`.script`), taken one per completion."""

    def record(self, request: RecordedRequest) -> None:
        """Keep a request (the newest ``record_limit`` are kept)."""
        if request.size > RECORD_BODY_LIMIT:
            request.json = None
        self.requests.append(request)
        _keep_recent(self.requests, self.record_limit)
        kept = sum(r.size for r in self.requests if r.json is not None)
        while kept > RECORD_BYTES_LIMIT and len(self.requests) > 1:
            dropped = self.requests.pop(0)
            if dropped.json is not None:
                kept -= dropped.size

    def add_chat(self, chat: Chat) -> None:
        """Keep a new chat (counted against :data:`CHATS_BYTES_LIMIT`)."""
        self.chats[chat.id] = chat
        self.chat_grew(chat, len(chat.title) + MESSAGE_OVERHEAD)

    def chat_grew(self, chat: Chat, size: int) -> None:
        """``chat`` holds ``size`` more bytes: the oldest other chats are forgotten while all chats
        together hold more than the limit."""
        chat.size += size
        self.chat_bytes += size
        if self.chat_bytes <= self.chats_bytes_limit:
            return
        for chat_id in list(self.chats):  # oldest first; never the chat being written to
            if self.chat_bytes <= self.chats_bytes_limit:
                break
            if chat_id != chat.id:
                self.chat_bytes -= self.chats.pop(chat_id).size

    def forget_chat(self, chat_id: str) -> Chat | None:
        """Remove a chat (deleted by the client); its bytes no longer count."""
        chat = self.chats.pop(chat_id, None)
        if chat is not None:
            self.chat_bytes -= chat.size
        return chat

    def record_oss(self, request: OssRequest) -> None:
        """Keep a storage request (the newest ``record_limit`` are kept)."""
        self.oss_requests.append(request)
        _keep_recent(self.oss_requests, self.record_limit)

    @property
    def oss_saw_chat_credentials(self) -> bool:
        """True if any storage request carried a chat credential (Bearer, ``token`` cookie, ``bx-*``)."""
        return any(request.saw_chat_credentials for request in self.oss_requests)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        """The recorded requests for one path (and method), oldest first."""
        return [r for r in self.requests if r.path == path and (method is None or r.method == method)]
