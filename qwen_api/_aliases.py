"""Model aliases: the documentation's ids (``qwen-max-latest``...) on today's model list.

The service retired those ids. An alias resolves to the newest listed model of its family
(``max``, ``plus``, ``turbo``/``flash``), using the client's cached model list; when the list
cannot be fetched, :data:`FALLBACK` decides. An id that is not an alias is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ALIAS_FAMILIES: dict[str, tuple[str, ...]] = {
    "qwen-max-latest": ("max",),
    "qwen-max": ("max",),
    "qwen-plus-latest": ("plus",),
    "qwen-plus": ("plus",),
    "qwen-turbo-latest": ("flash", "turbo"),
    "qwen-turbo": ("flash", "turbo"),
}

FALLBACK: dict[str, str] = {
    "qwen-max-latest": "qwen3.7-max",
    "qwen-max": "qwen3.7-max",
    "qwen-plus-latest": "qwen3.7-plus",
    "qwen-plus": "qwen3.7-plus",
    "qwen-turbo-latest": "qwen3.5-flash",
    "qwen-turbo": "qwen3.5-flash",
}
"""Used only when the model list is unavailable (ids current as of 2026-10)."""

_VERSION = re.compile(r"^qwen(\d+(?:\.\d+)?)-")


def is_alias(model: str) -> bool:
    return model in ALIAS_FAMILIES


def _version(model_id: str) -> tuple[float, int]:
    match = _VERSION.match(model_id)
    dated = 1 if re.search(r"\d{4}-\d{2}-\d{2}", model_id) else 0
    return (float(match.group(1)) if match else 0.0, -dated)


def resolve(model: str, available: Iterable[str] | None) -> str:
    """The id to send for ``model``: itself unless it is an alias the list or fallback maps."""
    if model not in ALIAS_FAMILIES:
        return model
    if available is None:
        return FALLBACK[model]
    ids = list(available)
    if model in ids:
        return model
    for family in ALIAS_FAMILIES[model]:
        candidates = [i for i in ids if re.search(rf"(^|-){family}($|-)", i)]
        if candidates:
            return max(candidates, key=_version)
    return FALLBACK[model]
