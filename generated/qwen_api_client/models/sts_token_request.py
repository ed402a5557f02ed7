from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StsTokenRequest")


@_attrs_define
class StsTokenRequest:
    filename: str
    filesize: int | str
    filetype: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filename = self.filename

        filesize: int | str
        filesize = self.filesize

        filetype = self.filetype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filename": filename,
                "filesize": filesize,
                "filetype": filetype,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filename = d.pop("filename")

        def _parse_filesize(data: object) -> int | str:
            return cast(int | str, data)

        filesize = _parse_filesize(d.pop("filesize"))

        filetype = d.pop("filetype")

        sts_token_request = cls(
            filename=filename,
            filesize=filesize,
            filetype=filetype,
        )

        sts_token_request.additional_properties = d
        return sts_token_request

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
