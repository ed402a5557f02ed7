from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FeatureConfig")


@_attrs_define
class FeatureConfig:
    """Gears captured by AIChatfire (2026-09): Auto `{thinking_enabled:true, auto_thinking:true,
    thinking_mode:"Auto", thinking_format:"summary"}`, Thinking (auto_thinking false,
    thinking_mode "Thinking"), Fast `{thinking_enabled:false, auto_thinking:false,
    thinking_mode:"Fast"}`. `output_schema: "phase"` is mandatory since 2026-07-05.

    """

    thinking_enabled: bool | Unset = UNSET
    output_schema: str | Unset = UNSET
    research_mode: str | Unset = UNSET
    auto_thinking: bool | Unset = UNSET
    thinking_mode: str | Unset = UNSET
    thinking_format: str | Unset = UNSET
    auto_search: bool | Unset = UNSET
    instructions: None | str | Unset = UNSET
    thinking_budget: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        thinking_enabled = self.thinking_enabled

        output_schema = self.output_schema

        research_mode = self.research_mode

        auto_thinking = self.auto_thinking

        thinking_mode = self.thinking_mode

        thinking_format = self.thinking_format

        auto_search = self.auto_search

        instructions: None | str | Unset
        if isinstance(self.instructions, Unset):
            instructions = UNSET
        else:
            instructions = self.instructions

        thinking_budget = self.thinking_budget

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if thinking_enabled is not UNSET:
            field_dict["thinking_enabled"] = thinking_enabled
        if output_schema is not UNSET:
            field_dict["output_schema"] = output_schema
        if research_mode is not UNSET:
            field_dict["research_mode"] = research_mode
        if auto_thinking is not UNSET:
            field_dict["auto_thinking"] = auto_thinking
        if thinking_mode is not UNSET:
            field_dict["thinking_mode"] = thinking_mode
        if thinking_format is not UNSET:
            field_dict["thinking_format"] = thinking_format
        if auto_search is not UNSET:
            field_dict["auto_search"] = auto_search
        if instructions is not UNSET:
            field_dict["instructions"] = instructions
        if thinking_budget is not UNSET:
            field_dict["thinking_budget"] = thinking_budget

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        thinking_enabled = d.pop("thinking_enabled", UNSET)

        output_schema = d.pop("output_schema", UNSET)

        research_mode = d.pop("research_mode", UNSET)

        auto_thinking = d.pop("auto_thinking", UNSET)

        thinking_mode = d.pop("thinking_mode", UNSET)

        thinking_format = d.pop("thinking_format", UNSET)

        auto_search = d.pop("auto_search", UNSET)

        def _parse_instructions(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instructions = _parse_instructions(d.pop("instructions", UNSET))

        thinking_budget = d.pop("thinking_budget", UNSET)

        feature_config = cls(
            thinking_enabled=thinking_enabled,
            output_schema=output_schema,
            research_mode=research_mode,
            auto_thinking=auto_thinking,
            thinking_mode=thinking_mode,
            thinking_format=thinking_format,
            auto_search=auto_search,
            instructions=instructions,
            thinking_budget=thinking_budget,
        )

        feature_config.additional_properties = d
        return feature_config

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
