"""Typed Python SDK for Qwen Chat (chat.qwen.ai): sync and async, streaming, uploads, retries.

The clients and the public types are imported lazily, so ``import qwen_api`` costs little until a
client is made. Every public name is listed once, where it is defined: this module's own names
below, the exceptions in ``_exceptions``, the types in ``qwen_api.types``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from . import _exceptions, types
from ._exceptions import *  # noqa: F403 -- the exception classes, re-exported as they are
from ._version import __version__

if TYPE_CHECKING:
    from ._async_client import AsyncQwen
    from ._limits import ResponseLimits
    from ._raw_response import RawResponse
    from ._streaming import AsyncStream, Stream
    from .client import Qwen
    from .resources._async import AsyncConversation
    from .resources.chats import Conversation
    from .types import *  # noqa: F403

    # The types exported here since the first release, named once more for tools that do not expand a
    # star import (griffe, which checks that the public API does not break).
    from .types.chat import AudioBlock as AudioBlock
    from .types.chat import ChatMessage as ChatMessage
    from .types.chat import DocumentBlock as DocumentBlock
    from .types.chat import ImageBlock as ImageBlock
    from .types.chat import TextBlock as TextBlock
    from .types.chat import VideoBlock as VideoBlock
    from .types.files import FileResult as FileResult

_LAZY = {
    "Qwen": "client",
    "AsyncQwen": "_async_client",
    "AsyncConversation": "resources._async",
    "Conversation": "resources.chats",
    "Stream": "_streaming",
    "AsyncStream": "_streaming",
    "RawResponse": "_raw_response",
    "ResponseLimits": "_limits",
}

__all__ = [
    "AsyncConversation",
    "AsyncQwen",
    "AsyncStream",
    "Conversation",
    "Qwen",
    "RawResponse",
    "ResponseLimits",
    "Stream",
    "__version__",
]
__all__ += _exceptions.__all__
__all__ += types.__all__

_TYPES = frozenset(types.__all__)


def __getattr__(name: str) -> object:
    """Load a client-level name from its module, or a type from ``qwen_api.types``, on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _TYPES:
        value = getattr(types, name)
    else:
        raise AttributeError(f"module 'qwen_api' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
