"""Request parameter types: what the type checker knows about the dicts and strings you pass in.

Messages can be :class:`~qwen_api.types.chat.ChatMessage` objects or plain dicts; the dicts are
:class:`ChatMessageParam` (a ``TypedDict``), so an IDE completes their keys and a type checker
flags a misspelled key (``"contnet"``) or role (``"usr"``) before anything runs. The closed sets
of strings the service accepts (roles, thinking modes, image sizes...) are ``Literal`` types.
Model ids are an open set (the service adds models every few months), so they stay ``str``.

At runtime the same checks happen again, with a clear ``TypeError`` / ``ValueError``, for callers
whose code is not type-checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, NotRequired, Required, TypeAlias, TypedDict, Union

if TYPE_CHECKING:
    import httpx

    from .chat import AudioBlock, ChatMessage, DocumentBlock, ImageBlock, Message, MessageRole, TextBlock, VideoBlock
    from .tools import ToolCall

__all__ = [
    "AudioBlockParam",
    "Body",
    "ChatMessageParam",
    "ChatType",
    "ContentPartParam",
    "DocumentBlockParam",
    "Headers",
    "ImageBlockParam",
    "ImageSize",
    "ImageURLParam",
    "ImageURLPartParam",
    "JSONObject",
    "JSONValue",
    "MessageInput",
    "MessagesInput",
    "PathInput",
    "ProgressCallback",
    "Query",
    "RequestOptionsParam",
    "Role",
    "RoleInput",
    "SignatureVersion",
    "TextBlockParam",
    "TextPartParam",
    "ThinkingMode",
    "ToolCallFunctionParam",
    "ToolCallParam",
    "VideoBlockParam",
]

JSONValue: TypeAlias = Union["dict[str, JSONValue]", "list[JSONValue]", str, int, float, bool, None]
"""Any JSON value, as decoded by :func:`json.loads`."""

JSONObject: TypeAlias = "dict[str, JSONValue]"
"""A JSON object: the ``raw`` wire data every response type keeps."""

Role = Literal["system", "developer", "user", "assistant", "function", "tool", "chatbot", "model"]
"""A message's role (the values of :class:`~qwen_api.types.chat.MessageRole`)."""

RoleInput: TypeAlias = "Role | MessageRole"
"""A role as a string literal or as the :class:`~qwen_api.types.chat.MessageRole` enum."""

ThinkingMode = Literal["auto", "thinking", "fast"]
"""``thinking_mode=``: ``"auto"`` lets the model decide, ``"thinking"`` always reasons, ``"fast"`` never does."""

ImageSize = Literal["1:1", "3:4", "4:3", "16:9", "9:16"]
"""``images.generate(size=...)``: the aspect ratios the service draws."""

SignatureVersion = Literal["v4", "v1"]
"""``upload_file(signature_version=...)``: how the storage PUT is signed (OSS V4 by default, V1 as the web client)."""

ChatType = Literal["t2t", "search", "t2i", "t2v", "artifacts", "web_dev", "deep_research"]
"""``chats.new(chat_type=...)``: the kind of conversation the service keeps."""

PathInput: TypeAlias = "str | os.PathLike[str]"
"""A file system path: a string or anything :func:`os.fspath` accepts (``pathlib.Path``...)."""

Headers: TypeAlias = Mapping[str, str]
"""``extra_headers=``: headers added to (or replacing) the ones the SDK sends, for one call."""

Query: TypeAlias = "Mapping[str, str | int | float]"
"""``extra_query=``: query parameters added to the URL of every request of one call."""

Body: TypeAlias = "Mapping[str, JSONValue]"
"""``extra_body=``: JSON fields merged into the body of the call's main request (the completion request of
a chat turn), for fields the SDK does not model yet."""


class RequestOptionsParam(TypedDict, total=False):
    """The per-call options every method takes as keywords, as in openai-python: ``timeout=``,
    ``extra_headers=``, ``extra_query=``, ``extra_body=``. Each applies to this call only."""

    timeout: float | httpx.Timeout | None
    """Seconds for this call (connect and each read), or an ``httpx.Timeout``; None keeps the client's."""
    extra_headers: Headers | None
    """Headers added to (or replacing) the SDK's, for this call."""
    extra_query: Query | None
    """Query parameters added to the URL of every request of this call."""
    extra_body: Body | None
    """JSON fields merged into the body of the call's main request, for fields the SDK does not model yet."""


