"""``QwenLlamaIndex``: a LlamaIndex LLM answered by Qwen Chat through the :class:`qwen_api.Qwen` client.

Needs the ``llama-index`` extra (``pip install "qwen-api[llama-index]"``). This is the only module of
the package that imports ``llama_index``; ``import qwen_api`` never does.

::

    from llama_index.core import Settings
    from qwen_api.llama_index import QwenLlamaIndex

    Settings.llm = QwenLlamaIndex(model="qwen-max-latest")  # token from QWEN_AUTH_TOKEN or .env
    print(Settings.llm.complete("Hello").text)

Every request goes through one pooled ``Qwen`` client, so retries, timeouts, uploads, redacted
logging and the typed exceptions of :mod:`qwen_api.core.exceptions` are the client's. Streaming
responses carry LlamaIndex's usual pair: ``delta`` (the new piece) and the cumulative text
(``message.content`` for chat, ``text`` for completion). Reasoning, when the model thinks, is kept
out of the answer: it is in ``additional_kwargs["reasoning_content"]`` (cumulative) and, while
streaming, ``additional_kwargs["reasoning_delta"]``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, TypeVar, cast

import attrs

try:
    from llama_index.core.base.llms.types import AudioBlock as LIAudioBlock
    from llama_index.core.base.llms.types import CachePoint as LICachePoint
    from llama_index.core.base.llms.types import ChatMessage as LIChatMessage
    from llama_index.core.base.llms.types import ChatResponse as LIChatResponse
    from llama_index.core.base.llms.types import CompletionResponse as LICompletionResponse
    from llama_index.core.base.llms.types import DocumentBlock as LIDocumentBlock
    from llama_index.core.base.llms.types import ImageBlock as LIImageBlock
    from llama_index.core.base.llms.types import LLMMetadata, MessageRole
    from llama_index.core.base.llms.types import TextBlock as LITextBlock
    from llama_index.core.base.llms.types import ThinkingBlock as LIThinkingBlock
    from llama_index.core.base.llms.types import VideoBlock as LIVideoBlock
    from llama_index.core.bridge.pydantic import ConfigDict, Field, PrivateAttr
    from llama_index.core.constants import DEFAULT_NUM_OUTPUTS
    from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
    from llama_index.core.llms.llm import LLM
except ImportError as _error:  # pragma: no cover - exercised in a subprocess by the tests
    from ._extras import MissingExtraError

    # (from None: the user sees this one line, not the ModuleNotFoundError chained behind it)
    raise MissingExtraError("qwen_api.llama_index", "llama-index", _error.name or "llama-index-core") from None

from ._logging import child_logger
from .client import Qwen
from .types.chat import AudioBlock, ChatMessage, ContentBlock, DocumentBlock, ImageBlock, TextBlock, VideoBlock
from .types.params import Role, ThinkingMode

if TYPE_CHECKING:
    import httpx

    from ._streaming import AsyncStream, Stream
    from .types.chat import ChatResponse, ChatResponseStream, Usage
    from .types.completion import CompletionResponse

__all__ = ["DEFAULT_CONTEXT_WINDOW", "QwenLlamaIndex", "to_qwen_messages"]

logger: logging.Logger = child_logger("llama_index")

DEFAULT_CONTEXT_WINDOW = 131072
"""Context window reported when the model list cannot tell (and ``context_window=`` was not given)."""

_F = TypeVar("_F", bound=Callable[..., Any])


# LlamaIndex's decorators are typed ``-> Callable``; these keep each method's own signature for mypy.
def _chat_callback(method: _F) -> _F:
    return cast(_F, llm_chat_callback()(method))


def _completion_callback(method: _F) -> _F:
    return cast(_F, llm_completion_callback()(method))


# CHATBOT (Cohere) and MODEL (Gemini) are other providers' names for the assistant.
_ROLES: dict[MessageRole, Role] = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "developer",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.FUNCTION: "function",
    MessageRole.TOOL: "tool",
    MessageRole.CHATBOT: "assistant",
    MessageRole.MODEL: "assistant",
}

_CALL_OPTIONS = ("model", "temperature", "max_tokens", "thinking", "thinking_mode", "web_search")


@attrs.frozen
class _Options:
    """The per-call options sent to the client: the LLM's fields, overridden by call kwargs."""

    model: str
    temperature: float | None
    max_tokens: int | None
    thinking: bool | None
    thinking_mode: ThinkingMode | None  # checked by the client at call time
    web_search: bool | None

    def sdk(self) -> _SdkOptions:
        """As keywords of ``chat.create`` / ``completion.create``."""
        return {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "thinking": self.thinking,
            "thinking_mode": self.thinking_mode,
            "web_search": self.web_search,
        }


