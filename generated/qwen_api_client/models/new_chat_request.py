from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NewChatRequest")


@_attrs_define
class NewChatRequest:
    models: list[str]
    chat_type: str
    """ What kind of turn this is (open set). """
    chat_id: str | Unset = UNSET
    """ Always empty in the browser capture. """
    title: str | Unset = UNSET
    project_id: str | Unset = UNSET
    timestamp: int | Unset = UNSET
    """ Epoch milliseconds. """
    chat_mode: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        models = self.models

        chat_type = self.chat_type

        chat_id = self.chat_id

        title = self.title

        project_id = self.project_id

        timestamp = self.timestamp

        chat_mode = self.chat_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "models": models,
                "chat_type": chat_type,
            }
        )
        if chat_id is not UNSET:
            field_dict["chatId"] = chat_id
        if title is not UNSET:
            field_dict["title"] = title
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if chat_mode is not UNSET:
            field_dict["chat_mode"] = chat_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        models = cast(list[str], d.pop("models"))

        chat_type = d.pop("chat_type")

        chat_id = d.pop("chatId", UNSET)

        title = d.pop("title", UNSET)

        project_id = d.pop("project_id", UNSET)

        timestamp = d.pop("timestamp", UNSET)

        chat_mode = d.pop("chat_mode", UNSET)

        new_chat_request = cls(
            models=models,
            chat_type=chat_type,
            chat_id=chat_id,
            title=title,
            project_id=project_id,
            timestamp=timestamp,
            chat_mode=chat_mode,
        )

        new_chat_request.additional_properties = d
        return new_chat_request

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
