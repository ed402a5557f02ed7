"""``client.chats``: conversations that live on the server, and the ``Conversation`` helper.

A :class:`Conversation` keeps ``chat_id`` and the ``parent_id`` chain itself: each turn's
``response_id`` becomes the next turn's ``parent_id``, so turn 2 continues turn 1 on the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, Unpack, overload

from qwen_api_client.api.chats import delete_chat, stop_completion
from qwen_api_client.types import Unset

from .._engine import Plan, json_call
from .._inputs import require_identifier
from .._messages import normalise_messages
from .._request_options import RequestOptions
from .._request_specs import delete_chat_spec, get_chat_spec, list_chats_spec, stop_spec
from .._stream_parser import StreamState
from .._streaming import AsyncStream, Stream
from .._turns import Turn, collect_turn, create_chat, open_turn
from .._upload import attach_uploads_async, attach_uploads_sync
from ..types.chat import ChatMessage, ChatResponse, ChatResponseStream
from ..types.chats import ChatDetail, ChatSummary
from ..types.params import (
    ChatType,
    MessageInput,
    MessagesInput,
    RequestOptionsParam,
    ThinkingMode,
)
from ._base import Resource, options, turn_scope
from ._options import message_turn, tool_emulation, validate_model, validate_stream

if TYPE_CHECKING:
    from .._tool_turns import ToolSession
    from ..types.files import FileResult
    from ..types.tools import ResponseFormat, ToolChoice, ToolParam
    from ._raw import ChatsWithRawResponse

_CHAT_TYPES = ("t2t", "search", "t2i", "t2v", "artifacts", "web_dev", "deep_research")


def _parse_list(body: Any) -> list[ChatSummary]:
    """Parsed once, from the JSON: each :class:`ChatSummary` keeps its whole item in ``raw``."""
    items = body.get("data", []) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise TypeError("the chat list answered no list of chats")
    return [ChatSummary.from_wire(item) for item in items]


def _parse_detail(body: Any) -> ChatDetail:
    """Parsed once, from the JSON: the :class:`ChatDetail` keeps the whole chat in ``raw``."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ValueError("chat detail answered no data")
    return ChatDetail.from_wire(data)


def _parse_delete(body: Any) -> bool:
    envelope = delete_chat.parse_response(body)
    if isinstance(envelope.data, Unset):
        return envelope.success
    return envelope.data.status is True or (isinstance(envelope.data.status, Unset) and envelope.success)


def _parse_ok(body: Any) -> bool:
    return stop_completion.parse_response(body).success


