"""Models as the service lists them: capabilities, limits and the chat types they support."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._serialize import Serializable
from .params import JSONObject, JSONValue

__all__ = ["Model", "ModelCapabilities", "ModelList"]


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


@attrs.define(slots=True)
class ModelCapabilities(Serializable):
    """What a model can do (vision, documents, audio, video, thinking, search...), as the list says."""

    vision: bool = False
    document: bool = False
    video: bool = False
    audio: bool = False
    thinking: bool = False
    search: bool = False
    citations: bool = False
    thinking_budget: bool = False


@attrs.define(slots=True)
class Model(Serializable):
    """One model. ``id`` is an open string: models the SDK has never heard of work too."""

    id: str
    name: str | None = None
    description: str | None = None
    capabilities: ModelCapabilities = attrs.field(factory=ModelCapabilities)
    max_context_length: int | None = None
    max_generation_length: int | None = None
    max_thinking_generation_length: int | None = None
    chat_types: list[str] = attrs.field(factory=list)
    modality: list[str] = attrs.field(factory=list)
    is_active: bool = True
    raw: JSONObject = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, raw: Mapping[str, JSONValue]) -> Model:
        """Build from one item of the model list (unknown fields stay in ``raw``)."""
        info = _mapping(raw.get("info"))
        meta = _mapping(info.get("meta"))
        caps = _mapping(meta.get("capabilities"))
        abilities = _mapping(meta.get("abilities"))

        def flag(name: str) -> bool:
            value = caps.get(name)
            if isinstance(value, bool):
                return value
            ability = abilities.get(name)
            return isinstance(ability, int) and ability > 0

        def number(name: str) -> int | None:
            value = meta.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def strings(name: str) -> list[str]:
            value = meta.get(name)
            return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

        name = raw.get("name") if isinstance(raw.get("name"), str) else info.get("name")
        return cls(
            id=str(raw["id"]),
            name=name if isinstance(name, str) else None,
            description=meta.get("short_description") or meta.get("description"),
            capabilities=ModelCapabilities(
                vision=flag("vision"),
                document=flag("document"),
                video=flag("video"),
                audio=flag("audio"),
                thinking=flag("thinking"),
                search=flag("search"),
                citations=flag("citations"),
                thinking_budget=flag("thinking_budget"),
            ),
            max_context_length=number("max_context_length"),
            max_generation_length=number("max_generation_length"),
            max_thinking_generation_length=number("max_thinking_generation_length"),
            chat_types=strings("chat_type"),
            modality=strings("modality"),
            is_active=info.get("is_active") is not False,
            raw=dict(raw),
        )


class ModelList(list[Model], Serializable):
    """What ``client.models.list()`` answers: a plain ``list`` of :class:`Model` (index it, loop
    over it) that also serialises like every other response, under the service's ``data`` key."""

    __slots__ = ()

    def to_dict(self, *, exclude_none: bool = False) -> JSONObject:
        """``{"data": [...]}``, each model as :meth:`Model.to_dict` gives it."""
        return {"data": [model.to_dict(exclude_none=exclude_none) for model in self]}
