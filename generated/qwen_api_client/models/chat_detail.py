from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_body import ChatBody


T = TypeVar("T", bound="ChatDetail")


@_attrs_define
class ChatDetail:
    """A chat with its message tree (loose; the tree's shape drifts)."""

    id: str
    user_id: str | Unset = UNSET
    title: str | Unset = UNSET
    chat: ChatBody | Unset = UNSET
    updated_at: int | Unset = UNSET
    created_at: int | Unset = UNSET
    chat_type: None | str | Unset = UNSET
    pinned: bool | Unset = UNSET
    archived: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        title = self.title

        chat: dict[str, Any] | Unset = UNSET
        if not isinstance(self.chat, Unset):
            chat = self.chat.to_dict()

        updated_at = self.updated_at

        created_at = self.created_at

        chat_type: None | str | Unset
        if isinstance(self.chat_type, Unset):
            chat_type = UNSET
        else:
            chat_type = self.chat_type

        pinned = self.pinned

        archived = self.archived

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if title is not UNSET:
            field_dict["title"] = title
        if chat is not UNSET:
            field_dict["chat"] = chat
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if pinned is not UNSET:
            field_dict["pinned"] = pinned
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_body import ChatBody  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id", UNSET)

        title = d.pop("title", UNSET)

        _chat = d.pop("chat", UNSET)
        chat: ChatBody | Unset
        if isinstance(_chat, Unset):
            chat = UNSET
        else:
            chat = ChatBody.from_dict(_chat)

        updated_at = d.pop("updated_at", UNSET)

        created_at = d.pop("created_at", UNSET)

        def _parse_chat_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        chat_type = _parse_chat_type(d.pop("chat_type", UNSET))

        pinned = d.pop("pinned", UNSET)

        archived = d.pop("archived", UNSET)

        chat_detail = cls(
            id=id,
            user_id=user_id,
            title=title,
            chat=chat,
            updated_at=updated_at,
            created_at=created_at,
            chat_type=chat_type,
            pinned=pinned,
            archived=archived,
        )

        chat_detail.additional_properties = d
        return chat_detail

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
