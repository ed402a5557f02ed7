"""Turn what users pass as messages into one validated wire turn.

The service answers one new user message per request and keeps the history itself. The
documented API is stateless (a list of messages), so a list with history becomes one turn whose
text is a transcript that keeps every role; attachments of the last user message go into
``files[]``. Every check happens here, before anything is sent.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._exceptions import QwenInvalidRequestError
from .types.chat import (
    AudioBlock,
    ChatMessage,
    ContentBlock,
    DocumentBlock,
    ImageBlock,
    Message,
    VideoBlock,
)
from .types.files import FileResult

_OPENAI_EMPTY_KEYS = ("refusal", "annotations", "audio", "function_call")
_ANSWER_ONLY_KEYS = ("reasoning_content", "web_search_info", "images", "parsed", "validation_error")
"""Fields of an answer (:class:`~qwen_api.types.Message`) that say how it was produced, not what was
said: an answer appended to the history, as an object or as its ``to_dict()``, is sent without them
(as OpenAI-style APIs do with reasoning)."""


def _from_answer(answer: Message) -> ChatMessage:
    return ChatMessage(role="assistant", content=answer.content, tool_calls=answer.tool_calls)


def message_from_any(item: object, where: str) -> ChatMessage:
    if isinstance(item, ChatMessage):
        return item
    if isinstance(item, Message):  # ``messages.append(response.choices[0].message)``
        return _from_answer(item)
    if not isinstance(item, Mapping):
        raise TypeError(f"{where} must be a ChatMessage, a dict or an answer's Message, got {type(item).__name__}")
    data = dict(item)
    if data.get("role") == "assistant":
        for key in _ANSWER_ONLY_KEYS:
            data.pop(key, None)
    content = data.get("content")
    if isinstance(content, list):  # OpenAI-style content parts
        data["blocks"] = [*list(data.get("blocks") or []), *content]
        data["content"] = None
    for key in _OPENAI_EMPTY_KEYS:  # an OpenAI assistant message echoed back carries these, empty
        if key in data and data[key] in (None, []):
            del data[key]
    known = {field.name for field in attrs.fields(ChatMessage)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where} has unknown keys {unknown}; known keys are {sorted(known)}")
    try:
        return ChatMessage(**data)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from None


def normalise_messages(messages: object) -> list[ChatMessage]:
    if isinstance(messages, ChatMessage | Mapping | str | bytes) or not isinstance(messages, Iterable):
        raise TypeError(f"messages must be a list of ChatMessage or dicts, got {type(messages).__name__}")
    result = [message_from_any(item, f"messages[{index}]") for index, item in enumerate(messages)]
    if not result:
        raise ValueError("messages must not be empty")
    last = result[-1]
    if last.role not in ("user", "tool", "function"):
        raise ValueError(f"messages[{len(result) - 1}].role must be 'user' (the message to answer), got {last.role!r}")
    if not last.text.strip() and not last.attachments:
        raise ValueError(f"messages[{len(result) - 1}] has no text and no attachment")
    for index, message in enumerate(result[:-1]):
        if not message.text.strip() and not message.attachments and not message.tool_calls:
            raise ValueError(f"messages[{index}] has no text and no attachment")
    return result


def render_turn_text(messages: list[ChatMessage]) -> str:
    """The text of the one turn sent: the last message alone, or a transcript keeping every role."""
    if len(messages) == 1:
        return messages[0].text
    lines = []
    for message in messages:
        lines.append(f"[{message.role}]\n{message.text}")
    return "\n\n".join(lines)


def validate_prompt(prompt: object) -> str:
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a string, got {type(prompt).__name__}")
    if not prompt.strip():
        raise ValueError("prompt must not be empty")
    return prompt


def file_refs(files: object) -> list[dict[str, Any]]:
    """``files=`` accepts upload results or ready-made FileRef dicts."""
    if files is None:
        return []
    if not isinstance(files, list | tuple):
        raise TypeError(f"files must be a list of FileResult, got {type(files).__name__}")
    refs: list[dict[str, Any]] = []
    for index, item in enumerate(files):
        if isinstance(item, FileResult):
            refs.append(item.to_file_ref())
        elif isinstance(item, Mapping) and isinstance(item.get("url"), str) and isinstance(item.get("type"), str):
            refs.append(dict(item))
        else:
            raise TypeError(
                f"files[{index}] must be a FileResult (from upload_file) or a dict with string 'url' and 'type', "
                f"got {type(item).__name__}"
            )
    return refs


_URL_FILE_TYPES = {
    ImageBlock: ("image", "vision"),
    DocumentBlock: ("file", "document"),
    AudioBlock: ("audio", "audio"),
    VideoBlock: ("video", "video"),
}


class RecentUploads:
    """The client's latest uploads by ``file_url``, so that the documented
    ``ImageBlock(url=result.file_url)`` sends the upload's full FileRef (id, size, file metadata) as
    the web client does, not only what can be read off the URL."""

    LIMIT = 256

    def __init__(self) -> None:
        self._by_url: OrderedDict[str, FileResult] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, result: FileResult) -> FileResult:
        """Remember ``result`` (the oldest is forgotten past :attr:`LIMIT`) and return it."""
        with self._lock:
            self._by_url[result.file_url] = result
            self._by_url.move_to_end(result.file_url)
            while len(self._by_url) > self.LIMIT:
                self._by_url.popitem(last=False)
        return result

    def get(self, url: str) -> FileResult | None:
        """The upload this client made of ``url``, if it still remembers it."""
        with self._lock:
            return self._by_url.get(url)


def url_block_ref(block: ContentBlock, uploads: RecentUploads | None = None) -> dict[str, Any]:
    """A FileRef for a block that already has a URL: the upload's own when this client made it."""
    file_type, file_class = _URL_FILE_TYPES[type(block)]
    url = getattr(block, "url", None)
    if not url:
        raise QwenInvalidRequestError("a block without a URL must be uploaded first")
    uploaded = uploads.get(url) if uploads is not None else None
    if uploaded is not None:
        return uploaded.to_file_ref()
    mimetype = (
        getattr(block, "image_mimetype", None)
        or getattr(block, "document_mimetype", None)
        or getattr(block, "video_mimetype", None)
        or ""
    )
    name = url.rsplit("/", 1)[-1].split("?", 1)[0] or file_type
    return {
        "type": file_type,
        "url": url,
        "name": name,
        "file_type": mimetype,
        "showType": file_type,
        "file_class": file_class,
        "status": "uploaded",
    }
