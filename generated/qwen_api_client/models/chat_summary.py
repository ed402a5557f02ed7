from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatSummary")


@_attrs_define
class ChatSummary:
    id: str
    title: str | Unset = UNSET
    updated_at: int | Unset = UNSET
    created_at: int | Unset = UNSET
    chat_type: str | Unset = UNSET
    """ What kind of turn this is (open set). """
    project_id: None | str | Unset = UNSET
    pinned: bool | Unset = UNSET
    content: None | str | Unset = UNSET
    highlight_indexes: Any | Unset = UNSET
    message_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        title = self.title

        updated_at = self.updated_at

        created_at = self.created_at

        chat_type = self.chat_type

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        pinned = self.pinned

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        highlight_indexes = self.highlight_indexes

        message_id: None | str | Unset
        if isinstance(self.message_id, Unset):
            message_id = UNSET
        else:
            message_id = self.message_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if pinned is not UNSET:
            field_dict["pinned"] = pinned
        if content is not UNSET:
            field_dict["content"] = content
        if highlight_indexes is not UNSET:
            field_dict["highlight_indexes"] = highlight_indexes
        if message_id is not UNSET:
            field_dict["message_id"] = message_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        title = d.pop("title", UNSET)

        updated_at = d.pop("updated_at", UNSET)

        created_at = d.pop("created_at", UNSET)

        chat_type = d.pop("chat_type", UNSET)

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        pinned = d.pop("pinned", UNSET)

        def _parse_content(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content = _parse_content(d.pop("content", UNSET))

        highlight_indexes = d.pop("highlight_indexes", UNSET)

        def _parse_message_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_id = _parse_message_id(d.pop("message_id", UNSET))

        chat_summary = cls(
            id=id,
            title=title,
            updated_at=updated_at,
            created_at=created_at,
            chat_type=chat_type,
            project_id=project_id,
            pinned=pinned,
            content=content,
            highlight_indexes=highlight_indexes,
            message_id=message_id,
        )

        chat_summary.additional_properties = d
        return chat_summary

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
