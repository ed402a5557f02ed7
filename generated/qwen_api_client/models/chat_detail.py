from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_body import ChatBody
    from ..models.chat_detail_meta import ChatDetailMeta


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
    share_id: None | str | Unset = UNSET
    meta: ChatDetailMeta | Unset = UNSET
    folder_id: None | str | Unset = UNSET
    current_id: None | str | Unset = UNSET
    current_response_ids: list[str] | Unset = UNSET
    models: list[str] | None | Unset = UNSET
    project_id: None | str | Unset = UNSET
    data_source: None | str | Unset = UNSET
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

        share_id: None | str | Unset
        if isinstance(self.share_id, Unset):
            share_id = UNSET
        else:
            share_id = self.share_id

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        folder_id: None | str | Unset
        if isinstance(self.folder_id, Unset):
            folder_id = UNSET
        else:
            folder_id = self.folder_id

        current_id: None | str | Unset
        if isinstance(self.current_id, Unset):
            current_id = UNSET
        else:
            current_id = self.current_id

        current_response_ids: list[str] | Unset = UNSET
        if not isinstance(self.current_response_ids, Unset):
            current_response_ids = self.current_response_ids

        models: list[str] | None | Unset
        if isinstance(self.models, Unset):
            models = UNSET
        elif isinstance(self.models, list):
            models = self.models

        else:
            models = self.models

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        data_source: None | str | Unset
        if isinstance(self.data_source, Unset):
            data_source = UNSET
        else:
            data_source = self.data_source

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
        if share_id is not UNSET:
            field_dict["share_id"] = share_id
        if meta is not UNSET:
            field_dict["meta"] = meta
        if folder_id is not UNSET:
            field_dict["folder_id"] = folder_id
        if current_id is not UNSET:
            field_dict["currentId"] = current_id
        if current_response_ids is not UNSET:
            field_dict["currentResponseIds"] = current_response_ids
        if models is not UNSET:
            field_dict["models"] = models
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if data_source is not UNSET:
            field_dict["data_source"] = data_source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_body import ChatBody  # noqa: PLC0415
        from ..models.chat_detail_meta import ChatDetailMeta  # noqa: PLC0415

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

        def _parse_share_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        share_id = _parse_share_id(d.pop("share_id", UNSET))

        _meta = d.pop("meta", UNSET)
        meta: ChatDetailMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = ChatDetailMeta.from_dict(_meta)

        def _parse_folder_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        folder_id = _parse_folder_id(d.pop("folder_id", UNSET))

        def _parse_current_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_id = _parse_current_id(d.pop("currentId", UNSET))

        current_response_ids = cast(list[str], d.pop("currentResponseIds", UNSET))

        def _parse_models(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                models_type_0 = cast(list[str], data)

                return models_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        models = _parse_models(d.pop("models", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        def _parse_data_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        data_source = _parse_data_source(d.pop("data_source", UNSET))

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
            share_id=share_id,
            meta=meta,
            folder_id=folder_id,
            current_id=current_id,
            current_response_ids=current_response_ids,
            models=models,
            project_id=project_id,
            data_source=data_source,
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
