from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.library_list_envelope_data import LibraryListEnvelopeData


T = TypeVar("T", bound="LibraryListEnvelope")


@_attrs_define
class LibraryListEnvelope:
    success: bool
    request_id: str | Unset = UNSET
    data: LibraryListEnvelopeData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        request_id = self.request_id

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.library_list_envelope_data import LibraryListEnvelopeData  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        request_id = d.pop("request_id", UNSET)

        _data = d.pop("data", UNSET)
        data: LibraryListEnvelopeData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = LibraryListEnvelopeData.from_dict(_data)

        library_list_envelope = cls(
            success=success,
            request_id=request_id,
            data=data,
        )

        library_list_envelope.additional_properties = d
        return library_list_envelope

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