class Conversation:
    """A chat on the server; :meth:`send` continues it turn after turn."""

    def __init__(self, chats: Chats, chat_id: str, model: str, chat_type: str = "t2t") -> None:
        self._chats = chats
        self.chat_id = chat_id
        self.model = model
        self.chat_type = chat_type
        self._parent_id: str | None = None
        self._last_state: StreamState | None = None

    @property
    def parent_id(self) -> str | None:
        """The ``response_id`` the next turn will continue from (None before the first turn)."""
        if self._last_state is not None and self._last_state.response_id:
            return self._last_state.response_id
        return self._parent_id

    def __repr__(self) -> str:
        return f"Conversation(chat_id={self.chat_id!r}, model={self.model!r}, parent_id={self.parent_id!r})"

    def _turn(
        self,
        message: object,
        thinking: object,
        thinking_mode: object,
        web_search: object,
        files: object,
        emulation: dict[str, Any] | None = None,
        temperature: object = None,
        max_tokens: object = None,
    ) -> tuple[Turn, list[Any], ToolSession | None]:
        if isinstance(message, str):
            messages: list[Any] = [ChatMessage(role="user", content=message)]
        elif isinstance(message, ChatMessage | dict):
            messages = [message]
        elif isinstance(message, list | tuple):
            messages = list(message)
        else:
            raise TypeError(
                f"message must be a string, a ChatMessage or a list of messages, got {type(message).__name__}"
            )
        normalised = normalise_messages(messages)
        plan = None
        emulation = emulation or {}
        wanted = any(value is not None for name, value in emulation.items() if name != "repair_rounds")
        if wanted or any(item.tool_calls or item.role in ("tool", "function") for item in normalised):
            from .._tool_turns import prepare_messages  # on first use: `import qwen_api` stays cheap

            plan, normalised = prepare_messages(normalised, **emulation)
        turn, to_upload = message_turn(
            normalised,
            self._chats._runtime.recent_uploads,
            model=self.model,
            thinking=thinking,
            thinking_mode=thinking_mode,
            web_search=web_search,
            files=files,
            temperature=temperature,
            max_tokens=max_tokens,
            chat_type=self.chat_type,
            chat_id=self.chat_id,
            parent_id=self.parent_id,
        )
        if plan is None:
            return turn, to_upload, None
        from .._tool_turns import ToolSession

        return turn, to_upload, ToolSession(plan, normalised, turn)

    @overload
    def send(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: Literal[False] = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse: ...

    @overload
    def send(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: Literal[True],
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Stream[ChatResponseStream]: ...

    @overload
    def send(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: bool,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | Stream[ChatResponseStream]: ...

    def send(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: bool = False,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        tools: Sequence[ToolParam] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | None = None,
        repair_rounds: int = 1,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | Stream[ChatResponseStream]:
        """Send the next user turn; the answer continues the conversation on the server.

        Args:
            message: the text, a :class:`~qwen_api.ChatMessage` or dict, or a list of them.
            stream: False (default) returns the whole answer; True a :class:`~qwen_api.Stream`.
            thinking: True to reason first, False not to; None (default) follows the message and the model.
            thinking_mode: ``"auto"``, ``"thinking"`` or ``"fast"``; overrides ``thinking``.
            web_search: search the web first (results in ``delta.extra.web_search_info``).
            files: uploads (``client.chat.upload_file`` results) to attach to this turn.
            temperature: 0 to 2 for this turn; None (default) leaves it to the service.
            max_tokens: the most tokens this turn's answer may use; None (default): the service's limit.
            tools: functions the model may call, as for :meth:`qwen_api.resources.chat.Chat.create`
                (see ``docs/tools.md``); tool results are sent as the next turn's messages
                (``{"role": "tool", ...}``).
            tool_choice: ``"auto"``, ``"none"``, ``"required"`` or one named function, as for ``chat.create``.
            parallel_tool_calls: False keeps only the first call of an answer; None (default) or True all.
            response_format: a JSON answer (``json_object`` / ``json_schema``), as for ``chat.create``.
            repair_rounds: extra turns (0-3, default 1) asking the model to fix what failed its
                schema; a repair round continues this conversation.
            **request_options: per-call options (``timeout=``, ``extra_headers=``, ``extra_query=``,
                ``extra_body=``; :class:`~qwen_api.types.RequestOptionsParam`), as in
                :meth:`qwen_api.resources.chat.Chat.create`.

        Raises:
            QwenNotFoundError: the chat was deleted on the server.
            QwenAPIError: any other failure (see :meth:`Chat.create`).
        """
        streaming = validate_stream(stream)
        emulation = tool_emulation(tools, tool_choice, parallel_tool_calls, response_format, repair_rounds)
        turn, to_upload, session = self._turn(
            message, thinking, thinking_mode, web_search, files, emulation, temperature, max_tokens
        )
        runtime = self._chats._runtime
        with turn_scope(runtime, request_options):
            if to_upload:
                turn = attach_uploads_sync(runtime, turn, to_upload)
            if session is not None:
                return self._send_tools(session, turn, streaming)
            if streaming:
                opened = runtime.run(open_turn(runtime.turn_ctx, turn))
                self._last_state = opened.state
                return Stream(opened)
            state = runtime.run(collect_turn(runtime.turn_ctx, turn))
            self._last_state = state
            return state.chat_response()

    @overload
    async def asend(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: Literal[False] = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse: ...

    @overload
    async def asend(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: Literal[True],
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> AsyncStream[ChatResponseStream]: ...

    @overload
    async def asend(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: bool,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        files: Sequence[FileResult] | None = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        tools: Sequence[ToolParam] | None = ...,
        tool_choice: ToolChoice | None = ...,
        parallel_tool_calls: bool | None = ...,
        response_format: ResponseFormat | None = ...,
        repair_rounds: int = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | AsyncStream[ChatResponseStream]: ...

    async def asend(
        self,
        message: str | MessageInput | MessagesInput,
        *,
        stream: bool = False,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        files: Sequence[FileResult] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        tools: Sequence[ToolParam] | None = None,
        tool_choice: ToolChoice | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: ResponseFormat | None = None,
        repair_rounds: int = 1,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatResponse | AsyncStream[ChatResponseStream]:
        """Async :meth:`send`; with ``stream=True`` the awaited value is an async iterator."""
        streaming = validate_stream(stream)
        emulation = tool_emulation(tools, tool_choice, parallel_tool_calls, response_format, repair_rounds)
        turn, to_upload, session = self._turn(
            message, thinking, thinking_mode, web_search, files, emulation, temperature, max_tokens
        )
        runtime = self._chats._runtime
        with turn_scope(runtime, request_options):
            if to_upload:
                turn = await attach_uploads_async(runtime, turn, to_upload)
            if session is not None:
                return await self._asend_tools(session, turn, streaming)
            if streaming:
                opened = await runtime.arun(open_turn(runtime.turn_ctx, turn))
                self._last_state = opened.state
                return AsyncStream(opened)
            state = await runtime.arun(collect_turn(runtime.turn_ctx, turn))
            self._last_state = state
            return state.chat_response()

    def _send_tools(
        self, session: ToolSession, turn: Turn, streaming: bool
    ) -> ChatResponse | Stream[ChatResponseStream]:
        from .._tool_turns import ToolStream, collect_tool_turn

        runtime = self._chats._runtime
        ctx = runtime.turn_ctx
        session.turn = turn
        if streaming:
            opened = runtime.run(open_turn(ctx, turn))
            self._last_state = opened.state

            def repair(next_turn: Turn) -> StreamState:
                self._last_state = runtime.run(collect_turn(ctx, next_turn))
                return self._last_state

            return ToolStream(opened, session, repair)
        response, self._last_state = runtime.run(collect_tool_turn(ctx, session))
        return response

    async def _asend_tools(
        self, session: ToolSession, turn: Turn, streaming: bool
    ) -> ChatResponse | AsyncStream[ChatResponseStream]:
        from .._tool_turns import AsyncToolStream, collect_tool_turn

        runtime = self._chats._runtime
        ctx = runtime.turn_ctx
        session.turn = turn
        if streaming:
            opened = await runtime.arun(open_turn(ctx, turn))
            self._last_state = opened.state

            async def repair(next_turn: Turn) -> StreamState:
                self._last_state = await runtime.arun(collect_turn(ctx, next_turn))
                return self._last_state

            return AsyncToolStream(opened, session, repair)
        response, self._last_state = await runtime.arun(collect_tool_turn(ctx, session))
        return response

    def delete(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Delete this conversation's chat on the server (see :meth:`Chats.delete`)."""
        return self._chats.delete(self.chat_id, **request_options)

    async def adelete(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Async :meth:`delete`."""
        return await self._chats.adelete(self.chat_id, **request_options)


class Chats(Resource):
    """Create, list, read, delete and stop conversations."""

    @property
    def with_raw_response(self) -> ChatsWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import ChatsWithRawResponse

        return ChatsWithRawResponse(self, self._runtime.scope)

    def _new_plan(self, model: object, chat_type: object) -> Plan[Conversation]:
        model_id = validate_model(model)
        if not isinstance(chat_type, str) or not chat_type:
            raise TypeError(f"chat_type must be a string such as {_CHAT_TYPES}, got {chat_type!r}")
        runtime = self._runtime
        resolved = yield from runtime.turn_ctx.resolve_model(model_id)
        chat_id = yield from create_chat(runtime.config, runtime.headers, resolved, chat_type, runtime.policy)
        return Conversation(self, chat_id, resolved, chat_type)

    def new(
        self,
        model: str = "qwen-max-latest",
        chat_type: ChatType = "t2t",
        **request_options: Unpack[RequestOptionsParam],
    ) -> Conversation:
        """Create a chat on the server; ``conv.send(...)`` then talks in it.

        Args:
            model: a model id or alias (default ``"qwen-max-latest"``, resolved once here).
            chat_type: the kind of chat: ``"t2t"`` (text, default), ``"search"``, ``"t2i"``...
            **request_options: per-call options (``timeout=``, ``extra_headers=``, ``extra_query=``,
                ``extra_body=``; :class:`~qwen_api.types.RequestOptionsParam`), as in
                :meth:`qwen_api.resources.chat.Chat.create`.
        """
        return self._run(
            self._new_plan(model, chat_type),
            options(request_options),
        )

    async def anew(
        self,
        model: str = "qwen-max-latest",
        chat_type: ChatType = "t2t",
        **request_options: Unpack[RequestOptionsParam],
    ) -> Conversation:
        """Async :meth:`new`."""
        return await self._arun(
            self._new_plan(model, chat_type),
            options(request_options),
        )

    def resume(self, chat_id: str, model: str = "qwen-max-latest", parent_id: str | None = None) -> Conversation:
        """Continue an existing chat (e.g. from ``chats.list()``); ``parent_id`` is its last answer's id."""
        conversation = Conversation(self, require_identifier("chat_id", chat_id), validate_model(model))
        conversation._parent_id = parent_id
        return conversation

    def _page_plan(self, page: int) -> Plan[list[ChatSummary]]:
        runtime = self._runtime
        spec = list_chats_spec(runtime.config, runtime.headers, page)
        return (yield from json_call(spec, _parse_list, runtime.policy))

    @staticmethod
    def _check_page(page: object) -> int | None:
        if page is None:
            return None
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise ValueError(f"page must be an integer >= 1, got {page!r}")
        return page

    def list(
        self,
        page: int | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Iterator[ChatSummary]:
        """Chats, newest first; pages are fetched as you iterate (or just ``page`` when given).

        A bad ``page`` is refused here, not when iteration starts."""
        return self._pages(
            self._check_page(page),
            options(request_options),
        )

    def _pages(self, only: int | None, call: RequestOptions | None) -> Iterator[ChatSummary]:
        current = only or 1
        while True:
            items = self._run(self._page_plan(current), call)
            yield from items
            if only is not None or not items:
                return
            current += 1

    def alist(
        self,
        page: int | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> AsyncIterator[ChatSummary]:
        """``async for chat in client.chats.alist(): ...`` (a bad ``page`` is refused at the call)."""
        return self._apages(
            self._check_page(page),
            options(request_options),
        )

    async def _apages(self, only: int | None, call: RequestOptions | None) -> AsyncIterator[ChatSummary]:
        current = only or 1
        while True:
            items = await self._arun(self._page_plan(current), call)
            for item in items:
                yield item
            if only is not None or not items:
                return
            current += 1

    def _get_plan(self, chat_id: object) -> Plan[ChatDetail]:
        runtime = self._runtime
        spec = get_chat_spec(runtime.config, runtime.headers, chat_id)
        return (yield from json_call(spec, _parse_detail, runtime.policy))

    def get(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatDetail:
        """A chat with its messages (``ChatDetail.messages``); raises ``QwenNotFoundError`` for an unknown id."""
        return self._run(
            self._get_plan(chat_id),
            options(request_options),
        )

    async def aget(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ChatDetail:
        """Async :meth:`get`."""
        return await self._arun(
            self._get_plan(chat_id),
            options(request_options),
        )

    def _delete_plan(self, chat_id: object) -> Plan[bool]:
        runtime = self._runtime
        spec = delete_chat_spec(runtime.config, runtime.headers, chat_id)
        return (yield from json_call(spec, _parse_delete, runtime.policy))

    def delete(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Delete a chat on the server; True when the service confirmed it."""
        return self._run(
            self._delete_plan(chat_id),
            options(request_options),
        )

    async def adelete(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Async :meth:`delete`."""
        return await self._arun(
            self._delete_plan(chat_id),
            options(request_options),
        )

    def _stop_plan(self, chat_id: object, response_id: object) -> Plan[bool]:
        runtime = self._runtime
        spec = stop_spec(runtime.config, runtime.headers, chat_id, response_id)
        return (yield from json_call(spec, _parse_ok, runtime.policy))

    def stop(
        self,
        chat_id: str,
        response_id: str | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Stop an answer that is still being generated."""
        return self._run(
            self._stop_plan(chat_id, response_id),
            options(request_options),
        )

    async def astop(
        self,
        chat_id: str,
        response_id: str | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> bool:
        """Async :meth:`stop`."""
        return await self._arun(
            self._stop_plan(chat_id, response_id),
            options(request_options),
        )
