"""``client.chat``: messages in, an answer out (whole, or streamed chunk by chunk)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

from .._messages import normalise_messages
from .._streaming import AsyncStream, Stream
from .._turns import Turn, collect_turn, open_turn
from ..types.chat import ChatMessage, ChatResponse, ChatResponseStream
from ..types.files import FileResult
from ..types.tools import ResponseFormat, ToolChoice, ToolParam
from ._base import Resource
from ._options import message_turn, validate_model, validate_stream

if TYPE_CHECKING:
    from .._stream_parser import StreamState
    from .._tool_turns import ToolSession

MessagesInput = Sequence[ChatMessage | dict[str, Any]]


class Chat(Resource):
    """Chat completions over the service's v2 protocol (one chat per call unless continued)."""

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
            self._client._recent_uploads,
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        repair_rounds: int = 1,
    ) -> ChatResponse | Stream[ChatResponseStream]:
        """Answer the last message of ``messages`` (earlier ones are sent as context).

        ``tools`` / ``tool_choice`` / ``parallel_tool_calls`` / ``response_format`` take OpenAI's shapes;
        Qwen Chat has no native tools, so they are emulated (see ``docs/tools.md``): the answer's
        ``message.tool_calls`` (``finish_reason == "tool_calls"``) or its JSON content is parsed and
        checked against the schemas, with up to ``repair_rounds`` extra turns (0-3, default 1) asking the
        model to fix what failed. What still fails after them is returned marked: ``ToolCall.error`` /
        ``Message.validation_error``.
        """
        emulation = {
            "tools": tools,
            "tool_choice": tool_choice,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
            "repair_rounds": repair_rounds,
        }
        turn, to_upload, streaming, session = self._prepare(
            messages, model, stream, temperature, max_tokens, thinking, thinking_mode, web_search, files, emulation
        )
        if to_upload:
            turn = self._client._attach_uploads(turn, to_upload)
        client = self._client
        ctx = client._turn_ctx
        if session is not None:
            session.turn = turn
            from .._tool_turns import ToolStream, collect_tool_turn

            if streaming:
                opened = self._run(open_turn(ctx, turn))
                return ToolStream(opened, session, lambda repair: self._run(collect_turn(ctx, repair)))
            return self._run(collect_tool_turn(ctx, session))[0]
        if streaming:
            opened = self._run(open_turn(ctx, turn))
            return Stream(opened)
        state = self._run(collect_turn(ctx, turn))
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | Mapping[str, Any] | None = ...,
        repair_rounds: int = ...,
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
        thinking_mode: str | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        tools: Sequence[ToolParam | Mapping[str, Any]] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | Mapping[str, Any] | None = None,
        repair_rounds: int = 1,
    ) -> ChatResponse | AsyncStream[ChatResponseStream]:
        """Async :meth:`create`; with ``stream=True`` the awaited value is an async iterator."""
        emulation = {
            "tools": tools,
            "tool_choice": tool_choice,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
            "repair_rounds": repair_rounds,
        }
        turn, to_upload, streaming, session = self._prepare(
            messages, model, stream, temperature, max_tokens, thinking, thinking_mode, web_search, files, emulation
        )
        if to_upload:
            turn = await self._client._aattach_uploads(turn, to_upload)
        client = self._client
        ctx = client._turn_ctx
        if session is not None:
            session.turn = turn
            from .._tool_turns import AsyncToolStream, collect_tool_turn

            if streaming:
                opened = await self._arun(open_turn(ctx, turn))

                async def repair(next_turn: Turn) -> StreamState:
                    return await self._arun(collect_turn(ctx, next_turn))

                return AsyncToolStream(opened, session, repair)
            return (await self._arun(collect_tool_turn(ctx, session)))[0]
        if streaming:
            opened = await self._arun(open_turn(ctx, turn))
            return AsyncStream(opened)
        state = await self._arun(collect_turn(ctx, turn))
        return state.chat_response()

    def upload_file(self, file_path: str | None = None, base64_data: str | None = None, **kwargs: Any) -> FileResult:
        """Upload a file and get a :class:`FileResult` whose ``file_url`` goes into an ``ImageBlock``."""
        return self._client._upload_sync(file_path=file_path, base64_data=base64_data, **kwargs)

    async def async_upload_file(
        self, file_path: str | None = None, base64_data: str | None = None, **kwargs: Any
    ) -> FileResult:
        """Async :meth:`upload_file` (no blocking file I/O on the event loop)."""
        return await self._client._upload_async(file_path=file_path, base64_data=base64_data, **kwargs)