class _SdkOptions(TypedDict):
    model: str
    temperature: float | None
    max_tokens: int | None
    thinking: bool | None
    thinking_mode: ThinkingMode | None
    web_search: bool | None


@attrs.frozen
class _ModelInfo:
    """What the model list says about one model (None: it did not say, or could not be asked)."""

    context_window: int | None = None
    num_output: int | None = None
    is_chat_model: bool = True


def _running_loop() -> Any:
    """The event loop running in this thread, if any (without importing asyncio for sync users)."""
    asyncio = sys.modules.get("asyncio")
    return asyncio._get_running_loop() if asyncio is not None else None


def _model_info(found: Any) -> _ModelInfo:
    if found is None:
        return _ModelInfo()
    chat_types = getattr(found, "chat_types", None)
    return _ModelInfo(
        context_window=_positive_int(getattr(found, "max_context_length", None)),
        num_output=_positive_int(getattr(found, "max_generation_length", None)),
        is_chat_model="t2t" in chat_types if isinstance(chat_types, list) and chat_types else True,
    )


def _positive_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


# --------------------------------------------------------------------------------------------
# LlamaIndex messages -> ours
# --------------------------------------------------------------------------------------------


def _binary(block: LIImageBlock | LIDocumentBlock | LIAudioBlock | LIVideoBlock) -> bytes:
    """The raw bytes of a block built from bytes (LlamaIndex stores them base64-encoded) or a data: URL."""
    if isinstance(block, LIImageBlock):
        return bytes(block.resolve_image(as_base64=False).read())
    if isinstance(block, LIDocumentBlock):
        return bytes(block.resolve_document().read())
    if isinstance(block, LIAudioBlock):
        return bytes(block.resolve_audio(as_base64=False).read())
    return bytes(block.resolve_video(as_base64=False).read())


def _source(block: LIImageBlock | LIDocumentBlock | LIAudioBlock | LIVideoBlock, data: object) -> dict[str, Any]:
    """``url=``, ``path=`` or the decoded bytes (under ``"data"``), in LlamaIndex's own order of precedence."""
    if data is not None:
        return {"data": _binary(block)}
    if block.path is not None:
        return {"path": str(block.path)}
    url = str(block.url) if block.url is not None else None
    if url is None:
        raise ValueError(f"a LlamaIndex {type(block).__name__} needs url=, path= or the raw bytes")
    if url.startswith("data:"):  # an inline data: URL is content, not an address the service can fetch
        return {"data": _binary(block)}
    return {"url": url}


def _block(block: object, where: str) -> ContentBlock | None:
    if isinstance(block, LITextBlock):
        return TextBlock(text=block.text)
    if isinstance(block, LIImageBlock):
        source = _source(block, block.image)
        data = source.pop("data", None)
        return ImageBlock(image=data, image_mimetype=block.image_mimetype, detail=block.detail, **source)
    if isinstance(block, LIDocumentBlock):
        source = _source(block, block.data)
        return DocumentBlock(title=block.title, document_mimetype=block.document_mimetype, **source)
    if isinstance(block, LIAudioBlock):
        source = _source(block, block.audio)
        data = source.pop("data", None)
        return AudioBlock(audio=data, format=block.format, **source)
    if isinstance(block, LIVideoBlock):
        source = _source(block, block.video)
        data = source.pop("data", None)
        return VideoBlock(video=data, video_mimetype=block.video_mimetype, **source)
    if isinstance(block, LIThinkingBlock | LICachePoint):
        # A model's earlier reasoning is not input, and Qwen Chat has no prompt-cache markers.
        return None
    kind = getattr(block, "block_type", type(block).__name__)
    raise ValueError(
        f"{where}: QwenLlamaIndex cannot send a {kind!r} block; it sends text, image, document, audio and video blocks"
    )


