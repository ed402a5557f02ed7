"""Chat types: the messages users send and the responses and stream chunks they get back.

These are small attrs classes made for people, not wire models: every response type keeps the
wire object it came from in ``raw``, so a field the service adds tomorrow is never lost, and
reasoning, search results and answer text always arrive in separate attributes.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, Union, get_args

import attrs

from ._serialize import Serializable
from .params import ContentPartParam, JSONObject, JSONValue, PathInput, Role, RoleInput, ThinkingMode
from .tools import ToolCall, ToolCallDelta, tool_calls_from_any

__all__ = [
    "AudioBlock",
    "ChatMessage",
    "ChatResponse",
    "ChatResponseStream",
    "Choice",
    "ChoiceList",
    "ChoiceStream",
    "ContentBlock",
    "Delta",
    "DocumentBlock",
    "Extra",
    "FunctionCall",
    "ImageBlock",
    "Message",
    "MessageRole",
    "TextBlock",
    "Usage",
    "VideoBlock",
    "WebSearchInfo",
]


class MessageRole(enum.StrEnum):
    """Roles a message can have (the values of the older SDK's enum)."""

    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    FUNCTION = "function"
    TOOL = "tool"
    CHATBOT = "chatbot"
    MODEL = "model"


_ROLES: dict[str, Role] = {role: role for role in get_args(Role)}


def _role(value: RoleInput) -> Role:
    """Typed as the closed set, so ``ChatMessage(role="usr")`` is a type error; checked again at runtime."""
    if not isinstance(value, str):
        raise TypeError(f"ChatMessage.role must be a string, got {type(value).__name__}")
    role = _ROLES.get(value.value if isinstance(value, MessageRole) else value)
    if role is None:
        raise ValueError(f"ChatMessage.role {value!r} is not one of {sorted(_ROLES)}")
    return role


def _optional_str(field_name: str) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{type(instance).__name__}.{field_name} must be a string, got {type(value).__name__}")

    return check


def _path_or_none(value: PathInput | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | os.PathLike):
        return os.fspath(value)
    raise TypeError(f"path must be a string or os.PathLike, got {type(value).__name__}")


# --------------------------------------------------------------------------------------------
# Content blocks (what a message is made of)
# --------------------------------------------------------------------------------------------


def _block_type(expected: str) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value != expected:
            raise ValueError(f"{type(instance).__name__}.block_type must be {expected!r}, got {value!r}")

    return check


@attrs.define(slots=True)
class TextBlock(Serializable):
    """A piece of text in a message."""

    text: str = attrs.field(validator=_optional_str("text"))
    block_type: Literal["text"] = attrs.field(default="text", validator=_block_type("text"))

    def __attrs_post_init__(self) -> None:
        if self.text is None:
            raise TypeError("TextBlock.text is required")


def _one_source(kind: str, *values: object) -> None:
    if sum(value is not None for value in values) != 1:
        raise ValueError(f"{kind} needs exactly one of url=, path= or the raw bytes")


@attrs.define(slots=True)
class ImageBlock(Serializable):
    """An image: a URL (for example ``upload_file(...).file_url``), a local ``path`` uploaded on send, or bytes."""

    url: str | None = attrs.field(default=None, validator=_optional_str("url"))
    path: str | None = attrs.field(default=None, converter=_path_or_none)
    image: bytes | None = None
    image_mimetype: str | None = attrs.field(default=None, validator=_optional_str("image_mimetype"))
    detail: str | None = None
    block_type: Literal["image"] = attrs.field(default="image", validator=_block_type("image"))

    def __attrs_post_init__(self) -> None:
        _one_source("ImageBlock", self.url, self.path, self.image)


@attrs.define(slots=True)
class DocumentBlock(Serializable):
    """A document (PDF, text, office file): a URL from an upload, a local ``path``, or bytes."""

    url: str | None = attrs.field(default=None, validator=_optional_str("url"))
    path: str | None = attrs.field(default=None, converter=_path_or_none)
    data: bytes | None = None
    title: str | None = None
    document_mimetype: str | None = None
    block_type: Literal["document"] = attrs.field(default="document", validator=_block_type("document"))

    def __attrs_post_init__(self) -> None:
        _one_source("DocumentBlock", self.url, self.path, self.data)


@attrs.define(slots=True)
class AudioBlock(Serializable):
    """An audio file: a URL from an upload, a local ``path``, or bytes."""

    url: str | None = attrs.field(default=None, validator=_optional_str("url"))
    path: str | None = attrs.field(default=None, converter=_path_or_none)
    audio: bytes | None = None
    format: str | None = None
    block_type: Literal["audio"] = attrs.field(default="audio", validator=_block_type("audio"))

    def __attrs_post_init__(self) -> None:
        _one_source("AudioBlock", self.url, self.path, self.audio)


@attrs.define(slots=True)
class VideoBlock(Serializable):
    """A video file: a URL from an upload, a local ``path``, or bytes."""

    url: str | None = attrs.field(default=None, validator=_optional_str("url"))
    path: str | None = attrs.field(default=None, converter=_path_or_none)
    video: bytes | None = None
    video_mimetype: str | None = None
    block_type: Literal["video"] = attrs.field(default="video", validator=_block_type("video"))

    def __attrs_post_init__(self) -> None:
        _one_source("VideoBlock", self.url, self.path, self.video)


ContentBlock = Union[TextBlock, ImageBlock, DocumentBlock, AudioBlock, VideoBlock]  # noqa: UP007
_BLOCK_TYPES = (TextBlock, ImageBlock, DocumentBlock, AudioBlock, VideoBlock)


_BLOCK_CLASSES: dict[str, type[Any]] = {
    "text": TextBlock,
    "image": ImageBlock,
    "document": DocumentBlock,
    "audio": AudioBlock,
    "video": VideoBlock,
}


def _block_from_any(item: object, where: str) -> ContentBlock:
    """Accept our blocks, our dict form (``block_type``) and OpenAI-style parts (``type``)."""
    if isinstance(item, TextBlock | ImageBlock | DocumentBlock | AudioBlock | VideoBlock):
        return item
    if isinstance(item, str):
        return TextBlock(text=item)
    if not isinstance(item, Mapping):
        raise TypeError(f"{where} must be a content block or a dict, got {type(item).__name__}")
    data = dict(item)
    kind = data.pop("block_type", None) or data.pop("type", None)
    if kind == "image_url":  # OpenAI style: {"type": "image_url", "image_url": {"url": ...}}
        image_url = data.pop("image_url", None)
        url = image_url.get("url") if isinstance(image_url, Mapping) else image_url
        return ImageBlock(url=url, **data)
    if kind == "input_text":
        kind = "text"
    cls = _BLOCK_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"{where} has unknown block type {kind!r}; use one of {sorted(_BLOCK_CLASSES)}")
    try:
        block: ContentBlock = cls(**data)
    except TypeError as exc:
        raise TypeError(f"{where}: {exc}") from None
    return block


