from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatPagination")


@_attrs_define
class ChatPagination:
    """Where this page of the message tree sits (browser capture 2026-09-25, `?direction=up&limit=10`)."""

    enabled: bool | Unset = UNSET
    oldest_id: None | str | Unset = UNSET
    newest_id: None | str | Unset = UNSET
    has_more_older: bool | Unset = UNSET
    has_more_newer: bool | Unset = UNSET
    path_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        oldest_id: None | str | Unset
        if isinstance(self.oldest_id, Unset):
            oldest_id = UNSET
        else:
            oldest_id = self.oldest_id

        newest_id: None | str | Unset
        if isinstance(self.newest_id, Unset):
            newest_id = UNSET
        else:
            newest_id = self.newest_id

        has_more_older = self.has_more_older

        has_more_newer = self.has_more_newer

        path_count = self.path_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if oldest_id is not UNSET:
            field_dict["oldest_id"] = oldest_id
        if newest_id is not UNSET:
            field_dict["newest_id"] = newest_id
        if has_more_older is not UNSET:
            field_dict["has_more_older"] = has_more_older
        if has_more_newer is not UNSET:
            field_dict["has_more_newer"] = has_more_newer
        if path_count is not UNSET:
            field_dict["path_count"] = path_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        def _parse_oldest_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        oldest_id = _parse_oldest_id(d.pop("oldest_id", UNSET))

        def _parse_newest_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        newest_id = _parse_newest_id(d.pop("newest_id", UNSET))

        has_more_older = d.pop("has_more_older", UNSET)

        has_more_newer = d.pop("has_more_newer", UNSET)

        path_count = d.pop("path_count", UNSET)

        chat_pagination = cls(
            enabled=enabled,
            oldest_id=oldest_id,
            newest_id=newest_id,
            has_more_older=has_more_older,
            has_more_newer=has_more_newer,
            path_count=path_count,
        )

        chat_pagination.additional_properties = d
        return chat_pagination

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
