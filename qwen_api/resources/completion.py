"""``client.completion``: a prompt in, text out -- the documented completion API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Unpack, overload

from .._messages import validate_prompt
from .._streaming import AsyncStream, Stream
from .._turns import Turn, collect_turn, open_turn
from ..types.chat import ChatResponse, ChatResponseStream
from ..types.completion import CompletionResponse
from ..types.params import MessagesInput, RequestOptionsParam, ThinkingMode
from ._base import Resource, turn_scope

if TYPE_CHECKING:
    from ._raw import CompletionWithRawResponse
from ._options import turn_options, validate_model, validate_stream
from .chat import Chat


def _use_messages(messages: object, prompt: object) -> bool:
    if (messages is None) == (prompt is None):
        raise TypeError("completion.create() needs exactly one of prompt= or messages=")
    return messages is not None


class Completion(Resource):
    """``client.completion``: a prompt in, text out (``response.choices[0].text``)."""

    @property
    def with_raw_response(self) -> CompletionWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import CompletionWithRawResponse

        return CompletionWithRawResponse(self, self._runtime.scope)

    def _prepare(
        self,
        model: object,
        prompt: object,
        stream: object,
        temperature: object,
        max_tokens: object,
        thinking: object,
        thinking_mode: object,
        web_search: object,
    ) -> tuple[Turn, bool]:
        streaming = validate_stream(stream)
        text = validate_prompt(prompt)
        options = turn_options(
            model=validate_model(model),
            thinking=thinking,
            thinking_mode=thinking_mode,
            web_search=web_search,
            temperature=temperature,
            max_tokens=max_tokens,
        )
        return Turn(text, options), streaming

    @overload
    def create(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: Literal[False] = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse: ...

    @overload
    def create(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: Literal[True],
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Stream[ChatResponseStream]: ...

    @overload
    def create(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: bool = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse | Stream[ChatResponseStream]: ...

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
        **request_options: Unpack[RequestOptionsParam],
    ) -> Stream[ChatResponseStream]: ...

    def create(
        self,
        messages: MessagesInput | None = None,
        model: str = "qwen-max-latest",
        stream: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        *,
        prompt: str | None = None,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse | ChatResponse | Stream[ChatResponseStream]:
        """``response.choices[0].text``; with ``stream=True``, chunks with ``choices[0].delta.content``.

        Given ``messages`` instead of ``prompt`` (the documented ``Completion.create`` signature of
        the older SDK), it is ``client.chat.create`` and returns a ``ChatResponse``.

        Args:
            prompt: the text to answer (give this or ``messages``, not both).
            messages: a message list, as for :meth:`Chat.create`.
            model: a model id or alias (default ``"qwen-max-latest"``), as for
                :meth:`qwen_api.resources.chat.Chat.create`.
            stream: False (default) returns the whole answer; True a :class:`~qwen_api.Stream` of chunks.
            temperature: 0 to 2; None (default) leaves it to the service.
            max_tokens: an upper bound on the answer's tokens; None (default) for the service's.
            thinking: True to reason first, False not to; None (default) follows the model.
            thinking_mode: ``"auto"``, ``"thinking"`` or ``"fast"``; overrides ``thinking``.
            web_search: search the web first (results in ``delta.extra.web_search_info``).
            **request_options: per-call options (``timeout=``, ``extra_headers=``, ``extra_query=``,
                ``extra_body=``; :class:`~qwen_api.types.RequestOptionsParam`), as in
                :meth:`qwen_api.resources.chat.Chat.create`.

        Raises:
            TypeError: neither or both of ``prompt`` and ``messages``; wrong argument types.
            QwenAPIError: the service refused or failed (see :meth:`Chat.create`).
        """
        if _use_messages(messages, prompt):
            chat: Any = Chat(self._runtime)  # one call site for every overload of chat.create
            return chat.create(  # type: ignore[no-any-return]
                messages,
                model,
                stream,
                temperature,
                max_tokens,
                thinking=thinking,
                thinking_mode=thinking_mode,
                web_search=web_search,
                **request_options,
            )
        turn, streaming = self._prepare(
            model, prompt, stream, temperature, max_tokens, thinking, thinking_mode, web_search
        )
        runtime = self._runtime
        with turn_scope(runtime, request_options):
            if streaming:
                opened = runtime.run(open_turn(runtime.turn_ctx, turn))
                return Stream(opened)
            state = runtime.run(collect_turn(runtime.turn_ctx, turn))
            return state.completion_response()

    @overload
    async def acreate(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: Literal[False] = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse: ...

    @overload
    async def acreate(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: Literal[True],
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> AsyncStream[ChatResponseStream]: ...

    @overload
    async def acreate(
        self,
        *,
        prompt: str,
        model: str = ...,
        stream: bool = ...,
        temperature: float | None = ...,
        max_tokens: int | None = ...,
        thinking: bool | None = ...,
        thinking_mode: ThinkingMode | None = ...,
        web_search: bool | None = ...,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse | AsyncStream[ChatResponseStream]: ...

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
        **request_options: Unpack[RequestOptionsParam],
    ) -> AsyncStream[ChatResponseStream]: ...

    async def acreate(
        self,
        messages: MessagesInput | None = None,
        model: str = "qwen-max-latest",
        stream: bool = False,
        temperature: float | None = None,
        max_tokens: int | None = None,
        *,
        prompt: str | None = None,
        thinking: bool | None = None,
        thinking_mode: ThinkingMode | None = None,
        web_search: bool | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> CompletionResponse | ChatResponse | AsyncStream[ChatResponseStream]:
        """Async :meth:`create` (an async iterator when streaming)."""
        if _use_messages(messages, prompt):
            chat: Any = Chat(self._runtime)  # one call site for every overload of chat.create
            return await chat.acreate(  # type: ignore[no-any-return]
                messages,
                model,
                stream,
                temperature,
                max_tokens,
                thinking=thinking,
                thinking_mode=thinking_mode,
                web_search=web_search,
                **request_options,
            )
        turn, streaming = self._prepare(
            model, prompt, stream, temperature, max_tokens, thinking, thinking_mode, web_search
        )
        runtime = self._runtime
        with turn_scope(runtime, request_options):
            if streaming:
                opened = await runtime.arun(open_turn(runtime.turn_ctx, turn))
                return AsyncStream(opened)
            state = await runtime.arun(collect_turn(runtime.turn_ctx, turn))
            return state.completion_response()