def _blocks(value: Sequence[ContentPartParam] | None) -> list[ContentBlock]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise TypeError(f"ChatMessage.blocks must be a list of blocks, got {type(value).__name__}")
    return [_block_from_any(item, f"blocks[{index}]") for index, item in enumerate(value)]


def _flag(name: str, optional: bool = False) -> Callable[[Any, Any, Any], None]:
    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, bool):
            raise TypeError(f"ChatMessage.{name} must be True or False, got {type(value).__name__}")

    return check


_THINKING_MODES: tuple[str, ...] = get_args(ThinkingMode)


def _thinking_mode(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or value.lower() not in _THINKING_MODES):
        raise ValueError(f"ChatMessage.thinking_mode must be one of {list(_THINKING_MODES)}, got {value!r}")


@attrs.define(slots=True)
class ChatMessage(Serializable):
    """One message of a conversation.

    Either ``content`` (text) or ``blocks`` (text, images, documents...) or both: the text sent is
    ``content`` followed by the text blocks, and the other blocks become attachments. The
    per-message switches ``web_search`` and ``thinking`` apply when this is the message being
    answered.
    """

    role: Role = attrs.field(default="user", converter=_role)
    content: str | None = attrs.field(default=None, validator=_optional_str("content"))
    blocks: list[ContentBlock] = attrs.field(factory=list, converter=_blocks)
    web_search: bool = attrs.field(default=False, validator=_flag("web_search"))
    thinking: bool | None = attrs.field(default=None, validator=_flag("thinking", optional=True))
    thinking_mode: ThinkingMode | None = attrs.field(default=None, validator=_thinking_mode)
    name: str | None = attrs.field(default=None, validator=_optional_str("name"))
    tool_calls: list[ToolCall] | None = attrs.field(default=None, converter=tool_calls_from_any)
    """On an assistant message: the calls it made (``ToolCall`` objects or OpenAI-style dicts)."""
    tool_call_id: str | None = attrs.field(default=None, validator=_optional_str("tool_call_id"))
    """On a ``tool`` message: the id of the call whose result ``content`` is."""

    @property
    def text(self) -> str:
        """The message's whole text: ``content`` then every text block."""
        parts = [self.content] if self.content else []
        parts.extend(block.text for block in self.blocks if isinstance(block, TextBlock) and block.text)
        return "\n".join(parts)

    @property
    def attachments(self) -> list[ContentBlock]:
        """The blocks that are not text (images, documents, audio, video), sent as files."""
        return [block for block in self.blocks if not isinstance(block, TextBlock)]

    def __str__(self) -> str:
        return f"{self.role}: {self.text}"


