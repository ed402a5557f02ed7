from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chat_history_messages_additional_property import ChatHistoryMessagesAdditionalProperty


T = TypeVar("T", bound="ChatHistoryMessages")


@_attrs_define
class ChatHistoryMessages:
    """Messages keyed by id, linked by `parentId` / `childrenIds`."""

    additional_properties: dict[str, ChatHistoryMessagesAdditionalProperty] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop.to_dict()

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_history_messages_additional_property import ChatHistoryMessagesAdditionalProperty  # noqa: PLC0415

        d = dict(src_dict)
        chat_history_messages = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = ChatHistoryMessagesAdditionalProperty.from_dict(prop_dict)

            additional_properties[prop_name] = additional_property

        chat_history_messages.additional_properties = additional_properties
        return chat_history_messages

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> ChatHistoryMessagesAdditionalProperty:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: ChatHistoryMessagesAdditionalProperty) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