def to_qwen_messages(messages: Sequence[LIChatMessage]) -> list[ChatMessage]:
    """Map LlamaIndex chat messages onto ours (roles and content blocks); raises ValueError on what cannot be sent."""
    if isinstance(messages, LIChatMessage | str) or not isinstance(messages, Sequence):
        raise TypeError(f"messages must be a sequence of llama_index ChatMessage, got {type(messages).__name__}")
    result: list[ChatMessage] = []
    last = len(messages) - 1
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, LIChatMessage):
            raise TypeError(f"{where} must be a llama_index ChatMessage, got {type(message).__name__}")
        role = _ROLES.get(MessageRole(message.role))
        if role is None:  # pragma: no cover - every MessageRole is mapped; a future one lands here
            raise ValueError(f"{where}: role {message.role!r} has no Qwen equivalent")
        blocks: list[ContentBlock] = []
        for position, block in enumerate(message.blocks):
            converted = _block(block, f"{where}.blocks[{position}]")
            if converted is not None:
                blocks.append(converted)
        has_content = any(not isinstance(b, TextBlock) or b.text.strip() for b in blocks)
        if not has_content and index != last:
            continue  # an empty system prompt or placeholder turn carries nothing to send
        result.append(ChatMessage(role=role, blocks=blocks))
    return result


# --------------------------------------------------------------------------------------------
# Our responses -> LlamaIndex's
# --------------------------------------------------------------------------------------------


def _usage_kwargs(usage: Usage | None) -> dict[str, Any]:
    if usage is None:
        return {}
    counts = {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
    }
    return {name: value for name, value in counts.items() if value is not None}


def _chat_kwargs(response: ChatResponse) -> dict[str, Any]:
    message = response.choices[0].message
    extra: dict[str, Any] = _usage_kwargs(response.usage)
    if message.reasoning_content:
        extra["reasoning_content"] = message.reasoning_content
    if message.web_search_info:
        extra["web_search_info"] = [attrs.asdict(info) for info in message.web_search_info]
    extra["chat_id"] = response.chat_id
    extra["response_id"] = response.id
    return extra


def _completion_kwargs(response: CompletionResponse) -> dict[str, Any]:
    choice = response.choices[0]
    extra: dict[str, Any] = _usage_kwargs(response.usage)
    if choice.reasoning_content:
        extra["reasoning_content"] = choice.reasoning_content
    if choice.web_search_info:
        extra["web_search_info"] = [attrs.asdict(info) for info in choice.web_search_info]
    extra["chat_id"] = response.chat_id
    extra["response_id"] = response.id
    return extra


_ANSWER_PHASES = (None, "answer")
"""Phases whose delta text is answer text (as the client's own accumulation counts it)."""


class _Progress:
    """Accumulates a stream's chunks into (new piece, cumulative text, extra kwargs) per response."""

    __slots__ = ("chat_id", "reasoning", "response_id", "text", "usage", "yielded")

    def __init__(self) -> None:
        self.text = ""
        self.reasoning = ""
        self.usage: Usage | None = None
        self.chat_id: str | None = None
        self.response_id: str | None = None
        self.yielded = False

    def step(self, chunk: ChatResponseStream | None) -> tuple[str, dict[str, Any]] | None:
        """The new answer piece and extra kwargs, or None when this chunk adds no text.

        ``chunk=None`` closes a stream that produced no text at all: one empty response, so a
        consumer always gets a last response.
        """
        piece = reasoning_piece = ""
        if chunk is not None:
            self.usage = chunk.usage or self.usage
            self.chat_id = chunk.chat_id or self.chat_id
            self.response_id = chunk.response_id or self.response_id
            if chunk.choices:
                delta = chunk.choices[0].delta
                piece = delta.content if delta.phase in _ANSWER_PHASES else ""
                reasoning_piece = delta.reasoning_content or ""
            if not piece and not reasoning_piece:
                return None
        elif self.yielded:
            return None
        self.text += piece
        self.reasoning += reasoning_piece
        extra: dict[str, Any] = _usage_kwargs(self.usage)
        if self.reasoning:
            extra["reasoning_content"] = self.reasoning
        if reasoning_piece:
            extra["reasoning_delta"] = reasoning_piece
        extra["chat_id"] = self.chat_id
        extra["response_id"] = self.response_id
        self.yielded = True
        return piece, extra


