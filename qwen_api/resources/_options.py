"""Validation of the per-call options shared by ``chat`` and ``completion`` (before any I/O)."""

from __future__ import annotations

import math
from typing import Any, get_args

from .._exceptions import QwenInputTypeError, QwenInputValueError
from .._inputs import MAX_IDENTIFIER_LENGTH
from .._messages import RecentUploads, file_refs, render_turn_text, url_block_ref
from .._turn_options import TurnOptions
from .._turns import Turn
from ..types.chat import ChatMessage, ContentBlock, TextBlock
from ..types.params import ImageSize, ThinkingMode

_SIZES: tuple[ImageSize, ...] = get_args(ImageSize)
_THINKING_MODES: tuple[ThinkingMode, ...] = get_args(ThinkingMode)


def validate_model(model: object) -> str:
    """A model id or alias; one longer than any id would only cost two requests to be refused."""
    if not isinstance(model, str):
        raise QwenInputTypeError(f"model must be a string, got {type(model).__name__}")
    if not model.strip():
        raise QwenInputValueError("model must not be empty")
    if len(model) > MAX_IDENTIFIER_LENGTH:
        raise QwenInputValueError(
            f"model is {len(model)} characters long; model ids are at most {MAX_IDENTIFIER_LENGTH}"
        )
    return model.strip()


def validate_temperature(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"temperature must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or not 0 <= value <= 2:
        raise ValueError(f"temperature must be between 0 and 2, got {value!r}")
    return float(value)


def validate_max_tokens(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_tokens must be an integer, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"max_tokens must be positive, got {value!r}")
    return value


def validate_stream(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"stream must be True or False, got {type(value).__name__}")
    return value


def validate_thinking_mode(value: object) -> ThinkingMode | None:
    if value is None:
        return None
    if isinstance(value, str):
        for mode in _THINKING_MODES:
            if mode == value.lower():
                return mode
    raise ValueError(f"thinking_mode must be one of {sorted(_THINKING_MODES)}, got {value!r}")


def validate_flag(name: str, value: object) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}")
    return value


def validate_size(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in _SIZES:
        raise ValueError(f"size must be one of {list(_SIZES)}, got {value!r}")
    return value


def turn_options(
    *,
    model: str,
    thinking: Any,
    thinking_mode: Any,
    web_search: Any,
    temperature: Any,
    max_tokens: Any,
    files: tuple[Any, ...] = (),
    chat_type: str = "t2t",
    size: str | None = None,
) -> TurnOptions:
    thinking_flag = validate_flag("thinking", thinking)
    mode = validate_thinking_mode(thinking_mode)
    if mode is not None and thinking_flag is not None and thinking_flag != (mode != "fast"):
        raise ValueError(
            f"thinking={thinking_flag} contradicts thinking_mode={mode!r}: give one of them "
            "(thinking_mode 'auto' and 'thinking' think, 'fast' does not)"
        )
    return TurnOptions(
        model=model,
        chat_type=chat_type,
        thinking=thinking_flag,
        thinking_mode=mode,
        web_search=bool(validate_flag("web_search", web_search)),
        files=files,
        size=size,
        temperature=validate_temperature(temperature),
        max_tokens=validate_max_tokens(max_tokens),
    )


def message_turn(
    messages: list[ChatMessage],
    uploads: RecentUploads,
    *,
    model: str,
    thinking: Any,
    thinking_mode: Any,
    web_search: Any,
    files: object,
    temperature: Any = None,
    max_tokens: Any = None,
    chat_type: str = "t2t",
    chat_id: str | None = None,
    parent_id: str | None = None,
) -> tuple[Turn, list[ContentBlock]]:
    """The turn answering the last of ``messages``, and the blocks still to upload before it is sent.

    Call options win over the last message's own ``thinking`` / ``thinking_mode`` / ``web_search``;
    its blocks with a URL join ``files`` as FileRefs (an upload of this client's in full).
    """
    last = messages[-1]
    refs = file_refs(files)
    to_upload: list[ContentBlock] = []
    for block in last.attachments:
        if getattr(block, "url", None):
            refs.append(url_block_ref(block, uploads))
        elif not isinstance(block, TextBlock):
            to_upload.append(block)
    options = turn_options(
        model=model,
        thinking=last.thinking if thinking is None else thinking,
        thinking_mode=last.thinking_mode if thinking_mode is None else thinking_mode,
        web_search=last.web_search if web_search is None else web_search,
        temperature=temperature,
        max_tokens=max_tokens,
        files=tuple(refs),
        chat_type=chat_type,
    )
    return Turn(render_turn_text(messages), options, chat_id, parent_id), to_upload


def tool_emulation(
    tools: object, tool_choice: object, parallel_tool_calls: object, response_format: object, repair_rounds: object
) -> dict[str, Any]:
    """The tool-calling and structured-output arguments of a turn, as :func:`prepare_messages` takes them."""
    return {
        "tools": tools,
        "tool_choice": tool_choice,
        "parallel_tool_calls": parallel_tool_calls,
        "response_format": response_format,
        "repair_rounds": repair_rounds,
    }
