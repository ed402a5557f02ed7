from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorData")


@_attrs_define
class ErrorData:
    code: str | Unset = UNSET
    """ The service's own error code (open set). """
    details: str | Unset = UNSET
    template: str | Unset = UNSET
    num: int | Unset = UNSET
    """ For `RateLimited`, the hours to wait. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        details = self.details

        template = self.template

        num = self.num

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if details is not UNSET:
            field_dict["details"] = details
        if template is not UNSET:
            field_dict["template"] = template
        if num is not UNSET:
            field_dict["num"] = num

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code", UNSET)

        details = d.pop("details", UNSET)

        template = d.pop("template", UNSET)

        num = d.pop("num", UNSET)

        error_data = cls(
            code=code,
            details=details,
            template=template,
            num=num,
        )

        error_data.additional_properties = d
        return error_data

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