def _chat_chunk(progress: _Progress, piece: str, extra: dict[str, Any], raw: Any) -> LIChatResponse:
    return LIChatResponse(
        message=LIChatMessage(role=MessageRole.ASSISTANT, content=progress.text),
        delta=piece,
        raw=raw,
        additional_kwargs=extra,
    )


def _completion_chunk(progress: _Progress, piece: str, extra: dict[str, Any], raw: Any) -> LICompletionResponse:
    return LICompletionResponse(text=progress.text, delta=piece, raw=raw, additional_kwargs=extra)


R = TypeVar("R")


def _responses(
    open_stream: Callable[[], Stream[ChatResponseStream]], make: Callable[[_Progress, str, dict[str, Any], Any], R]
) -> Generator[R, None, None]:
    """LlamaIndex responses from a stream opened when iteration starts; an answer without text still
    ends with one response, and the stream is closed however iteration ends."""
    progress = _Progress()
    stream = open_stream()
    try:
        for chunk in stream:
            step = progress.step(chunk)
            if step is not None:
                yield make(progress, *step, chunk.raw)
        step = progress.step(None)
        if step is not None:
            yield make(progress, *step, None)
    finally:
        stream.close()


async def _aresponses(
    open_stream: Callable[[], Awaitable[AsyncStream[ChatResponseStream]]],
    make: Callable[[_Progress, str, dict[str, Any], Any], R],
) -> AsyncGenerator[R, None]:
    """Async :func:`_responses`."""
    progress = _Progress()
    stream = await open_stream()
    try:
        async for chunk in stream:
            step = progress.step(chunk)
            if step is not None:
                yield make(progress, *step, chunk.raw)
        step = progress.step(None)
        if step is not None:
            yield make(progress, *step, None)
    finally:
        await stream.aclose()


# --------------------------------------------------------------------------------------------
# The LLM
# --------------------------------------------------------------------------------------------


