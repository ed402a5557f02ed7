"""``client.chat``: messages in, an answer out (whole, or streamed chunk by chunk)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, Literal, Unpack, overload

from .._messages import normalise_messages
from .._streaming import AsyncStream, Stream
from .._turns import Turn, collect_turn, open_turn
from .._upload import attach_uploads_async, attach_uploads_sync, upload_async, upload_call, upload_sync
from ..types.chat import ChatResponse, ChatResponseStream
from ..types.files import FileResult
from ..types.params import (
    MessagesInput,
    PathInput,
    ProgressCallback,
    RequestOptionsParam,
    SignatureVersion,
    ThinkingMode,
)
from ..types.tools import ResponseFormat, ToolChoice, ToolParam
from ._base import Resource, options, turn_scope
from ._options import message_turn, tool_emulation, validate_model, validate_stream

if TYPE_CHECKING:
    from .._stream_parser import StreamState
    from .._tool_turns import ToolSession
    from ._raw import ChatWithRawResponse

__all__ = ["Chat", "MessagesInput"]


class Chat(Resource):
    """Chat completions over the service's v2 protocol (one chat per call unless continued)."""

    @property
    def with_raw_response(self) -> ChatWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import ChatWithRawResponse

        return ChatWithRawResponse(self, self._runtime.scope)

    def _prepare(
        self,
        messages: object,
        model: object,
        stream: object,
        temperature: object,
        max_tokens: object,
        thinking: object,
        thinking_mode: object,
        web_search: object,
        files: object,
        emulation: dict[str, Any],
    ) -> tuple[Turn, list[Any], bool, ToolSession | None]:
        stream = validate_stream(stream)
        resolved = validate_model(model)
        normalised = normalise_messages(messages)
        plan = None
        wanted = any(value is not None for name, value in emulation.items() if name != "repair_rounds")
        if wanted or any(message.tool_calls or message.role in ("tool", "function") for message in normalised):
            from .._tool_turns import prepare_messages  # on first use: `import qwen_api` stays cheap

            plan, normalised = prepare_messages(normalised, **emulation)
        turn, to_upload = message_turn(
            normalised,
            self._runtime.recent_uploads,
            model=resolved,
            thinking=thinking,
            thinking_mode=thinking_mode,
            web_search=web_search,
            files=files,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        if plan is None:
            return turn, to_upload, stream, None
        from .._tool_turns import ToolSession

        return turn, to_upload, stream, ToolSession(plan, normalised, turn)

    @overload
    def create(
        self,
        messages: MessagesInput,
        model: str = ...,
        stream: Literal[False] = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        *,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse: ...

    @overload
    def create(
        self,
        messages: MessagesInput,
        model: str = ...,
        *,
        stream: Literal[True],
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Stream[ChatResponseStream]: ...

    @overload
    def create(
        self,
        messages: MessagesInput,
        model: str = ...,
        stream: bool = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        *,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | Stream[ChatResponseStream]: ...

    def create(
        self,
        messages: MessagesInput,
        model: str = "qwen-max-latest",
        stream: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        *,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        tools: Sequence[ToolParam] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | None = None,
        repair_rounds: int = 1,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | Stream[ChatResponseStream]:
        """Answer the last message of ``messages``; the earlier ones are sent as context.

        Each call starts a fresh chat on the service; use ``client.chats.new()`` for a conversation
        that the service keeps turn after turn.

        Args:
            messages: :class:`~qwen_api.ChatMessage` objects or dicts (:class:`~qwen_api.types.ChatMessageParam`);
                the last one (role ``user``) is answered.
            model: a model id from ``client.models.list()``, or an alias such as
                ``"qwen-max-latest"`` (resolved to the newest model of its family). Default
                ``"qwen-max-latest"``.
            stream: False (default) returns the whole :class:`~qwen_api.ChatResponse`; True returns a
                :class:`~qwen_api.Stream` of chunks (``chunk.choices[0].delta.content``).
            temperature: 0 to 2; None (default) leaves it to the service.
            max_tokens: an upper bound on the answer's tokens; None (default) for the service's.
            thinking: True to reason first (``reasoning_content``), False not to; None (default)
                follows the last message's ``thinking`` and then the model.
            thinking_mode: ``"auto"``, ``"thinking"`` or ``"fast"``; overrides ``thinking``.
            web_search: search the web first (results in ``delta.extra.web_search_info``).
            files: uploads (:meth:`upload_file` results) to attach to the last message.
            tools: functions the model may call, OpenAI's
                ``[{"type": "function", "function": {...}}]`` (:class:`~qwen_api.types.ToolParam`).
                Qwen Chat has no native tools, so they are emulated (see ``docs/tools.md``): the
                answer's ``message.tool_calls`` (``finish_reason == "tool_calls"``) is parsed out of
                its text and checked against each tool's ``parameters`` schema.
            tool_choice: ``"auto"`` (default with tools), ``"none"``, ``"required"``, or
                ``{"type": "function", "function": {"name": ...}}`` to force one tool.
            parallel_tool_calls: False keeps only the first call of an answer; None (default) or True keeps them all.
            response_format: ``{"type": "json_object"}`` or ``{"type": "json_schema", "json_schema": {...}}``
                for a JSON answer (``message.parsed``, checked against the schema);
                ``{"type": "text"}`` or None (default) for plain text.
            repair_rounds: extra turns (0-3, default 1) asking the model to fix calls or JSON that
                failed their schema. What still fails after them is returned marked:
                ``ToolCall.error`` / ``Message.validation_error``.
            **request_options: options for this call only, as in openai-python
                (:class:`~qwen_api.types.RequestOptionsParam`): ``timeout=`` (seconds for connect and
                each read, or an ``httpx.Timeout``; None keeps the client's), ``extra_headers=``
                (added to every request of this call, not to storage uploads), ``extra_query=``
                (query parameters added to every request of this call), ``extra_body=`` (JSON fields
                merged into the body of the call's main request, for fields the SDK does not model yet).

        Raises:
            TypeError, ValueError: invalid arguments or messages (nothing is sent).
            QwenAuthenticationError: the token was refused or expired.
            RateLimitError: too many requests (``retry_after`` says when to try again).
            QwenTimeoutError, QwenConnectionError: the service could not be reached in time.
            QwenStreamInterruptedError: the connection broke mid-answer (``partial_content`` kept).
            QwenAPIError: any other failure; every SDK error derives from it.
        """
        emulation = tool_emulation(tools, tool_choice, parallel_tool_calls, response_format, repair_rounds)
        turn, to_upload, streaming, session = self._prepare(
            messages, model, stream, temperature, max_tokens, thinking, thinking_mode, web_search, files, emulation
        )
        runtime = self._runtime
        ctx = runtime.turn_ctx
        with turn_scope(runtime, request_options):
            if to_upload:
                turn = attach_uploads_sync(runtime, turn, to_upload)
            if session is not None:
                session.turn = turn
                from .._tool_turns import ToolStream, collect_tool_turn

                if streaming:
                    opened = runtime.run(open_turn(ctx, turn))

                    def repair(next_turn: Turn) -> StreamState:
                        return runtime.run(collect_turn(ctx, next_turn))

                    return ToolStream(opened, session, repair)
                response, _ = runtime.run(collect_tool_turn(ctx, session))
                return response
            if streaming:
                opened = runtime.run(open_turn(ctx, turn))
                return Stream(opened)
            state = runtime.run(collect_turn(ctx, turn))
            return state.chat_response()

    @overload
    async def acreate(
        self,
        messages: MessagesInput,
        model: str = ...,
        stream: Literal[False] = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        *,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse: ...

    @overload
    async def acreate(
        self,
        messages: MessagesInput,
        model: str = ...,
        *,
        stream: Literal[True],
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> AsyncStream[ChatResponseStream]: ...

    @overload
    async def acreate(
        self,
        messages: MessagesInput,
        model: str = ...,
        stream: bool = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        *,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | AsyncStream[ChatResponseStream]: ...

    async def acreate(
        self,
        messages: MessagesInput,
        model: str = "qwen-max-latest",
        stream: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        *,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        tools: Sequence[ToolParam] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | None = None,
        repair_rounds: int = 1,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | AsyncStream[ChatResponseStream]:
        """Async :meth:`create`; with ``stream=True`` the awaited value is an async iterator."""
        emulation = tool_emulation(tools, tool_choice, parallel_tool_calls, response_format, repair_rounds)
        turn, to_upload, streaming, session = self._prepare(
            messages, model, stream, temperature, max_tokens, thinking, thinking_mode, web_search, files, emulation
        )
        runtime = self._runtime
        ctx = runtime.turn_ctx
        with turn_scope(runtime, request_options):
            if to_upload:
                turn = await attach_uploads_async(runtime, turn, to_upload)
            if session is not None:
                session.turn = turn
                from .._tool_turns import AsyncToolStream, collect_tool_turn

                if streaming:
                    opened = await runtime.arun(open_turn(ctx, turn))

                    async def repair(next_turn: Turn) -> StreamState:
                        return await runtime.arun(collect_turn(ctx, next_turn))

                    return AsyncToolStream(opened, session, repair)
                response, _ = await runtime.arun(collect_tool_turn(ctx, session))
                return response
            if streaming:
                opened = await runtime.arun(open_turn(ctx, turn))
                return AsyncStream(opened)
            state = await runtime.arun(collect_turn(ctx, turn))
            return state.chat_response()

    @overload
    def upload_file(
        self,
        file_path: PathInput | None = None,
        base64_data: str | None = None,
        *,
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult: ...

    @overload
    def upload_file(
        self,
        *,
        file: IO[bytes],
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult: ...

    def upload_file(
        self,
        file_path: PathInput | None = None,
        base64_data: str | None = None,
        *,
        file: IO[bytes] | None = None,
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult:
        """Upload a file and get a :class:`FileResult` whose ``file_url`` goes into an ``ImageBlock``.

        Give exactly one source:

        - ``file_path``: a path (``str`` or ``pathlib.Path``); the body is streamed from disk.
        - ``base64_data``: base64 text or a ``data:<type>;base64,...`` URL.
        - ``file``: a binary file object (``open(path, "rb")``, ``io.BytesIO``...).

        ``filename`` names a ``base64_data`` / ``file`` upload (default ``upload.<ext>`` from the
        detected type). ``progress(sent, total)`` is called as the body is sent.
        ``signature_version`` signs the storage PUT with OSS V4 (default) or V1.
        ``parse_documents`` (default True) waits until the service has parsed a document.

        Raises a subclass of both :class:`~qwen_api.QwenInvalidRequestError` and the built-in
        exception for a local mistake (``FileNotFoundError``, ``IsADirectoryError``,
        ``PermissionError``, ``TypeError``, ``ValueError``), before anything is sent;
        :class:`~qwen_api.QwenUploadError` when a storage step fails.
        """
        call_options = options(kwargs)
        call = upload_call(file_path, base64_data, file, filename, progress, signature_version, parse_documents)
        runtime = self._runtime
        with runtime.scope(call_options):
            return upload_sync(runtime, call)

    @overload
    async def async_upload_file(
        self,
        file_path: PathInput | None = None,
        base64_data: str | None = None,
        *,
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult: ...

    @overload
    async def async_upload_file(
        self,
        *,
        file: IO[bytes],
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult: ...

    async def async_upload_file(
        self,
        file_path: PathInput | None = None,
        base64_data: str | None = None,
        *,
        file: IO[bytes] | None = None,
        filename: str | None = None,
        progress: ProgressCallback | None = None,
        signature_version: SignatureVersion = "v4",
        parse_documents: bool = True,
        **kwargs: Unpack[RequestOptionsParam],
    ) -> FileResult:
        """Async :meth:`upload_file` (no blocking file I/O on the event loop); also named :meth:`aupload_file`."""
        call_options = options(kwargs)
        call = upload_call(file_path, base64_data, file, filename, progress, signature_version, parse_documents)
        runtime = self._runtime
        with runtime.scope(call_options):
            return await upload_async(runtime, call)

    aupload_file = async_upload_file
