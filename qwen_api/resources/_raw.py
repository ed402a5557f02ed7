"""``with_raw_response`` on every resource: the same methods, returning a :class:`~qwen_api.RawResponse`.

``client.chat.with_raw_response.create(...)`` runs ``client.chat.create(...)`` unchanged and also
records the HTTP status and headers of its main request (for a chat turn, the completion request);
``.parse()`` gives what the plain method returns. The signatures repeat the plain methods' so a type
checker knows each result (``stream=True`` gives ``RawResponse[Stream[...]]``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar, Unpack, overload

from .._raw_response import RawResponse
from .._request_options import TURN_OPERATIONS, RequestOptions, ResponseRecorder
from ._base import Resource

if TYPE_CHECKING:
    from .._streaming import AsyncStream, Stream
    from ..types.account import Account
    from ..types.chat import ChatResponse, ChatResponseStream
    from ..types.chats import ChatDetail
    from ..types.completion import CompletionResponse
    from ..types.files import FileResult
    from ..types.images import ImagesResponse
    from ..types.models import Model
    from ..types.params import (
        ChatType,
        ImageSize,
        MessagesInput,
        PathInput,
        ProgressCallback,
        RequestOptionsParam,
        SignatureVersion,
        ThinkingMode,
    )
    from ..types.tools import ResponseFormat, ToolChoice, ToolParam
    from .account import AccountResource
    from .chat import Chat
    from .chats import Chats, Conversation
    from .completion import Completion
    from .images import Images
    from .models import ModelList, Models

ResourceT = TypeVar("ResourceT", bound=Resource)
Scope = Callable[[RequestOptions | None], AbstractContextManager[None]]
"""The client's per-call option scope (``Runtime.scope``), handed over by the resource."""


def _raw(
    resource: ResourceT, scope: Scope, operations: frozenset[str] | None, call: Callable[[Any], object]
) -> RawResponse[Any]:
    recorder = ResponseRecorder(operations)
    with scope(RequestOptions(recorder=recorder)):
        result = call(resource)
    return RawResponse(result, recorder)


async def _araw(
    resource: ResourceT, scope: Scope, operations: frozenset[str] | None, call: Callable[[Any], Awaitable[object]]
) -> RawResponse[Any]:
    recorder = ResponseRecorder(operations)
    with scope(RequestOptions(recorder=recorder)):
        result = await call(resource)
    return RawResponse(result, recorder)


class ChatWithRawResponse:
    """``client.chat.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: Chat, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

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
    ) -> RawResponse[ChatResponse]: ...

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
    ) -> RawResponse[Stream[ChatResponseStream]]: ...

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
    ) -> RawResponse[ChatResponse | Stream[ChatResponseStream]]: ...

    def create(self, *args: Any, **kwargs: Any) -> RawResponse[ChatResponse | Stream[ChatResponseStream]]:
        """:meth:`Chat.create`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, TURN_OPERATIONS, lambda r: r.create(*args, **kwargs))

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
    ) -> RawResponse[ChatResponse]: ...

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
    ) -> RawResponse[AsyncStream[ChatResponseStream]]: ...

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
    ) -> RawResponse[ChatResponse | AsyncStream[ChatResponseStream]]: ...

    async def acreate(self, *args: Any, **kwargs: Any) -> RawResponse[ChatResponse | AsyncStream[ChatResponseStream]]:
        """:meth:`Chat.acreate`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, TURN_OPERATIONS, lambda r: r.acreate(*args, **kwargs))

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
    ) -> RawResponse[FileResult]: ...

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
    ) -> RawResponse[FileResult]: ...

    def upload_file(self, *args: Any, **kwargs: Any) -> RawResponse[FileResult]:
        """:meth:`Chat.upload_file`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.upload_file(*args, **kwargs))

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
    ) -> RawResponse[FileResult]: ...

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
    ) -> RawResponse[FileResult]: ...

    async def async_upload_file(self, *args: Any, **kwargs: Any) -> RawResponse[FileResult]:
        """:meth:`Chat.async_upload_file`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, None, lambda r: r.async_upload_file(*args, **kwargs))

    aupload_file = async_upload_file


class CompletionWithRawResponse:
    """``client.completion.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: Completion, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

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
    ) -> RawResponse[CompletionResponse]: ...

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
    ) -> RawResponse[Stream[ChatResponseStream]]: ...

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
    ) -> RawResponse[CompletionResponse | Stream[ChatResponseStream]]: ...

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
    ) -> RawResponse[ChatResponse]: ...

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
    ) -> RawResponse[Stream[ChatResponseStream]]: ...

    def create(
        self, *args: Any, **kwargs: Any
    ) -> RawResponse[CompletionResponse | ChatResponse | Stream[ChatResponseStream]]:
        """:meth:`Completion.create`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, TURN_OPERATIONS, lambda r: r.create(*args, **kwargs))

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
    ) -> RawResponse[CompletionResponse]: ...

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
    ) -> RawResponse[AsyncStream[ChatResponseStream]]: ...

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
    ) -> RawResponse[CompletionResponse | AsyncStream[ChatResponseStream]]: ...

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
    ) -> RawResponse[ChatResponse]: ...

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
    ) -> RawResponse[AsyncStream[ChatResponseStream]]: ...

    async def acreate(
        self, *args: Any, **kwargs: Any
    ) -> RawResponse[CompletionResponse | ChatResponse | AsyncStream[ChatResponseStream]]:
        """:meth:`Completion.acreate`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, TURN_OPERATIONS, lambda r: r.acreate(*args, **kwargs))


