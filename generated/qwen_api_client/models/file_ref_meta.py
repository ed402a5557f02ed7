from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_ref_meta_parse_meta import FileRefMetaParseMeta


T = TypeVar("T", bound="FileRefMeta")


@_attrs_define
class FileRefMeta:
    name: str | Unset = UNSET
    size: int | Unset = UNSET
    content_type: str | Unset = UNSET
    parse_meta: FileRefMetaParseMeta | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        size = self.size

        content_type = self.content_type

        parse_meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parse_meta, Unset):
            parse_meta = self.parse_meta.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if size is not UNSET:
            field_dict["size"] = size
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if parse_meta is not UNSET:
            field_dict["parse_meta"] = parse_meta

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_ref_meta_parse_meta import FileRefMetaParseMeta  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name", UNSET)

        size = d.pop("size", UNSET)

        content_type = d.pop("content_type", UNSET)

        _parse_meta = d.pop("parse_meta", UNSET)
        parse_meta: FileRefMetaParseMeta | Unset
        if isinstance(_parse_meta, Unset):
            parse_meta = UNSET
        else:
            parse_meta = FileRefMetaParseMeta.from_dict(_parse_meta)

        file_ref_meta = cls(
            name=name,
            size=size,
            content_type=content_type,
            parse_meta=parse_meta,
        )

        file_ref_meta.additional_properties = d
        return file_ref_meta

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
