"""Typed Python SDK for Qwen Chat (chat.qwen.ai): sync and async, streaming, uploads, retries.

Names are imported lazily, so ``import qwen_api`` costs almost nothing until a client is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from ._async_client import AsyncQwen
    from ._exceptions import (
        AuthError,
        QwenAntiBotError,
        QwenAPIError,
        QwenAPIStatus4xxError,
        QwenAPIStatus5xxError,
        QwenAPIStatusError,
        QwenAuthenticationError,
        QwenClientClosedError,
        QwenConnectionError,
        QwenContentFilterError,
        QwenFileNotFoundError,
        QwenFilePermissionError,
        QwenInputError,
        QwenInputTypeError,
        QwenInputValueError,
        QwenInternalError,
        QwenInvalidRequestError,
        QwenIsADirectoryError,
        QwenNotFoundError,
        QwenPermissionError,
        QwenResponseTooLargeError,
        QwenStreamInterruptedError,
        QwenTimeoutError,
        QwenUploadError,
        RateLimitError,
        StreamConsumedError,
    )
    from ._limits import ResponseLimits
    from ._raw_response import RawResponse
    from ._streaming import AsyncStream, Stream
    from .client import Qwen
    from .resources.chats import Conversation
    from .types import (
        Account,
        AudioBlock,
        AudioBlockParam,
        Body,
        ChatDetail,
        ChatHistoryMessage,
        ChatMessage,
        ChatMessageParam,
        ChatResponse,
        ChatResponseStream,
        ChatSummary,
        ChatType,
        Choice,
        ChoiceList,
        ChoiceStream,
        CompletionChoice,
        CompletionResponse,
        ContentBlock,
        ContentPartParam,
        Delta,
        DocumentBlock,
        DocumentBlockParam,
        Extra,
        FileResult,
        FunctionCall,
        GeneratedImage,
        Headers,
        ImageBlock,
        ImageBlockParam,
        ImageSize,
        ImagesResponse,
        ImageURLParam,
        ImageURLPartParam,
        JSONObject,
        JSONValue,
        Message,
        MessageInput,
        MessageRole,
        MessagesInput,
        Model,
        ModelCapabilities,
        PathInput,
        ProgressCallback,
        Query,
        Role,
        RoleInput,
        SignatureVersion,
        TextBlock,
        TextBlockParam,
        TextPartParam,
        ThinkingMode,
        Usage,
        VideoBlock,
        VideoBlockParam,
        WebSearchInfo,
    )

_LAZY = {
    "Qwen": "client",
    "AsyncQwen": "_async_client",
    "Conversation": "resources.chats",
    "Stream": "_streaming",
    "AsyncStream": "_streaming",
    "ChatMessage": "types.chat",
    "TextBlock": "types.chat",
    "ImageBlock": "types.chat",
    "DocumentBlock": "types.chat",
    "AudioBlock": "types.chat",
    "VideoBlock": "types.chat",
    "FileResult": "types.files",
    "RawResponse": "_raw_response",
    "ResponseLimits": "_limits",
}

__all__ = [
    "Account",
    "AsyncQwen",
    "AsyncStream",
    "AudioBlock",
    "AudioBlockParam",
    "AuthError",
    "Body",
    "ChatDetail",
    "ChatHistoryMessage",
    "ChatMessage",
    "ChatMessageParam",
    "ChatResponse",
    "ChatResponseStream",
    "ChatSummary",
    "ChatType",
    "Choice",
    "ChoiceList",
    "ChoiceStream",
    "CompletionChoice",
    "CompletionResponse",
    "ContentBlock",
    "ContentPartParam",
    "Conversation",
    "Delta",
    "DocumentBlock",
    "DocumentBlockParam",
    "Extra",
    "FileResult",
    "FunctionCall",
    "GeneratedImage",
    "Headers",
    "ImageBlock",
    "ImageBlockParam",
    "ImageSize",
    "ImageURLParam",
    "ImageURLPartParam",
    "ImagesResponse",
    "JSONObject",
    "JSONValue",
    "Message",
    "MessageInput",
    "MessageRole",
    "MessagesInput",
    "Model",
    "ModelCapabilities",
    "PathInput",
    "ProgressCallback",
    "Query",
    "Qwen",
    "QwenAPIError",
    "QwenAPIStatus4xxError",
    "QwenAPIStatus5xxError",
    "QwenAPIStatusError",
    "QwenAntiBotError",
    "QwenAuthenticationError",
    "QwenClientClosedError",
    "QwenConnectionError",
    "QwenContentFilterError",
    "QwenFileNotFoundError",
    "QwenFilePermissionError",
    "QwenInputError",
    "QwenInputTypeError",
    "QwenInputValueError",
    "QwenInternalError",
    "QwenInvalidRequestError",
    "QwenIsADirectoryError",
    "QwenNotFoundError",
    "QwenPermissionError",
    "QwenResponseTooLargeError",
    "QwenStreamInterruptedError",
    "QwenTimeoutError",
    "QwenUploadError",
    "RateLimitError",
    "RawResponse",
    "ResponseLimits",
    "Role",
    "RoleInput",
    "SignatureVersion",
    "Stream",
    "StreamConsumedError",
    "TextBlock",
    "TextBlockParam",
    "TextPartParam",
    "ThinkingMode",
    "Usage",
    "VideoBlock",
    "VideoBlockParam",
    "WebSearchInfo",
    "__version__",
]


def _home(name: str) -> str | None:
    """Where a public name is defined: the table above, else the exceptions (every name ending in
    ``Error``), else ``qwen_api.types``. Loaded on first use, so ``import qwen_api`` stays cheap."""
    if name in _LAZY:
        return _LAZY[name]
    if name not in __all__ or name == "__version__":
        return None
    return "_exceptions" if name.endswith("Error") else "types"


def __getattr__(name: str) -> object:
    module_name = _home(name)
    if module_name is None:
        raise AttributeError(f"module 'qwen_api' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
