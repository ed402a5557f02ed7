from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.video_task_envelope_data_messages_item import VideoTaskEnvelopeDataMessagesItem


T = TypeVar("T", bound="VideoTaskEnvelopeData")


@_attrs_define
class VideoTaskEnvelopeData:
    chat_id: str | Unset = UNSET
    parent_id: None | str | Unset = UNSET
    message_id: str | Unset = UNSET
    messages: list[VideoTaskEnvelopeDataMessagesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat_id = self.chat_id

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        message_id = self.message_id

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if message_id is not UNSET:
            field_dict["message_id"] = message_id
        if messages is not UNSET:
            field_dict["messages"] = messages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.video_task_envelope_data_messages_item import VideoTaskEnvelopeDataMessagesItem  # noqa: PLC0415

        d = dict(src_dict)
        chat_id = d.pop("chat_id", UNSET)

        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))

        message_id = d.pop("message_id", UNSET)

        _messages = d.pop("messages", UNSET)
        messages: list[VideoTaskEnvelopeDataMessagesItem] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = VideoTaskEnvelopeDataMessagesItem.from_dict(messages_item_data)

                messages.append(messages_item)

        video_task_envelope_data = cls(
            chat_id=chat_id,
            parent_id=parent_id,
            message_id=message_id,
            messages=messages,
        )

        video_task_envelope_data.additional_properties = d
        return video_task_envelope_data

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
