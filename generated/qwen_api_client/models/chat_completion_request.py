from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_message import UserMessage


T = TypeVar("T", bound="ChatCompletionRequest")


@_attrs_define
class ChatCompletionRequest:
    stream: bool
    chat_id: str
    model: str
    messages: list[UserMessage]
    version: str | Unset = UNSET
    """ Always "2.1". """
    incremental_output: bool | Unset = UNSET
    chatId: str | Unset = UNSET
    """ camelCase duplicate the browser sends. """
    parent_id: None | str | Unset = UNSET
    """ The previous answer's response_id; null on the first turn. """
    parentId: str | Unset = UNSET
    """ Duplicate; "" when there is no parent. """
    chat_mode: str | Unset = UNSET
    timestamp: int | Unset = UNSET
    """ Epoch seconds. """
    size: str | Unset = UNSET
    """ Aspect ratio for t2i/t2v/i2v. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stream = self.stream

        chat_id = self.chat_id

        model = self.model

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        version = self.version

        incremental_output = self.incremental_output

        chatId = self.chatId

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        parentId = self.parentId

        chat_mode = self.chat_mode

        timestamp = self.timestamp

        size = self.size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stream": stream,
                "chat_id": chat_id,
                "model": model,
                "messages": messages,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if incremental_output is not UNSET:
            field_dict["incremental_output"] = incremental_output
        if chatId is not UNSET:
            field_dict["chatId"] = chatId
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if parentId is not UNSET:
            field_dict["parentId"] = parentId
        if chat_mode is not UNSET:
            field_dict["chat_mode"] = chat_mode
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user_message import UserMessage  # noqa: PLC0415

        d = dict(src_dict)
        stream = d.pop("stream")

        chat_id = d.pop("chat_id")

        model = d.pop("model")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = UserMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        version = d.pop("version", UNSET)

        incremental_output = d.pop("incremental_output", UNSET)

        chatId = d.pop("chatId", UNSET)

        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))

        parentId = d.pop("parentId", UNSET)

        chat_mode = d.pop("chat_mode", UNSET)

        timestamp = d.pop("timestamp", UNSET)

        size = d.pop("size", UNSET)

        chat_completion_request = cls(
            stream=stream,
            chat_id=chat_id,
            model=model,
            messages=messages,
            version=version,
            incremental_output=incremental_output,
            chatId=chatId,
            parent_id=parent_id,
            parentId=parentId,
            chat_mode=chat_mode,
            timestamp=timestamp,
            size=size,
        )

        chat_completion_request.additional_properties = d
        return chat_completion_request

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
