from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_ref_file_data import FileRefFileData
    from ..models.file_ref_meta import FileRefMeta


T = TypeVar("T", bound="FileRefFile")


@_attrs_define
class FileRefFile:
    created_at: int | Unset = UNSET
    data: FileRefFileData | Unset = UNSET
    filename: str | Unset = UNSET
    hash_: None | str | Unset = UNSET
    id: str | Unset = UNSET
    user_id: str | Unset = UNSET
    meta: FileRefMeta | Unset = UNSET
    update_at: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        filename = self.filename

        hash_: None | str | Unset
        if isinstance(self.hash_, Unset):
            hash_ = UNSET
        else:
            hash_ = self.hash_

        id = self.id

        user_id = self.user_id

        meta: dict[str, Any] | Unset = UNSET
        if not isinstance(self.meta, Unset):
            meta = self.meta.to_dict()

        update_at = self.update_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if data is not UNSET:
            field_dict["data"] = data
        if filename is not UNSET:
            field_dict["filename"] = filename
        if hash_ is not UNSET:
            field_dict["hash"] = hash_
        if id is not UNSET:
            field_dict["id"] = id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if meta is not UNSET:
            field_dict["meta"] = meta
        if update_at is not UNSET:
            field_dict["update_at"] = update_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_ref_file_data import FileRefFileData  # noqa: PLC0415
        from ..models.file_ref_meta import FileRefMeta  # noqa: PLC0415

        d = dict(src_dict)
        created_at = d.pop("created_at", UNSET)

        _data = d.pop("data", UNSET)
        data: FileRefFileData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = FileRefFileData.from_dict(_data)

        filename = d.pop("filename", UNSET)

        def _parse_hash_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hash_ = _parse_hash_(d.pop("hash", UNSET))

        id = d.pop("id", UNSET)

        user_id = d.pop("user_id", UNSET)

        _meta = d.pop("meta", UNSET)
        meta: FileRefMeta | Unset
        if isinstance(_meta, Unset):
            meta = UNSET
        else:
            meta = FileRefMeta.from_dict(_meta)

        update_at = d.pop("update_at", UNSET)

        file_ref_file = cls(
            created_at=created_at,
            data=data,
            filename=filename,
            hash_=hash_,
            id=id,
            user_id=user_id,
            meta=meta,
            update_at=update_at,
        )

        file_ref_file.additional_properties = d
        return file_ref_file

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
