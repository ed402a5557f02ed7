"""Server-side conversations: summaries in the list, and one chat with its messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._serialize import Serializable
from .params import JSONObject, JSONValue

__all__ = ["ChatDetail", "ChatHistoryMessage", "ChatSummary"]


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _i(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@attrs.define(slots=True)
class ChatSummary(Serializable):
    """A chat as listed by ``client.chats.list()``: id, title, type and times."""

    id: str
    title: str | None = None
    chat_type: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    pinned: bool = False
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> ChatSummary:
        """Build from one item of the chat list (unknown fields stay in ``raw``)."""
        return cls(
            str(raw["id"]),
            _s(raw.get("title")),
            _s(raw.get("chat_type")),
            _i(raw.get("created_at")),
            _i(raw.get("updated_at")),
            raw.get("pinned") is True,
            dict(raw),
        )


@attrs.define(slots=True)
class ChatHistoryMessage(Serializable):
    """One message of a chat's history (user turn or answer)."""

    id: str
    role: str
    content: str
    parent_id: str | None = None
    reasoning_content: str | None = None
    model: str | None = None
    timestamp: int | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> ChatHistoryMessage:
        """Build from one message of a chat's history (unknown fields stay in ``raw``)."""
        content = raw.get("content")
        text = content if isinstance(content, str) else ""
        reasoning = _s(raw.get("reasoning_content"))
        parts = raw.get("content_list")
        if not text and isinstance(parts, list):
            answer = [
                p.get("content", "") for p in parts if isinstance(p, Mapping) and p.get("phase") in (None, "answer")
            ]
            text = "".join(a for a in answer if isinstance(a, str))
        return cls(
            str(raw.get("id", "")),
            str(raw.get("role", "")),
            text,
            _s(raw.get("parentId")) or _s(raw.get("parent_id")),
            reasoning,
            _s(raw.get("model")),
            _i(raw.get("timestamp")),
            dict(raw),
        )


@attrs.define(slots=True)
class ChatDetail(Serializable):
    """A chat and its messages, in conversation order (following the current branch)."""

    id: str
    title: str | None = None
    chat_type: str | None = None
    messages: list[ChatHistoryMessage] = attrs.field(factory=list)
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> ChatDetail:
        """Build from the chat detail object (unknown fields stay in ``raw``)."""
        chat = _mapping(raw.get("chat"))
        history = _mapping(chat.get("history"))
        tree = _mapping(history.get("messages"))
        messages = [ChatHistoryMessage.from_wire(m) for m in tree.values() if isinstance(m, Mapping)]
        by_id = {m.id: m for m in messages}
        current = _s(history.get("currentId"))
        ordered: list[ChatHistoryMessage] = []
        if current and current in by_id:
            seen: set[str] = set()
            node: ChatHistoryMessage | None = by_id[current]
            while node is not None and node.id not in seen:
                seen.add(node.id)
                ordered.append(node)
                node = by_id.get(node.parent_id) if node.parent_id else None
            ordered.reverse()
        else:
            ordered = sorted(messages, key=lambda m: m.timestamp or 0)
        return cls(str(raw["id"]), _s(raw.get("title")), _s(raw.get("chat_type")), ordered, dict(raw))
