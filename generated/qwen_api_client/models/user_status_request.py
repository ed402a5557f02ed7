from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_status_request_typarms import UserStatusRequestTyparms


T = TypeVar("T", bound="UserStatusRequest")


@_attrs_define
class UserStatusRequest:
    typarms: UserStatusRequestTyparms | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        typarms: dict[str, Any] | Unset = UNSET
        if not isinstance(self.typarms, Unset):
            typarms = self.typarms.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if typarms is not UNSET:
            field_dict["typarms"] = typarms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_status_request_typarms import UserStatusRequestTyparms  # noqa: PLC0415

        d = dict(src_dict)
        _typarms = d.pop("typarms", UNSET)
        typarms: UserStatusRequestTyparms | Unset
        if isinstance(_typarms, Unset):
            typarms = UNSET
        else:
            typarms = UserStatusRequestTyparms.from_dict(_typarms)

        user_status_request = cls(
            typarms=typarms,
        )

        user_status_request.additional_properties = d
        return user_status_request

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
