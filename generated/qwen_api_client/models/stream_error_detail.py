from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamErrorDetail")


@_attrs_define
class StreamErrorDetail:
    code: str | Unset = UNSET
    """ The service's own error code (open set). """
    details: str | Unset = UNSET
    stage: str | Unset = UNSET
    modality: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        details = self.details

        stage = self.stage

        modality: list[str] | Unset = UNSET
        if not isinstance(self.modality, Unset):
            modality = self.modality

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if details is not UNSET:
            field_dict["details"] = details
        if stage is not UNSET:
            field_dict["stage"] = stage
        if modality is not UNSET:
            field_dict["modality"] = modality

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code", UNSET)

        details = d.pop("details", UNSET)

        stage = d.pop("stage", UNSET)

        modality = cast(list[str], d.pop("modality", UNSET))

        stream_error_detail = cls(
            code=code,
            details=details,
            stage=stage,
            modality=modality,
        )

        stream_error_detail.additional_properties = d
        return stream_error_detail

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
