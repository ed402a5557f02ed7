from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_ref_file import FileRefFile


T = TypeVar("T", bound="FileRef")


@_attrs_define
class FileRef:
    """An uploaded file referenced from a message (rogator storage.py, qwengate, AIChatfire
    upload.py, 2026). Minimal accepted shape: type, name, file_type, showType, file_class,
    status, url.

    """

    type_: str
    url: str
    file: FileRefFile | Unset = UNSET
    id: str | Unset = UNSET
    name: str | Unset = UNSET
    size: int | Unset = UNSET
    file_type: str | Unset = UNSET
    """ MIME type. """
    show_type: str | Unset = UNSET
    file_class: str | Unset = UNSET
    status: str | Unset = UNSET
    green_net: str | Unset = UNSET
    item_id: str | Unset = UNSET
    upload_task_id: str | Unset = UNSET
    collection_name: str | Unset = UNSET
    progress: int | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        url = self.url

        file: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file, Unset):
            file = self.file.to_dict()

        id = self.id

        name = self.name

        size = self.size

        file_type = self.file_type

        show_type = self.show_type

        file_class = self.file_class

        status = self.status

        green_net = self.green_net

        item_id = self.item_id

        upload_task_id = self.upload_task_id

        collection_name = self.collection_name

        progress = self.progress

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "url": url,
            }
        )
        if file is not UNSET:
            field_dict["file"] = file
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if size is not UNSET:
            field_dict["size"] = size
        if file_type is not UNSET:
            field_dict["file_type"] = file_type
        if show_type is not UNSET:
            field_dict["showType"] = show_type
        if file_class is not UNSET:
            field_dict["file_class"] = file_class
        if status is not UNSET:
            field_dict["status"] = status
        if green_net is not UNSET:
            field_dict["greenNet"] = green_net
        if item_id is not UNSET:
            field_dict["itemId"] = item_id
        if upload_task_id is not UNSET:
            field_dict["uploadTaskId"] = upload_task_id
        if collection_name is not UNSET:
            field_dict["collection_name"] = collection_name
        if progress is not UNSET:
            field_dict["progress"] = progress
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_ref_file import FileRefFile  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        url = d.pop("url")

        _file = d.pop("file", UNSET)
        file: FileRefFile | Unset
        if isinstance(_file, Unset):
            file = UNSET
        else:
            file = FileRefFile.from_dict(_file)

        id = d.pop("id", UNSET)

        name = d.pop("name", UNSET)

        size = d.pop("size", UNSET)

        file_type = d.pop("file_type", UNSET)

        show_type = d.pop("showType", UNSET)

        file_class = d.pop("file_class", UNSET)

        status = d.pop("status", UNSET)

        green_net = d.pop("greenNet", UNSET)

        item_id = d.pop("itemId", UNSET)

        upload_task_id = d.pop("uploadTaskId", UNSET)

        collection_name = d.pop("collection_name", UNSET)

        progress = d.pop("progress", UNSET)

        error = d.pop("error", UNSET)

        file_ref = cls(
            type_=type_,
            url=url,
            file=file,
            id=id,
            name=name,
            size=size,
            file_type=file_type,
            show_type=show_type,
            file_class=file_class,
            status=status,
            green_net=green_net,
            item_id=item_id,
            upload_task_id=upload_task_id,
            collection_name=collection_name,
            progress=progress,
            error=error,
        )

        file_ref.additional_properties = d
        return file_ref

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
