from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResponseCreated")


@_attrs_define
class ResponseCreated:
    """Always first; `response_id` becomes the next turn's `parent_id`."""

    chat_id: str | Unset = UNSET
    parent_id: None | str | Unset = UNSET
    response_id: str | Unset = UNSET
    response_index: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat_id = self.chat_id

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        response_id = self.response_id

        response_index: int | str | Unset
        if isinstance(self.response_index, Unset):
            response_index = UNSET
        else:
            response_index = self.response_index

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if response_id is not UNSET:
            field_dict["response_id"] = response_id
        if response_index is not UNSET:
            field_dict["response_index"] = response_index

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat_id = d.pop("chat_id", UNSET)

        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))

        response_id = d.pop("response_id", UNSET)

        def _parse_response_index(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        response_index = _parse_response_index(d.pop("response_index", UNSET))

        response_created = cls(
            chat_id=chat_id,
            parent_id=parent_id,
            response_id=response_id,
            response_index=response_index,
        )

        response_created.additional_properties = d
        return response_created

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
