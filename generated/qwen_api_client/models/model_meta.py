from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_abilities import ModelAbilities
    from ..models.model_capabilities import ModelCapabilities
    from ..models.model_meta_file_limits import ModelMetaFileLimits
    from ..models.model_meta_think_skip import ModelMetaThinkSkip


T = TypeVar("T", bound="ModelMeta")


@_attrs_define
class ModelMeta:
    description: str | Unset = UNSET
    short_description: str | Unset = UNSET
    capabilities: ModelCapabilities | Unset = UNSET
    abilities: ModelAbilities | Unset = UNSET
    max_context_length: int | Unset = UNSET
    max_generation_length: int | Unset = UNSET
    max_thinking_generation_length: int | Unset = UNSET
    max_summary_generation_length: int | Unset = UNSET
    chat_type: list[str] | Unset = UNSET
    mcp: list[str] | Unset = UNSET
    modality: list[str] | Unset = UNSET
    auto_thinking: bool | Unset = UNSET
    auto_search: bool | Unset = UNSET
    thinking_format: str | Unset = UNSET
    think_skip: ModelMetaThinkSkip | Unset = UNSET
    file_limits: ModelMetaFileLimits | Unset = UNSET
    """ Upload limits per file kind (shape not recorded; read by a Java client, wire-api.md section 5). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        short_description = self.short_description

        capabilities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.capabilities, Unset):
            capabilities = self.capabilities.to_dict()

        abilities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.abilities, Unset):
            abilities = self.abilities.to_dict()

        max_context_length = self.max_context_length

        max_generation_length = self.max_generation_length

        max_thinking_generation_length = self.max_thinking_generation_length

        max_summary_generation_length = self.max_summary_generation_length

        chat_type: list[str] | Unset = UNSET
        if not isinstance(self.chat_type, Unset):
            chat_type = self.chat_type

        mcp: list[str] | Unset = UNSET
        if not isinstance(self.mcp, Unset):
            mcp = self.mcp

        modality: list[str] | Unset = UNSET
        if not isinstance(self.modality, Unset):
            modality = self.modality

        auto_thinking = self.auto_thinking

        auto_search = self.auto_search

        thinking_format = self.thinking_format

        think_skip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.think_skip, Unset):
            think_skip = self.think_skip.to_dict()

        file_limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file_limits, Unset):
            file_limits = self.file_limits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if short_description is not UNSET:
            field_dict["short_description"] = short_description
        if capabilities is not UNSET:
            field_dict["capabilities"] = capabilities
        if abilities is not UNSET:
            field_dict["abilities"] = abilities
        if max_context_length is not UNSET:
            field_dict["max_context_length"] = max_context_length
        if max_generation_length is not UNSET:
            field_dict["max_generation_length"] = max_generation_length
        if max_thinking_generation_length is not UNSET:
            field_dict["max_thinking_generation_length"] = max_thinking_generation_length
        if max_summary_generation_length is not UNSET:
            field_dict["max_summary_generation_length"] = max_summary_generation_length
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if mcp is not UNSET:
            field_dict["mcp"] = mcp
        if modality is not UNSET:
            field_dict["modality"] = modality
        if auto_thinking is not UNSET:
            field_dict["auto_thinking"] = auto_thinking
        if auto_search is not UNSET:
            field_dict["auto_search"] = auto_search
        if thinking_format is not UNSET:
            field_dict["thinking_format"] = thinking_format
        if think_skip is not UNSET:
            field_dict["think_skip"] = think_skip
        if file_limits is not UNSET:
            field_dict["file_limits"] = file_limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_abilities import ModelAbilities  # noqa: PLC0415
        from ..models.model_capabilities import ModelCapabilities  # noqa: PLC0415
        from ..models.model_meta_file_limits import ModelMetaFileLimits  # noqa: PLC0415
        from ..models.model_meta_think_skip import ModelMetaThinkSkip  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description", UNSET)

        short_description = d.pop("short_description", UNSET)

        _capabilities = d.pop("capabilities", UNSET)
        capabilities: ModelCapabilities | Unset
        if isinstance(_capabilities, Unset):
            capabilities = UNSET
        else:
            capabilities = ModelCapabilities.from_dict(_capabilities)

        _abilities = d.pop("abilities", UNSET)
        abilities: ModelAbilities | Unset
        if isinstance(_abilities, Unset):
            abilities = UNSET
        else:
            abilities = ModelAbilities.from_dict(_abilities)

        max_context_length = d.pop("max_context_length", UNSET)

        max_generation_length = d.pop("max_generation_length", UNSET)

        max_thinking_generation_length = d.pop("max_thinking_generation_length", UNSET)

        max_summary_generation_length = d.pop("max_summary_generation_length", UNSET)

        chat_type = cast(list[str], d.pop("chat_type", UNSET))

        mcp = cast(list[str], d.pop("mcp", UNSET))

        modality = cast(list[str], d.pop("modality", UNSET))

        auto_thinking = d.pop("auto_thinking", UNSET)

        auto_search = d.pop("auto_search", UNSET)

        thinking_format = d.pop("thinking_format", UNSET)

        _think_skip = d.pop("think_skip", UNSET)
        think_skip: ModelMetaThinkSkip | Unset
        if isinstance(_think_skip, Unset):
            think_skip = UNSET
        else:
            think_skip = ModelMetaThinkSkip.from_dict(_think_skip)

        _file_limits = d.pop("file_limits", UNSET)
        file_limits: ModelMetaFileLimits | Unset
        if isinstance(_file_limits, Unset):
            file_limits = UNSET
        else:
            file_limits = ModelMetaFileLimits.from_dict(_file_limits)

        model_meta = cls(
            description=description,
            short_description=short_description,
            capabilities=capabilities,
            abilities=abilities,
            max_context_length=max_context_length,
            max_generation_length=max_generation_length,
            max_thinking_generation_length=max_thinking_generation_length,
            max_summary_generation_length=max_summary_generation_length,
            chat_type=chat_type,
            mcp=mcp,
            modality=modality,
            auto_thinking=auto_thinking,
            auto_search=auto_search,
            thinking_format=thinking_format,
            think_skip=think_skip,
            file_limits=file_limits,
        )

        model_meta.additional_properties = d
        return model_meta

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
