from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelCapabilities")


@_attrs_define
class ModelCapabilities:
    vision: bool | Unset = UNSET
    document: bool | Unset = UNSET
    video: bool | Unset = UNSET
    audio: bool | Unset = UNSET
    citations: bool | Unset = UNSET
    thinking: bool | Unset = UNSET
    thinking_budget: bool | Unset = UNSET
    search: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vision = self.vision

        document = self.document

        video = self.video

        audio = self.audio

        citations = self.citations

        thinking = self.thinking

        thinking_budget = self.thinking_budget

        search = self.search

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if vision is not UNSET:
            field_dict["vision"] = vision
        if document is not UNSET:
            field_dict["document"] = document
        if video is not UNSET:
            field_dict["video"] = video
        if audio is not UNSET:
            field_dict["audio"] = audio
        if citations is not UNSET:
            field_dict["citations"] = citations
        if thinking is not UNSET:
            field_dict["thinking"] = thinking
        if thinking_budget is not UNSET:
            field_dict["thinking_budget"] = thinking_budget
        if search is not UNSET:
            field_dict["search"] = search

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        vision = d.pop("vision", UNSET)

        document = d.pop("document", UNSET)

        video = d.pop("video", UNSET)

        audio = d.pop("audio", UNSET)

        citations = d.pop("citations", UNSET)

        thinking = d.pop("thinking", UNSET)

        thinking_budget = d.pop("thinking_budget", UNSET)

        search = d.pop("search", UNSET)

        model_capabilities = cls(
            vision=vision,
            document=document,
            video=video,
            audio=audio,
            citations=citations,
            thinking=thinking,
            thinking_budget=thinking_budget,
            search=search,
        )

        model_capabilities.additional_properties = d
        return model_capabilities

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
