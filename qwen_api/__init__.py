"""Typed Python SDK for Qwen Chat (chat.qwen.ai): sync and async, streaming, uploads, retries.

Names are imported lazily, so ``import qwen_api`` costs almost nothing until a client is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._limits import ResponseLimits
    from ._streaming import AsyncStream, Stream
    from .client import Qwen
    from .core.exceptions import (
        AuthError,
        QwenAPIError,
        QwenAPIStatus4xxError,
        QwenAPIStatus5xxError,
        QwenAPIStatusError,
        QwenAuthenticationError,
        QwenClientClosedError,
        QwenConnectionError,
        QwenContentFilterError,
        QwenInternalError,
        QwenInvalidRequestError,
        QwenNotFoundError,
        QwenPermissionError,
        QwenResponseTooLargeError,
        QwenStreamInterruptedError,
        QwenTimeoutError,
        QwenUploadError,
        RateLimitError,
        StreamConsumedError,
    )
    from .types.chat import AudioBlock, ChatMessage, DocumentBlock, ImageBlock, TextBlock, VideoBlock
    from .types.files import FileResult

_LAZY = {
    "Qwen": "client",
    "Stream": "_streaming",
    "AsyncStream": "_streaming",
    "ChatMessage": "types.chat",
    "TextBlock": "types.chat",
    "ImageBlock": "types.chat",
    "DocumentBlock": "types.chat",
    "AudioBlock": "types.chat",
    "VideoBlock": "types.chat",
    "FileResult": "types.files",
    "ResponseLimits": "_limits",
}
_EXCEPTIONS = (
    "AuthError",
    "QwenAPIError",
    "QwenAPIStatus4xxError",
    "QwenAPIStatus5xxError",
    "QwenAPIStatusError",
    "QwenAuthenticationError",
    "QwenClientClosedError",
    "QwenConnectionError",
    "QwenContentFilterError",
    "QwenInternalError",
    "QwenInvalidRequestError",
    "QwenNotFoundError",
    "QwenPermissionError",
    "QwenResponseTooLargeError",
    "QwenStreamInterruptedError",
    "QwenTimeoutError",
    "QwenUploadError",
    "RateLimitError",
    "StreamConsumedError",
)
_LAZY.update(dict.fromkeys(_EXCEPTIONS, "core.exceptions"))

__all__ = [
    "AsyncStream",
    "AudioBlock",
    "AuthError",
    "ChatMessage",
    "DocumentBlock",
    "FileResult",
    "ImageBlock",
    "Qwen",
    "QwenAPIError",
    "QwenAPIStatus4xxError",
    "QwenAPIStatus5xxError",
    "QwenAPIStatusError",
    "QwenAuthenticationError",
    "QwenClientClosedError",
    "QwenConnectionError",
    "QwenContentFilterError",
    "QwenInternalError",
    "QwenInvalidRequestError",
    "QwenNotFoundError",
    "QwenPermissionError",
    "QwenResponseTooLargeError",
    "QwenStreamInterruptedError",
    "QwenTimeoutError",
    "QwenUploadError",
    "RateLimitError",
    "ResponseLimits",
    "Stream",
    "StreamConsumedError",
    "TextBlock",
    "VideoBlock",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'qwen_api' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
