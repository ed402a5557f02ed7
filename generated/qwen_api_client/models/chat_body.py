from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_body_messages_item import ChatBodyMessagesItem
    from ..models.chat_history import ChatHistory


T = TypeVar("T", bound="ChatBody")


@_attrs_define
class ChatBody:
    history: ChatHistory | Unset = UNSET
    models: list[str] | Unset = UNSET
    messages: list[ChatBodyMessagesItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        history: dict[str, Any] | Unset = UNSET
        if not isinstance(self.history, Unset):
            history = self.history.to_dict()

        models: list[str] | Unset = UNSET
        if not isinstance(self.models, Unset):
            models = self.models

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if history is not UNSET:
            field_dict["history"] = history
        if models is not UNSET:
            field_dict["models"] = models
        if messages is not UNSET:
            field_dict["messages"] = messages

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_body_messages_item import ChatBodyMessagesItem  # noqa: PLC0415
        from ..models.chat_history import ChatHistory  # noqa: PLC0415

        d = dict(src_dict)
        _history = d.pop("history", UNSET)
        history: ChatHistory | Unset
        if isinstance(_history, Unset):
            history = UNSET
        else:
            history = ChatHistory.from_dict(_history)

        models = cast(list[str], d.pop("models", UNSET))

        _messages = d.pop("messages", UNSET)
        messages: list[ChatBodyMessagesItem] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = ChatBodyMessagesItem.from_dict(messages_item_data)

                messages.append(messages_item)

        chat_body = cls(
            history=history,
            models=models,
            messages=messages,
        )

        chat_body.additional_properties = d
        return chat_body

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
