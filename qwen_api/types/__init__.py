"""Public types: what users build requests from and what responses are made of.

Every public type is importable from here (``from qwen_api.types import ChatResponse``). The
submodules load on first use, so ``import qwen_api`` (whose ``__all__`` includes this one's) stays
cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .account import (
        Account,
    )
    from .chat import (
        AudioBlock,
        ChatMessage,
        ChatResponse,
        ChatResponseStream,
        Choice,
        ChoiceList,
        ChoiceStream,
        ContentBlock,
        Delta,
        DocumentBlock,
        Extra,
        FunctionCall,
        ImageBlock,
        Message,
        MessageRole,
        TextBlock,
        Usage,
        VideoBlock,
        WebSearchInfo,
    )
    from .chats import (
        ChatDetail,
        ChatHistoryMessage,
        ChatSummary,
    )
    from .completion import (
        CompletionChoice,
        CompletionResponse,
    )
    from .files import (
        FileResult,
    )
    from .images import (
        GeneratedImage,
        ImagesResponse,
    )
    from .models import (
        Model,
        ModelCapabilities,
        ModelList,
    )
    from .params import (
        AudioBlockParam,
        Body,
        ChatMessageParam,
        ChatType,
        ContentPartParam,
        DocumentBlockParam,
        Headers,
        ImageBlockParam,
        ImageSize,
        ImageURLParam,
        ImageURLPartParam,
        JSONObject,
        JSONValue,
        MessageInput,
        MessagesInput,
        PathInput,
        ProgressCallback,
        Query,
        RequestOptionsParam,
        Role,
        RoleInput,
        SignatureVersion,
        TextBlockParam,
        TextPartParam,
        ThinkingMode,
        ToolCallFunctionParam,
        ToolCallParam,
        VideoBlockParam,
    )
    from .tools import (
        FunctionDefinition,
        JSONSchemaFormat,
        NamedToolChoice,
        ResponseFormat,
        ResponseFormatJSONObject,
        ResponseFormatJSONSchema,
        ResponseFormatText,
        ToolCall,
        ToolCallDelta,
        ToolCallFunction,
        ToolCallFunctionDelta,
        ToolChoice,
        ToolParam,
    )

__all__ = [
    "Account",
    "AudioBlock",
    "AudioBlockParam",
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
    "Delta",
    "DocumentBlock",
    "DocumentBlockParam",
    "Extra",
    "FileResult",
    "FunctionCall",
    "FunctionDefinition",
    "GeneratedImage",
    "Headers",
    "ImageBlock",
    "ImageBlockParam",
    "ImageSize",
    "ImageURLParam",
    "ImageURLPartParam",
    "ImagesResponse",
    "JSONObject",
    "JSONSchemaFormat",
    "JSONValue",
    "Message",
    "MessageInput",
    "MessageRole",
    "MessagesInput",
    "Model",
    "ModelCapabilities",
    "ModelList",
    "NamedToolChoice",
    "PathInput",
    "ProgressCallback",
    "Query",
    "RequestOptionsParam",
    "ResponseFormat",
    "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema",
    "ResponseFormatText",
    "Role",
    "RoleInput",
    "SignatureVersion",
    "TextBlock",
    "TextBlockParam",
    "TextPartParam",
    "ThinkingMode",
    "ToolCall",
    "ToolCallDelta",
    "ToolCallFunction",
    "ToolCallFunctionDelta",
    "ToolCallFunctionParam",
    "ToolCallParam",
    "ToolChoice",
    "ToolParam",
    "Usage",
    "VideoBlock",
    "VideoBlockParam",
    "WebSearchInfo",
]

_SUBMODULES = ("account", "chat", "chats", "completion", "files", "images", "models", "params", "tools")
_PUBLIC = frozenset(__all__)


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:  # ``qwen_api.types.chat`` reached as an attribute, as when it loaded eagerly
        return importlib.import_module(f".{name}", __name__)
    if name in _PUBLIC:
        for submodule in _SUBMODULES:
            module = importlib.import_module(f".{submodule}", __name__)
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})
