"""The model list the local server serves, shaped like the 2026-08 ``/api/v2/models/`` excerpt.

It is a module-level constant so tests elsewhere (SDK model parsing, the CLI's ``models`` command)
can assert against the same data the server answers with. The entries mix what a real account saw
in 2026 (``qwen3.7-plus``/``-max``, ``qwen3.6-plus``, ``qwen3.5-plus`` from the t2i capture) with
the shapes a client must cope with: a flash model with smaller limits and a coder model that has no
thinking and no search, so "capability missing" paths have something to hit.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["MODELS", "find_model", "models_payload", "supports_thinking"]

_ALL_CHAT_TYPES = [
    "t2t",
    "t2v",
    "t2i",
    "image_edit",
    "search",
    "artifacts",
    "web_dev",
    "deep_research",
    "travel",
    "learn",
    "slides",
]
_MCP = ["image-generation", "code-interpreter", "amap", "fire-crawl"]


def _model(
    model_id: str,
    name: str,
    *,
    description: str,
    context: int,
    generation: int,
    thinking: bool,
    search: bool = True,
    vision: bool = True,
    chat_types: list[str] | None = None,
    modality: list[str] | None = None,
) -> dict[str, Any]:
    capabilities = {
        "vision": vision,
        "document": True,
        "video": vision,
        "audio": vision,
        "citations": search,
        "thinking": thinking,
        "thinking_budget": thinking,
        "search": search,
    }
    abilities = {
        "vision": int(vision),
        "document": 1,
        "video": int(vision),
        "audio": int(vision),
        "mcp": 1,
        "citations": int(search),
        "thinking_budget": int(thinking),
        "thinking": 3 if thinking else 0,
        "parse_url": 2,
    }
    meta: dict[str, Any] = {
        "description": description,
        "capabilities": capabilities,
        "short_description": description.split(".")[0] + ".",
        "max_context_length": context,
        "max_generation_length": generation,
        "max_thinking_generation_length": 81920 if thinking else 0,
        "max_summary_generation_length": 65536,
        "abilities": abilities,
        "auto_thinking": thinking,
        "auto_search": search,
        "thinking_format": "summary",
        "chat_type": list(chat_types if chat_types is not None else _ALL_CHAT_TYPES),
        "mcp": list(_MCP),
        "modality": list(modality if modality is not None else ["text", "image", "video"]),
        "think_skip": {"enable": thinking},
        "file_limits": {"image": 10, "document": 10, "max_file_size_mb": 100},
    }
    return {
        "id": model_id,
        "name": name,
        "object": "model",
        "owned_by": "qwen",
        "info": {
            "id": model_id,
            "user_id": "00000000-0000-0000-0000-000000000000",
            "base_model_id": None,
            "name": name,
            "meta": meta,
            "is_active": True,
            "is_visitor_active": True,
        },
        "preset": True,
        "action_ids": [],
    }


#: The catalogue, newest first, as the service lists it. Treat as read-only; the server copies it.
MODELS: tuple[dict[str, Any], ...] = (
    _model(
        "qwen3.7-plus",
        "Qwen3.7-Plus",
        description="Qwen3.7-Plus is a high-performance large language model with strong reasoning.",
        context=1_000_000,
        generation=65536,
        thinking=True,
    ),
    _model(
        "qwen3.7-max",
        "Qwen3.7-Max",
        description="Qwen3.7-Max is the most capable model of the Qwen3.7 series.",
        context=262_144,
        generation=65536,
        thinking=True,
    ),
    _model(
        "qwen3.6-plus",
        "Qwen3.6-Plus",
        description="Qwen3.6-Plus balances quality, speed and cost.",
        context=1_000_000,
        generation=32768,
        thinking=True,
    ),
    _model(
        "qwen3.5-plus",
        "Qwen3.5-Plus",
        description="Qwen3.5-Plus is the previous-generation general model, still used for image generation.",
        context=262_144,
        generation=32768,
        thinking=True,
    ),
    _model(
        "qwen3.5-flash",
        "Qwen3.5-Flash",
        description="Qwen3.5-Flash is a fast, low-latency model for simple tasks.",
        context=131_072,
        generation=8192,
        thinking=True,
        vision=False,
        chat_types=["t2t", "search", "artifacts"],
        modality=["text"],
    ),
    _model(
        "qwen3-coder-plus",
        "Qwen3-Coder",
        description="Qwen3-Coder is a coding model without thinking or web search.",
        context=1_000_000,
        generation=65536,
        thinking=False,
        search=False,
        vision=False,
        chat_types=["t2t", "artifacts", "web_dev"],
        modality=["text"],
    ),
)


def models_payload() -> list[dict[str, Any]]:
    """A fresh deep copy of :data:`MODELS` for one response (callers may mutate it)."""
    return copy.deepcopy(list(MODELS))


def find_model(model_id: str) -> dict[str, Any] | None:
    """The catalogue entry of ``model_id``, or None."""
    return next((model for model in MODELS if model["id"] == model_id), None)


def supports_thinking(model_id: str) -> bool:
    """Unknown ids count as capable: the service's catalogue drifts and the server stays permissive."""
    model = find_model(model_id)
    return True if model is None else bool(model["info"]["meta"]["capabilities"]["thinking"])