ProgressCallback: TypeAlias = Callable[[int, int], None]
"""``progress(sent_bytes, total_bytes)``, called as an upload's body is sent, ending with ``(total, total)``."""


# ------------------------------------------------------------------------------------------------
# Content parts: our own ``block_type`` form and the OpenAI-style ``type`` form
# ------------------------------------------------------------------------------------------------


class TextBlockParam(TypedDict):
    """A text block as a dict: ``{"block_type": "text", "text": "..."}``."""

    block_type: Literal["text"]
    text: str


class ImageBlockParam(TypedDict, total=False):
    """An image block as a dict: exactly one of ``url``, ``path`` or ``image`` (bytes)."""

    block_type: Required[Literal["image"]]
    url: str
    path: PathInput
    image: bytes
    image_mimetype: str
    detail: str


class DocumentBlockParam(TypedDict, total=False):
    """A document block as a dict: exactly one of ``url``, ``path`` or ``data`` (bytes)."""

    block_type: Required[Literal["document"]]
    url: str
    path: PathInput
    data: bytes
    title: str
    document_mimetype: str


class AudioBlockParam(TypedDict, total=False):
    """An audio block as a dict: exactly one of ``url``, ``path`` or ``audio`` (bytes)."""

    block_type: Required[Literal["audio"]]
    url: str
    path: PathInput
    audio: bytes
    format: str


class VideoBlockParam(TypedDict, total=False):
    """A video block as a dict: exactly one of ``url``, ``path`` or ``video`` (bytes)."""

    block_type: Required[Literal["video"]]
    url: str
    path: PathInput
    video: bytes
    video_mimetype: str


class TextPartParam(TypedDict):
    """An OpenAI-style text part: ``{"type": "text", "text": "..."}``."""

    type: Literal["text", "input_text"]
    text: str


class ImageURLParam(TypedDict):
    """The ``image_url`` object of an OpenAI-style image part."""

    url: str
    detail: NotRequired[str]


class ImageURLPartParam(TypedDict):
    """An OpenAI-style image part: ``{"type": "image_url", "image_url": {"url": "..."}}``."""

    type: Literal["image_url"]
    image_url: ImageURLParam | str


ContentPartParam: TypeAlias = Union[
    "TextBlock",
    "ImageBlock",
    "DocumentBlock",
    "AudioBlock",
    "VideoBlock",
    TextBlockParam,
    ImageBlockParam,
    DocumentBlockParam,
    AudioBlockParam,
    VideoBlockParam,
    TextPartParam,
    ImageURLPartParam,
    str,
]
"""One part of a message: a block object, its dict form, an OpenAI-style part, or plain text."""


class ToolCallFunctionParam(TypedDict):
    """The function of a :class:`ToolCallParam`: its name and its arguments (a JSON string or object)."""

    name: str
    arguments: str | JSONObject


class ToolCallParam(TypedDict, total=False):
    """A tool call fed back on an assistant message, in OpenAI's shape."""

    id: Required[str]
    type: Literal["function"]
    function: Required[ToolCallFunctionParam]


class ChatMessageParam(TypedDict, total=False):
    """A message as a dict, with the keys of :class:`~qwen_api.types.chat.ChatMessage`.

    ``role`` defaults to ``"user"``; ``content`` is text or a list of OpenAI-style parts;
    ``blocks`` are attachments and text blocks. A key not listed here is a type error (and a
    ``ValueError`` at runtime).
    """

    role: RoleInput
    content: str | Sequence[ContentPartParam] | None
    blocks: Sequence[ContentPartParam]
    web_search: bool
    thinking: bool | None
    thinking_mode: ThinkingMode | None
    name: str | None
    tool_calls: Sequence[ToolCallParam | ToolCall] | None
    """On an assistant message: the calls it made (see ``docs/tools.md``)."""
    tool_call_id: str | None
    """On a ``tool`` message: the id of the call whose result ``content`` is."""


MessageInput: TypeAlias = "ChatMessage | ChatMessageParam | Message"
"""One message: a :class:`~qwen_api.types.chat.ChatMessage`, its dict form, or an answer's
:class:`~qwen_api.types.chat.Message` appended to the history as the assistant's turn."""

MessagesInput: TypeAlias = "Sequence[ChatMessage | ChatMessageParam | Message]"
"""The ``messages=`` argument: a list of messages, the last one being answered."""
