from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_completion_request_messages_item import LegacyCompletionRequestMessagesItem


T = TypeVar("T", bound="LegacyCompletionRequest")


@_attrs_define
class LegacyCompletionRequest:
    stream: bool | Unset = UNSET
    incremental_output: bool | Unset = UNSET
    chat_type: str | Unset = UNSET
    model: str | Unset = UNSET
    messages: list[LegacyCompletionRequestMessagesItem] | Unset = UNSET
    session_id: str | Unset = UNSET
    chat_id: str | Unset = UNSET
    id: str | Unset = UNSET
    sub_chat_type: str | Unset = UNSET
    chat_mode: str | Unset = UNSET
    temperature: float | Unset = UNSET
    max_tokens: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stream = self.stream

        incremental_output = self.incremental_output

        chat_type = self.chat_type

        model = self.model

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        session_id = self.session_id

        chat_id = self.chat_id

        id = self.id

        sub_chat_type = self.sub_chat_type

        chat_mode = self.chat_mode

        temperature = self.temperature

        max_tokens = self.max_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if stream is not UNSET:
            field_dict["stream"] = stream
        if incremental_output is not UNSET:
            field_dict["incremental_output"] = incremental_output
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if model is not UNSET:
            field_dict["model"] = model
        if messages is not UNSET:
            field_dict["messages"] = messages
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if chat_id is not UNSET:
            field_dict["chat_id"] = chat_id
        if id is not UNSET:
            field_dict["id"] = id
        if sub_chat_type is not UNSET:
            field_dict["sub_chat_type"] = sub_chat_type
        if chat_mode is not UNSET:
            field_dict["chat_mode"] = chat_mode
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_completion_request_messages_item import LegacyCompletionRequestMessagesItem  # noqa: PLC0415

        d = dict(src_dict)
        stream = d.pop("stream", UNSET)

        incremental_output = d.pop("incremental_output", UNSET)

        chat_type = d.pop("chat_type", UNSET)

        model = d.pop("model", UNSET)

        _messages = d.pop("messages", UNSET)
        messages: list[LegacyCompletionRequestMessagesItem] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = LegacyCompletionRequestMessagesItem.from_dict(messages_item_data)

                messages.append(messages_item)

        session_id = d.pop("session_id", UNSET)

        chat_id = d.pop("chat_id", UNSET)

        id = d.pop("id", UNSET)

        sub_chat_type = d.pop("sub_chat_type", UNSET)

        chat_mode = d.pop("chat_mode", UNSET)

        temperature = d.pop("temperature", UNSET)

        max_tokens = d.pop("max_tokens", UNSET)

        legacy_completion_request = cls(
            stream=stream,
            incremental_output=incremental_output,
            chat_type=chat_type,
            model=model,
            messages=messages,
            session_id=session_id,
            chat_id=chat_id,
            id=id,
            sub_chat_type=sub_chat_type,
            chat_mode=chat_mode,
            temperature=temperature,
            max_tokens=max_tokens,
        )

        legacy_completion_request.additional_properties = d
        return legacy_completion_request

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