class ImagesWithRawResponse:
    """``client.images.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: Images, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

    def generate(
        self,
        prompt: str,
        model: str = "qwen-max-latest",
        size: ImageSize = "1:1",
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ImagesResponse]:
        """:meth:`Images.generate`, with the HTTP status and headers of its main request."""
        return _raw(
            self._resource,
            self._scope,
            TURN_OPERATIONS,
            lambda r: r.generate(prompt=prompt, model=model, size=size, **request_options),
        )

    async def agenerate(
        self,
        prompt: str,
        model: str = "qwen-max-latest",
        size: ImageSize = "1:1",
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ImagesResponse]:
        """:meth:`Images.agenerate`, with the HTTP status and headers of its main request."""
        return await _araw(
            self._resource,
            self._scope,
            TURN_OPERATIONS,
            lambda r: r.agenerate(prompt=prompt, model=model, size=size, **request_options),
        )


class ModelsWithRawResponse:
    """``client.models.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: Models, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

    def list(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ModelList]:
        """:meth:`Models.list`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.list(**request_options))

    async def alist(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ModelList]:
        """:meth:`Models.alist`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, None, lambda r: r.alist(**request_options))

    def retrieve(
        self,
        model_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Model]:
        """:meth:`Models.retrieve`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.retrieve(model_id=model_id, **request_options))

    async def aretrieve(
        self,
        model_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Model]:
        """:meth:`Models.aretrieve`, with the HTTP status and headers of its main request."""
        return await _araw(
            self._resource, self._scope, None, lambda r: r.aretrieve(model_id=model_id, **request_options)
        )


class ChatsWithRawResponse:
    """``client.chats.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: Chats, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

    def new(
        self,
        model: str = "qwen-max-latest",
        chat_type: ChatType = "t2t",
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Conversation]:
        """:meth:`Chats.new`, with the HTTP status and headers of its main request."""
        return _raw(
            self._resource, self._scope, None, lambda r: r.new(model=model, chat_type=chat_type, **request_options)
        )

    async def anew(
        self,
        model: str = "qwen-max-latest",
        chat_type: ChatType = "t2t",
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Conversation]:
        """:meth:`Chats.anew`, with the HTTP status and headers of its main request."""
        return await _araw(
            self._resource, self._scope, None, lambda r: r.anew(model=model, chat_type=chat_type, **request_options)
        )

    def get(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ChatDetail]:
        """:meth:`Chats.get`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.get(chat_id=chat_id, **request_options))

    async def aget(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[ChatDetail]:
        """:meth:`Chats.aget`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, None, lambda r: r.aget(chat_id=chat_id, **request_options))

    def delete(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[bool]:
        """:meth:`Chats.delete`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.delete(chat_id=chat_id, **request_options))

    async def adelete(
        self,
        chat_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[bool]:
        """:meth:`Chats.adelete`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, None, lambda r: r.adelete(chat_id=chat_id, **request_options))

    def stop(
        self,
        chat_id: str,
        response_id: str | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[bool]:
        """:meth:`Chats.stop`, with the HTTP status and headers of its main request."""
        return _raw(
            self._resource,
            self._scope,
            None,
            lambda r: r.stop(chat_id=chat_id, response_id=response_id, **request_options),
        )

    async def astop(
        self,
        chat_id: str,
        response_id: str | None = None,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[bool]:
        """:meth:`Chats.astop`, with the HTTP status and headers of its main request."""
        return await _araw(
            self._resource,
            self._scope,
            None,
            lambda r: r.astop(chat_id=chat_id, response_id=response_id, **request_options),
        )


class AccountResourceWithRawResponse:
    """``client.account.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""

    def __init__(self, resource: AccountResource, scope: Scope) -> None:
        self._resource, self._scope = resource, scope

    def retrieve(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Account]:
        """:meth:`AccountResource.retrieve`, with the HTTP status and headers of its main request."""
        return _raw(self._resource, self._scope, None, lambda r: r.retrieve(**request_options))

    async def aretrieve(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> RawResponse[Account]:
        """:meth:`AccountResource.aretrieve`, with the HTTP status and headers of its main request."""
        return await _araw(self._resource, self._scope, None, lambda r: r.aretrieve(**request_options))