# --------------------------------------------------------------------------------------------
# Response pieces
# --------------------------------------------------------------------------------------------


@attrs.define(slots=True)
class Usage(Serializable):
    """Token counts. On the wire they grow with every chunk; the last value is the total."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    input_tokens_details: JSONObject | None = None
    output_tokens_details: JSONObject | None = None
    prompt_tokens_details: JSONObject | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @property
    def prompt_tokens(self) -> int | None:
        """``input_tokens`` under the OpenAI name."""
        return self.input_tokens

    @property
    def completion_tokens(self) -> int | None:
        """``output_tokens`` under the OpenAI name."""
        return self.output_tokens

    @property
    def reasoning_tokens(self) -> int | None:
        """Tokens spent reasoning, when the service reports them."""
        details = self.output_tokens_details or {}
        value = details.get("reasoning_tokens")
        return value if isinstance(value, int) else None

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> Usage:
        """Build from the service's ``usage`` object (unknown fields stay in ``raw``)."""
        get = raw.get
        return cls(
            _int(get("input_tokens")),
            _int(get("output_tokens")),
            _int(get("total_tokens")),
            _dict(get("input_tokens_details")),
            _dict(get("output_tokens_details")),
            _dict(get("prompt_tokens_details")),
            dict(raw),
        )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dict(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


@attrs.define(slots=True)
class WebSearchInfo(Serializable):
    """One web search result the answer may cite as ``[[n]]``."""

    url: str | None = None
    title: str | None = None
    snippet: str | None = None
    hostname: str | None = None
    hostlogo: str | None = None
    date: str | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> WebSearchInfo:
        """Build from one ``web_search_info`` item (unknown fields stay in ``raw``)."""
        get = raw.get
        return cls(
            _str(get("url")),
            _str(get("title")),
            _str(get("snippet")),
            _str(get("hostname")),
            _str(get("hostlogo")),
            _str(get("date")),
            dict(raw),
        )


@attrs.define(slots=True)
class FunctionCall(Serializable):
    """A tool call the service made (for example ``web_search``); ``arguments`` as sent."""

    name: str | None = None
    arguments: JSONValue = None


class _Membership(Serializable):
    """``'field' in obj`` is true when the field is set -- the documented ``'extra' in delta`` test."""

    __slots__ = ()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or name.startswith("_"):
            return False
        value = getattr(self, name, None)
        if value is None:
            raw = getattr(self, "raw", None)
            return isinstance(raw, dict) and name in raw
        if isinstance(value, Extra):
            return bool(value)
        return not (isinstance(value, list | dict | str) and not value and name != "content")

    def __getitem__(self, name: str) -> object:
        if name in self:
            value = getattr(self, name, None)
            if value is not None:
                return value
            return self.raw[name]  # type: ignore[attr-defined]
        raise KeyError(name)


@attrs.define(slots=True)
class Extra(_Membership):
    """The ``extra`` object of a delta: search results, reasoning summary state, image sizes..."""

    web_search_info: list[WebSearchInfo] = attrs.field(factory=list)
    summary_title: list[str] | None = None
    summary_thought: list[str] | None = None
    output_image_hw: list[list[int]] | None = None
    image_list: list[JSONObject] | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    def __bool__(self) -> bool:
        """False for the empty ``extra`` of a delta that carried none (so ``if delta.extra:`` reads naturally)."""
        return bool(
            self.web_search_info
            or self.summary_title is not None
            or self.summary_thought is not None
            or self.output_image_hw is not None
            or self.image_list is not None
            or self.raw
        )


def _extra_or_empty(value: Extra | None) -> Extra:
    # A delta always has an ``extra`` (empty when the chunk carried none), so the documented
    # ``'web_search_info' in delta.extra`` type-checks without a None test.
    return Extra() if value is None else value


@attrs.define(slots=True, on_setattr=attrs.setters.NO_OP)
class Delta(_Membership):
    """What one stream chunk adds.

    ``content`` is answer text (for ``image_gen`` the image URL), ``reasoning_content`` is
    reasoning text, never mixed; ``phase`` and ``status`` are the service's own labels.
    """

    # One is built per event. ``extra``'s converter would otherwise make attrs run every assignment,
    # those of ``__init__`` included, through a converting ``__setattr__``: 0.84 against 0.26 µs per
    # delta, measured. ``__init__`` still converts; only a later ``delta.extra = None`` does not.

    content: str = ""
    role: str | None = "assistant"
    phase: str | None = None
    status: str | None = None
    reasoning_content: str | None = None
    extra: Extra = attrs.field(factory=Extra, converter=_extra_or_empty)
    """Search results, reasoning-summary state, image sizes; empty (falsy) when the chunk carried none."""
    name: str | None = None
    function_call: FunctionCall | None = None
    function_id: str | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)
    tool_calls: list[ToolCallDelta] | None = None
    """Tool calls completed in this chunk (only with ``tools=``; see :class:`ToolCallDelta`)."""

    if not TYPE_CHECKING:  # keep attribute typos visible to type checkers

        def __getattr__(self, name: str) -> Extra:
            # Python calls this only for a slot that was never set: ``answer_choice`` leaves ``extra``
            # unset on a plain answer delta (nearly every chunk; few readers look at its extra), and
            # the empty ``Extra`` is built the first time it is read, then kept.
            if name != "extra":
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            extra = self.extra = Extra()
            return extra


