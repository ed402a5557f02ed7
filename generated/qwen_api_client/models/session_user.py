from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionUser")


@_attrs_define
class SessionUser:
    id: str | Unset = UNSET
    email: str | Unset = UNSET
    name: str | Unset = UNSET
    role: str | Unset = UNSET
    profile_image_url: str | Unset = UNSET
    token: str | Unset = UNSET
    token_type: str | Unset = UNSET
    expires_at: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        name = self.name

        role = self.role

        profile_image_url = self.profile_image_url

        token = self.token

        token_type = self.token_type

        expires_at: int | None | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = self.expires_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if email is not UNSET:
            field_dict["email"] = email
        if name is not UNSET:
            field_dict["name"] = name
        if role is not UNSET:
            field_dict["role"] = role
        if profile_image_url is not UNSET:
            field_dict["profile_image_url"] = profile_image_url
        if token is not UNSET:
            field_dict["token"] = token
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id", UNSET)

        email = d.pop("email", UNSET)

        name = d.pop("name", UNSET)

        role = d.pop("role", UNSET)

        profile_image_url = d.pop("profile_image_url", UNSET)

        token = d.pop("token", UNSET)

        token_type = d.pop("token_type", UNSET)

        def _parse_expires_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        session_user = cls(
            id=id,
            email=email,
            name=name,
            role=role,
            profile_image_url=profile_image_url,
            token=token,
            token_type=token_type,
            expires_at=expires_at,
        )

        session_user.additional_properties = d
        return session_user

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
