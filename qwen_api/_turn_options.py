"""What a turn asks the service for, apart from its text: model, gear, search, attachments.

The gears are the web client's (AIChatfire 2026-09): a user picks ``thinking_mode`` from the public
:data:`~qwen_api.types.ThinkingMode` names, and the service receives its own capitalised names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
from qwen_api_client.models import FeatureConfig

from .types.params import ThinkingMode

THINKING_GEARS: dict[ThinkingMode, str] = {"auto": "Auto", "thinking": "Thinking", "fast": "Fast"}
"""Public mode name → the gear name on the wire (a test checks that every :data:`ThinkingMode` has one)."""


@attrs.frozen
class TurnOptions:
    """Everything about one turn except the text: model, mode switches, attachments."""

    model: str
    chat_type: str = "t2t"
    thinking: bool | None = None
    thinking_mode: ThinkingMode | None = None
    web_search: bool = False
    files: tuple[Mapping[str, Any], ...] = ()
    size: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    user_action: str = "chat"


def feature_config(options: TurnOptions) -> FeatureConfig:
    """The ``feature_config`` of a user message: which gear the model runs in, and the answer schema."""
    mode = options.thinking_mode
    if mode is None:
        mode = "thinking" if options.thinking else "fast"
    gear = THINKING_GEARS[mode]
    config = FeatureConfig(
        thinking_enabled=gear != "Fast",
        output_schema="phase",
        research_mode="normal",
        auto_thinking=gear == "Auto",
        thinking_mode=gear,
        auto_search=options.web_search,
    )
    if gear != "Fast":
        config.thinking_format = "summary"
    return config