@attrs.define(slots=True)
class ChoiceStream(Serializable):
    """One choice of a stream chunk: ``choice.delta`` holds what this chunk adds."""

    delta: Delta
    index: int = 0
    finish_reason: str | None = None


@attrs.define(slots=True)
class ChatResponseStream(Serializable):
    """One chunk of a streamed answer: ``chunk.choices[0].delta.content``.

    ``usage`` is built from ``raw["usage"]`` the first time it is read: the service repeats the
    whole usage object in every chunk, and most readers never look at it (the stream's and the
    final response's ``usage`` hold the totals).
    """

    choices: list[ChoiceStream]
    usage: Usage | None = None
    response_id: str | None = None
    chat_id: str | None = None
    model: str | None = None
    created: int | None = None
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @property
    def id(self) -> str | None:
        """The same as ``response_id`` (the OpenAI-style name)."""
        return self.response_id

    if not TYPE_CHECKING:  # keep attribute typos visible to type checkers

        def __getattr__(self, name: str) -> Usage | None:
            # Python calls this only for a slot that was never set: the stream parser leaves
            # ``usage`` unset, so it costs nothing until someone reads it.
            if name != "usage":
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            raw = self.raw.get("usage")
            usage = Usage.from_wire(raw) if isinstance(raw, dict) else None
            self.usage = usage
            return usage


