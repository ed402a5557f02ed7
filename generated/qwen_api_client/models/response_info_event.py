from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.response_info import ResponseInfo


T = TypeVar("T", bound="ResponseInfoEvent")


@_attrs_define
class ResponseInfoEvent:
    response_info: ResponseInfo
    """ Keep-alive during slow image jobs (guest t2i capture, 2026-03-04). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response_info = self.response_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "response.info": response_info,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_info import ResponseInfo  # noqa: PLC0415

        d = dict(src_dict)
        response_info = ResponseInfo.from_dict(d.pop("response.info"))

        response_info_event = cls(
            response_info=response_info,
        )

        response_info_event.additional_properties = d
        return response_info_event

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
