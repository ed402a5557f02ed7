from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.feature_config import FeatureConfig
    from ..models.file_ref import FileRef
    from ..models.message_extra import MessageExtra


T = TypeVar("T", bound="UserMessage")


@_attrs_define
class UserMessage:
    role: str
    content: str
    id: None | Unset = UNSET
    fid: str | Unset = UNSET
    parentId: None | str | Unset = UNSET
    parent_id: None | str | Unset = UNSET
    children_ids: list[str] | Unset = UNSET
    user_action: str | Unset = UNSET
    files: list[FileRef] | Unset = UNSET
    timestamp: int | Unset = UNSET
    models: list[str] | Unset = UNSET
    model: str | Unset = UNSET
    chat_type: str | Unset = UNSET
    """ What kind of turn this is (open set). """
    sub_chat_type: str | Unset = UNSET
    """ What kind of turn this is (open set). """
    feature_config: FeatureConfig | Unset = UNSET
    """ Gears captured by AIChatfire (2026-09): Auto `{thinking_enabled:true, auto_thinking:true,
    thinking_mode:"Auto", thinking_format:"summary"}`, Thinking (auto_thinking false,
    thinking_mode "Thinking"), Fast `{thinking_enabled:false, auto_thinking:false,
    thinking_mode:"Fast"}`. `output_schema: "phase"` is mandatory since 2026-07-05.
     """
    extra: MessageExtra | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role

        content = self.content

        id = self.id

        fid = self.fid

        parentId: None | str | Unset
        if isinstance(self.parentId, Unset):
            parentId = UNSET
        else:
            parentId = self.parentId

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        children_ids: list[str] | Unset = UNSET
        if not isinstance(self.children_ids, Unset):
            children_ids = self.children_ids

        user_action = self.user_action

        files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_dict()
                files.append(files_item)

        timestamp = self.timestamp

        models: list[str] | Unset = UNSET
        if not isinstance(self.models, Unset):
            models = self.models

        model = self.model

        chat_type = self.chat_type

        sub_chat_type = self.sub_chat_type

        feature_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.feature_config, Unset):
            feature_config = self.feature_config.to_dict()

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "role": role,
                "content": content,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if fid is not UNSET:
            field_dict["fid"] = fid
        if parentId is not UNSET:
            field_dict["parentId"] = parentId
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if children_ids is not UNSET:
            field_dict["childrenIds"] = children_ids
        if user_action is not UNSET:
            field_dict["user_action"] = user_action
        if files is not UNSET:
            field_dict["files"] = files
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp
        if models is not UNSET:
            field_dict["models"] = models
        if model is not UNSET:
            field_dict["model"] = model
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if sub_chat_type is not UNSET:
            field_dict["sub_chat_type"] = sub_chat_type
        if feature_config is not UNSET:
            field_dict["feature_config"] = feature_config
        if extra is not UNSET:
            field_dict["extra"] = extra

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.feature_config import FeatureConfig  # noqa: PLC0415
        from ..models.file_ref import FileRef  # noqa: PLC0415
        from ..models.message_extra import MessageExtra  # noqa: PLC0415

        d = dict(src_dict)
        role = d.pop("role")

        content = d.pop("content")

        id = d.pop("id", UNSET)

        fid = d.pop("fid", UNSET)

        def _parse_parentId(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parentId = _parse_parentId(d.pop("parentId", UNSET))

        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))

        children_ids = cast(list[str], d.pop("childrenIds", UNSET))

        user_action = d.pop("user_action", UNSET)

        _files = d.pop("files", UNSET)
        files: list[FileRef] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = FileRef.from_dict(files_item_data)

                files.append(files_item)

        timestamp = d.pop("timestamp", UNSET)

        models = cast(list[str], d.pop("models", UNSET))

        model = d.pop("model", UNSET)

        chat_type = d.pop("chat_type", UNSET)

        sub_chat_type = d.pop("sub_chat_type", UNSET)

        _feature_config = d.pop("feature_config", UNSET)
        feature_config: FeatureConfig | Unset
        if isinstance(_feature_config, Unset):
            feature_config = UNSET
        else:
            feature_config = FeatureConfig.from_dict(_feature_config)

        _extra = d.pop("extra", UNSET)
        extra: MessageExtra | Unset
        if isinstance(_extra, Unset):
            extra = UNSET
        else:
            extra = MessageExtra.from_dict(_extra)

        user_message = cls(
            role=role,
            content=content,
            id=id,
            fid=fid,
            parentId=parentId,
            parent_id=parent_id,
            children_ids=children_ids,
            user_action=user_action,
            files=files,
            timestamp=timestamp,
            models=models,
            model=model,
            chat_type=chat_type,
            sub_chat_type=sub_chat_type,
            feature_config=feature_config,
            extra=extra,
        )

        user_message.additional_properties = d
        return user_message

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