def stream_chunk(
    choice: ChoiceStream,
    response_id: str | None,
    chat_id: str | None,
    model: str | None,
    created: int | None,
    raw: JSONObject,
) -> ChatResponseStream:
    """A chunk equal to ``ChatResponseStream([choice], Usage.from_wire(raw["usage"]), ...)``, whose
    ``usage`` is built only when read (the service repeats it in every chunk; few readers look).

    With :func:`answer_choice`, the one place that builds a chunk without ``__init__`` (the stream
    parser's hot path); ``tests/unit/test_stream_chunk.py`` checks it equals the plain construction.
    """
    chunk: ChatResponseStream = object.__new__(ChatResponseStream)
    chunk.choices = [choice]
    chunk.response_id = response_id
    chunk.chat_id = chat_id
    chunk.model = model
    chunk.created = created
    chunk.raw = raw
    return chunk


def answer_choice(
    content: str, role: str, status: str, delta_raw: JSONObject, finish_reason: str | None
) -> ChoiceStream:
    """The choice of a plain answer delta (nearly every event of a turn), equal to
    ``ChoiceStream(Delta(content, role, "answer", status, raw=delta_raw), 0, finish_reason)``.

    Built without the two ``__init__`` calls, the converter and the factories they run, and with
    the delta's empty ``extra`` left to be built when first read (``Delta.__getattr__``): about 5 %
    of a stream's CPU per event with :func:`stream_chunk` (docs/benchmarks.md).
    ``tests/unit/test_stream_chunk.py`` checks it equals the plain construction, field by field.
    """
    delta: Delta = object.__new__(Delta)
    delta.content = content
    delta.role = role
    delta.phase = "answer"
    delta.status = status
    delta.reasoning_content = None
    delta.name = None
    delta.function_call = None
    delta.function_id = None
    delta.raw = delta_raw
    delta.tool_calls = None
    choice: ChoiceStream = object.__new__(ChoiceStream)
    choice.delta = delta
    choice.index = 0
    choice.finish_reason = finish_reason
    return choice


@attrs.define(slots=True)
class Message(Serializable):
    """The assistant's whole answer."""

    role: str = "assistant"
    content: str = ""
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] | None = None
    """The tools the model called (only with ``tools=``); ``finish_reason`` is then ``"tool_calls"``."""
    web_search_info: list[WebSearchInfo] = attrs.field(factory=list)
    images: list[str] = attrs.field(factory=list)
    parsed: JSONValue = None
    """With ``response_format`` JSON: the decoded content (``None`` when it did not parse)."""
    validation_error: str | None = None
    """Why the answer fails the request after the repair round(s), ``None`` when it does not: with
    ``response_format``, why the content does not match it; with ``tool_choice="required"`` or a named
    function, that no call came."""


@attrs.define(slots=True)
class Choice(Serializable):
    """One answer of a :class:`ChatResponse`: ``choice.message.content`` (the service gives one)."""

    message: Message
    index: int = 0
    finish_reason: str | None = "stop"
    extra: Extra | None = None


_C = TypeVar("_C")


class ChoiceList(list[_C], Generic[_C]):
    """A list of choices that also answers the older SDK's ``response.choices.message`` at runtime.

    Type checkers see a plain list (write ``response.choices[0].message``), so a misspelled
    attribute on ``choices`` is still reported.
    """

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> object:
            if name.startswith("_") or not self:
                raise AttributeError(name)
            return getattr(self[0], name)


@attrs.define(slots=True)
class ChatResponse(Serializable):
    """A whole answer: ``response.choices[0].message.content``."""

    choices: ChoiceList[Choice]
    usage: Usage | None = None
    id: str | None = None
    chat_id: str | None = None
    parent_id: str | None = None
    """The ``parent_id`` the service reported in ``response.created`` (its message-tree node, not the
    previous answer's id); to continue a conversation use ``Conversation``, which keeps that chain."""
    model: str | None = None
    created: int | None = None
    request_id: str | None = None
    phases: dict[str, str] = attrs.field(factory=dict)
    """Text of phases the SDK does not know yet, by phase name (kept, never dropped)."""

    @property
    def response_id(self) -> str | None:
        """The service's id of this answer (the same as ``id``; the next turn's ``parent_id``)."""
        return self.id