class QwenLlamaIndex(LLM):
    """A LlamaIndex LLM backed by Qwen Chat, built on :class:`qwen_api.Qwen`.

    Credentials: ``auth_token``/``cookie``, else ``QWEN_AUTH_TOKEN``/``QWEN_COOKIE`` (environment or
    ``.env``), exactly like ``Qwen()``; they live only inside the client, never in a field, so
    ``repr()``, ``model_dump()``, ``to_dict()`` and callback payloads cannot show them. Client options
    (``base_url``, ``timeout``, ``max_retries``, ``default_headers``) are applied once, when the client
    is made; ``client=`` shares an existing ``Qwen`` instead.

    Per call, ``chat(messages, temperature=..., max_tokens=..., model=..., thinking=...,
    thinking_mode=..., web_search=...)`` overrides the fields; other keyword arguments raise
    ``TypeError``. Streaming methods send their request when iteration starts, and closing (or
    dropping) the generator closes the underlying ``Stream``.

    ``metadata``: ``context_window`` is the field when set; otherwise the model list's
    ``max_context_length`` (``client.models.retrieve(model)``, asked once per model name, blocking),
    else ``DEFAULT_CONTEXT_WINDOW``. ``num_output`` is ``max_tokens`` (or the model's generation limit),
    ``is_chat_model`` is true unless the model list says the model has no text chat, and
    ``is_function_calling_model`` is false: tools are not implemented.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    model: str = Field(default="qwen-max-latest", description="Qwen model id or alias (e.g. qwen-max-latest).")
    temperature: float = Field(default=0.7, ge=0.0, le=2.0, description="Sampling temperature (0-2).")
    max_tokens: int | None = Field(default=1500, gt=0, description="Most tokens to generate; None: the model's.")
    context_window: int | None = Field(
        default=None,
        gt=0,
        description="Tokens the model accepts; None: from the model list, else DEFAULT_CONTEXT_WINDOW.",
    )
    base_url: str | None = Field(
        default=None, description="Service URL (resolved from QWEN_BASE_URL or the default when not given)."
    )
    timeout: float = Field(default=30.0, gt=0, description="Seconds to connect and between streamed bytes.")
    max_retries: int | None = Field(default=None, ge=0, description="Retries of failed requests; None: client's.")
    thinking: bool | None = Field(default=None, description="Ask the model to reason first; None: model default.")
    thinking_mode: str | None = Field(default=None, description="Reasoning budget mode, when thinking.")
    web_search: bool = Field(default=False, description="Let the service search the web before answering.")

    _client: Qwen = PrivateAttr()
    _owns_client: bool = PrivateAttr(default=True)
    _model_info: dict[str, _ModelInfo] = PrivateAttr(default_factory=dict)
    _lookups: dict[str, Any] = PrivateAttr(default_factory=dict)

    def __init__(
        self,
        auth_token: str | None = None,
        cookie: str | None = None,
        model: str = "qwen-max-latest",
        temperature: float = 0.7,
        max_tokens: int | None = 1500,
        *,
        base_url: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        client: Qwen | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        **kwargs: object,
    ) -> None:
        if client is not None:
            if not isinstance(client, Qwen):
                raise TypeError(f"client must be a qwen_api.Qwen, got {type(client).__name__}")
            given = [
                name
                for name, value in (
                    ("auth_token", auth_token),
                    ("cookie", cookie),
                    ("base_url", base_url),
                    ("default_headers", default_headers),
                    ("http_client", http_client),
                    ("async_http_client", async_http_client),
                    ("timeout", kwargs.get("timeout")),
                    ("max_retries", kwargs.get("max_retries")),
                )
                if value is not None
            ]
            if given:
                raise TypeError(f"pass either client= or the client options {given}, not both")
        # pydantic validates every field (``**kwargs`` are other LLM fields: context_window, thinking...)
        fields: dict[str, Any] = {
            "model": model,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "base_url": base_url,
            **kwargs,
        }
        super().__init__(**fields)
        if client is None:
            client = Qwen(
                api_key=auth_token,
                cookie=cookie,
                timeout=self.timeout,
                logging_level=None,  # leave the application's logging configuration alone
                base_url=base_url,
                max_retries=self.max_retries,
                default_headers=default_headers,
                http_client=http_client,
                async_http_client=async_http_client,
            )
            self._owns_client = True
        else:
            self._owns_client = False
            self.timeout = client.timeout
            self.max_retries = client.max_retries
        self._client = client
        self.base_url = client.base_url

    @classmethod
    def class_name(cls) -> str:
        """The name LlamaIndex serialises this LLM under."""
        return "QwenLlamaIndex"

    @property
    def client(self) -> Qwen:
        """The ``Qwen`` client every call goes through (for uploads, or to share its pool)."""
        try:
            return self._client
        except AttributeError:  # unpickled without credentials in the environment
            raise RuntimeError(
                "this QwenLlamaIndex has no client (it was unpickled without QWEN_AUTH_TOKEN set); create a new one"
            ) from None

    # -- metadata -----------------------------------------------------------------------------

    def _lookup(self, model: str) -> _ModelInfo:
        """Limits and chat support of ``model`` from the client's model list, asked once per model name.

        On an event loop (an async pipeline reading ``metadata``) the list is fetched in the
        background instead: the defaults answer until it arrives, and the loop never blocks on I/O.
        """
        cached = self._model_info.get(model)
        if cached is not None:
            return cached
        loop = _running_loop()
        if loop is not None:
            self._lookup_in_background(loop, model)
            return _ModelInfo()
        retrieve = getattr(getattr(self.client, "models", None), "retrieve", None)
        if retrieve is None:
            logger.debug("the client has no models.retrieve(); metadata of %r uses defaults", model)
            found = None
        else:
            try:
                found = retrieve(model)
            except Exception as exc:  # metadata must never fail: the real call reports real errors
                logger.debug(
                    "looking up model %r failed (%s: %s); metadata uses defaults", model, type(exc).__name__, exc
                )
                found = None
        info = self._model_info[model] = _model_info(found)
        return info

    def _lookup_in_background(self, loop: Any, model: str) -> None:
        if model in self._lookups:
            return
        task = loop.create_task(self._alookup(model))
        self._lookups[model] = task  # also keeps the task referenced until it is done
        task.add_done_callback(lambda _: self._lookups.pop(model, None))

    async def _alookup(self, model: str) -> None:
        aretrieve = getattr(getattr(self.client, "models", None), "aretrieve", None)
        found = None
        if aretrieve is not None:
            try:
                found = await aretrieve(model)
            except Exception as exc:  # as in _lookup: metadata never fails
                logger.debug(
                    "looking up model %r failed (%s: %s); metadata uses defaults", model, type(exc).__name__, exc
                )
        self._model_info[model] = _model_info(found)

    def _metadata(self, lookup: bool) -> LLMMetadata:
        info = self._lookup(self.model) if lookup else self._model_info.get(self.model, _ModelInfo())
        return LLMMetadata(
            context_window=self.context_window or info.context_window or DEFAULT_CONTEXT_WINDOW,
            num_output=self.max_tokens or info.num_output or DEFAULT_NUM_OUTPUTS,
            is_chat_model=info.is_chat_model,
            is_function_calling_model=False,
            model_name=self.model,
        )

    @property
    def metadata(self) -> LLMMetadata:
        """Limits of ``model``: the first access per model asks the model list, unless ``context_window`` is set."""
        return self._metadata(lookup=self.context_window is None)

    def to_payload(self) -> dict[str, object]:
        """What callbacks and instrumentation see: no credentials, and no network lookup."""
        return {"class_name": self.class_name(), **self._metadata(lookup=False).model_dump()}

    # -- helpers ------------------------------------------------------------------------------

    def _options(self, kwargs: Mapping[str, object]) -> _Options:
        unknown = sorted(set(kwargs) - set(_CALL_OPTIONS))
        if unknown:
            raise TypeError(
                f"QwenLlamaIndex got unexpected keyword arguments {unknown}; it accepts {list(_CALL_OPTIONS)}"
            )
        # LlamaIndex's contract is ``**kwargs: Any``, so the types are not known here: the client
        # checks every value when the call is made (TypeError / ValueError, nothing is sent).
        return _Options(
            model=cast("str", kwargs.get("model", self.model)),
            temperature=cast("float | None", kwargs.get("temperature", self.temperature)),
            max_tokens=cast("int | None", kwargs.get("max_tokens", self.max_tokens)),
            thinking=cast("bool | None", kwargs.get("thinking", self.thinking)),
            thinking_mode=cast("ThinkingMode | None", kwargs.get("thinking_mode", self.thinking_mode)),
            web_search=cast("bool | None", kwargs.get("web_search", self.web_search)),
        )

    def _prompt(self, prompt: str, formatted: bool) -> str:
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a string, got {type(prompt).__name__}")
        to_prompt = self.completion_to_prompt
        return prompt if formatted or to_prompt is None else to_prompt(prompt)

    def _open_chat(self, messages: list[ChatMessage], o: _Options) -> Stream[ChatResponseStream]:
        return self.client.chat.create(
            messages,
            stream=True,
            **o.sdk(),
        )

    async def _aopen_chat(self, messages: list[ChatMessage], o: _Options) -> AsyncStream[ChatResponseStream]:
        return await self.client.chat.acreate(
            messages,
            stream=True,
            **o.sdk(),
        )

    def _open_completion(self, prompt: str, o: _Options) -> Stream[ChatResponseStream]:
        return self.client.completion.create(
            prompt=prompt,
            stream=True,
            **o.sdk(),
        )

    async def _aopen_completion(self, prompt: str, o: _Options) -> AsyncStream[ChatResponseStream]:
        return await self.client.completion.acreate(
            prompt=prompt,
            stream=True,
            **o.sdk(),
        )

    # -- chat ---------------------------------------------------------------------------------

    @_chat_callback
    def chat(self, messages: Sequence[LIChatMessage], **kwargs: object) -> LIChatResponse:
        """``client.chat.create(...)``: the whole answer as one ``ChatResponse``."""
        converted, o = to_qwen_messages(messages), self._options(kwargs)
        response = self.client.chat.create(
            converted,
            stream=False,
            **o.sdk(),
        )
        return LIChatResponse(
            message=LIChatMessage(role=MessageRole.ASSISTANT, content=response.choices[0].message.content),
            raw=attrs.asdict(response),
            additional_kwargs=_chat_kwargs(response),
        )

    @_chat_callback
    def stream_chat(self, messages: Sequence[LIChatMessage], **kwargs: object) -> Generator[LIChatResponse, None, None]:
        """``client.chat.create(..., stream=True)``; the request is sent when iteration starts."""
        converted, o = to_qwen_messages(messages), self._options(kwargs)
        return _responses(lambda: self._open_chat(converted, o), _chat_chunk)

    @_chat_callback
    async def achat(self, messages: Sequence[LIChatMessage], **kwargs: object) -> LIChatResponse:
        """``await client.chat.acreate(...)``."""
        converted, o = to_qwen_messages(messages), self._options(kwargs)
        response = await self.client.chat.acreate(
            converted,
            stream=False,
            **o.sdk(),
        )
        return LIChatResponse(
            message=LIChatMessage(role=MessageRole.ASSISTANT, content=response.choices[0].message.content),
            raw=attrs.asdict(response),
            additional_kwargs=_chat_kwargs(response),
        )

    @_chat_callback
    async def astream_chat(
        self, messages: Sequence[LIChatMessage], **kwargs: object
    ) -> AsyncGenerator[LIChatResponse, None]:
        """``await client.chat.acreate(..., stream=True)``; the request is sent when iteration starts."""
        converted, o = to_qwen_messages(messages), self._options(kwargs)
        return _aresponses(lambda: self._aopen_chat(converted, o), _chat_chunk)

    # -- completion ---------------------------------------------------------------------------

    @_completion_callback
    def complete(self, prompt: str, formatted: bool = False, **kwargs: object) -> LICompletionResponse:
        """``client.completion.create(prompt=...)``."""
        text, o = self._prompt(prompt, formatted), self._options(kwargs)
        response = self.client.completion.create(
            prompt=text,
            stream=False,
            **o.sdk(),
        )
        return LICompletionResponse(
            text=response.text, raw=attrs.asdict(response), additional_kwargs=_completion_kwargs(response)
        )

    @_completion_callback
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: object
    ) -> Generator[LICompletionResponse, None, None]:
        """``client.completion.create(prompt=..., stream=True)``; ``text`` is cumulative, ``delta`` the new piece."""
        text, o = self._prompt(prompt, formatted), self._options(kwargs)
        return _responses(lambda: self._open_completion(text, o), _completion_chunk)

    @_completion_callback
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: object) -> LICompletionResponse:
        """``await client.completion.acreate(prompt=...)``."""
        text, o = self._prompt(prompt, formatted), self._options(kwargs)
        response = await self.client.completion.acreate(
            prompt=text,
            stream=False,
            **o.sdk(),
        )
        return LICompletionResponse(
            text=response.text, raw=attrs.asdict(response), additional_kwargs=_completion_kwargs(response)
        )

    async def acreate(self, prompt: str, formatted: bool = False, **kwargs: object) -> LICompletionResponse:
        """The documented name of :meth:`acomplete` (kept as an alias)."""
        return await self.acomplete(prompt, formatted=formatted, **kwargs)

    @_completion_callback
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: object
    ) -> AsyncGenerator[LICompletionResponse, None]:
        """``await client.completion.acreate(prompt=..., stream=True)``; sent when iteration starts."""
        text, o = self._prompt(prompt, formatted), self._options(kwargs)
        return _aresponses(lambda: self._aopen_completion(text, o), _completion_chunk)

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the client's connection pools (only when this LLM made the client)."""
        if self._owns_client:
            self.client.close()

    async def aclose(self) -> None:
        """Async :meth:`close` (a client passed in is left open)."""
        if self._owns_client:
            await self.client.aclose()
