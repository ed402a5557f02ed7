from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_history_messages import ChatHistoryMessages
    from ..models.chat_pagination import ChatPagination


T = TypeVar("T", bound="ChatHistory")


@_attrs_define
class ChatHistory:
    messages: ChatHistoryMessages | Unset = UNSET
    """ Messages keyed by id, linked by `parentId` / `childrenIds`. """
    current_id: None | str | Unset = UNSET
    current_response_ids: list[str] | Unset = UNSET
    pagination: ChatPagination | Unset = UNSET
    """ Where this page of the message tree sits (browser capture 2026-09-25, `?direction=up&limit=10`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        messages: dict[str, Any] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = self.messages.to_dict()

        current_id: None | str | Unset
        if isinstance(self.current_id, Unset):
            current_id = UNSET
        else:
            current_id = self.current_id

        current_response_ids: list[str] | Unset = UNSET
        if not isinstance(self.current_response_ids, Unset):
            current_response_ids = self.current_response_ids

        pagination: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pagination, Unset):
            pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if messages is not UNSET:
            field_dict["messages"] = messages
        if current_id is not UNSET:
            field_dict["currentId"] = current_id
        if current_response_ids is not UNSET:
            field_dict["currentResponseIds"] = current_response_ids
        if pagination is not UNSET:
            field_dict["pagination"] = pagination

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_history_messages import ChatHistoryMessages  # noqa: PLC0415
        from ..models.chat_pagination import ChatPagination  # noqa: PLC0415

        d = dict(src_dict)
        _messages = d.pop("messages", UNSET)
        messages: ChatHistoryMessages | Unset
        if isinstance(_messages, Unset):
            messages = UNSET
        else:
            messages = ChatHistoryMessages.from_dict(_messages)

        def _parse_current_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_id = _parse_current_id(d.pop("currentId", UNSET))

        current_response_ids = cast(list[str], d.pop("currentResponseIds", UNSET))

        _pagination = d.pop("pagination", UNSET)
        pagination: ChatPagination | Unset
        if isinstance(_pagination, Unset):
            pagination = UNSET
        else:
            pagination = ChatPagination.from_dict(_pagination)

        chat_history = cls(
            messages=messages,
            current_id=current_id,
            current_response_ids=current_response_ids,
            pagination=pagination,
        )

        chat_history.additional_properties = d
        return chat_history

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
