from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_meta import ModelMeta


T = TypeVar("T", bound="ModelInfo")


@_attrs_define
class ModelInfo:
    id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    base_model_id: None | str | Unset = UNSET
    name: str | Unset = UNSET
    meta: ModelMeta | Unset = UNSET
    is_active: bool | Unset = UNSET
    is_visitor_active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        base_model_id: None | str | Unset
        if isinstance(self.base_model_id, Unset):
            base_model_id = UNSET
        else:
            base_model_id = self.base_model_id

        name = self.name

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        is_active = self.is_active

        is_visitor_active = self.is_visitor_active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if base_model_id is not UNSET:
            field_dict["base_model_id"] = base_model_id
        if name is not UNSET:
            field_dict["name"] = name
        if meta is not UNSET:
            field_dict["meta"] = meta
        if is_active is not UNSET:
            field_dict["is_active"] = is_active
        if is_visitor_active is not UNSET:
            field_dict["is_visitor_active"] = is_visitor_active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_meta import ModelMeta  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id", UNSET)

        user_id = d.pop("user_id", UNSET)

        def _parse_base_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base_model_id = _parse_base_model_id(d.pop("base_model_id", UNSET))

        name = d.pop("name", UNSET)

        _meta = d.pop("meta", UNSET)
        meta: ModelMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = ModelMeta.from_dict(_meta)

        is_active = d.pop("is_active", UNSET)

        is_visitor_active = d.pop("is_visitor_active", UNSET)

        model_info = cls(
            id=id,
            user_id=user_id,
            base_model_id=base_model_id,
            name=name,
            meta=meta,
            is_active=is_active,
            is_visitor_active=is_visitor_active,
        )

        model_info.additional_properties = d
        return model_info

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
