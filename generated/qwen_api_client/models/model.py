from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info import ModelInfo


T = TypeVar("T", bound="Model")


@_attrs_define
class Model:
    id: str
    """ Model ids drift; never a closed set. """
    name: str | Unset = UNSET
    object_: str | Unset = UNSET
    owned_by: str | Unset = UNSET
    info: ModelInfo | Unset = UNSET
    preset: bool | Unset = UNSET
    action_ids: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        object_ = self.object_

        owned_by = self.owned_by

        info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.info, Unset):
            info = self.info.to_dict()

        preset = self.preset

        action_ids: list[str] | Unset = UNSET
        if not isinstance(self.action_ids, Unset):
            action_ids = self.action_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if object_ is not UNSET:
            field_dict["object"] = object_
        if owned_by is not UNSET:
            field_dict["owned_by"] = owned_by
        if info is not UNSET:
            field_dict["info"] = info
        if preset is not UNSET:
            field_dict["preset"] = preset
        if action_ids is not UNSET:
            field_dict["action_ids"] = action_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info import ModelInfo  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name", UNSET)

        object_ = d.pop("object", UNSET)

        owned_by = d.pop("owned_by", UNSET)

        _info = d.pop("info", UNSET)
        info: ModelInfo | Unset
        if isinstance(_info, Unset):
            info = UNSET
        else:
            info = ModelInfo.from_dict(_info)

        preset = d.pop("preset", UNSET)

        action_ids = cast(list[str], d.pop("action_ids", UNSET))

        model = cls(
            id=id,
            name=name,
            object_=object_,
            owned_by=owned_by,
            info=info,
            preset=preset,
            action_ids=action_ids,
        )

        model.additional_properties = d
        return model

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
