from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaskStatus")


@_attrs_define
class TaskStatus:
    chat_type: str | Unset = UNSET
    task_status: str | Unset = UNSET
    message: str | Unset = UNSET
    content: str | Unset = UNSET
    remaining_time: int | None | str | Unset = UNSET
    sub_chat_type: str | Unset = UNSET
    duration: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat_type = self.chat_type

        task_status = self.task_status

        message = self.message

        content = self.content

        remaining_time: int | None | str | Unset
        if isinstance(self.remaining_time, Unset):
            remaining_time = UNSET
        else:
            remaining_time = self.remaining_time

        sub_chat_type = self.sub_chat_type

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if chat_type is not UNSET:
            field_dict["chat_type"] = chat_type
        if task_status is not UNSET:
            field_dict["task_status"] = task_status
        if message is not UNSET:
            field_dict["message"] = message
        if content is not UNSET:
            field_dict["content"] = content
        if remaining_time is not UNSET:
            field_dict["remaining_time"] = remaining_time
        if sub_chat_type is not UNSET:
            field_dict["sub_chat_type"] = sub_chat_type
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat_type = d.pop("chat_type", UNSET)

        task_status = d.pop("task_status", UNSET)

        message = d.pop("message", UNSET)

        content = d.pop("content", UNSET)

        def _parse_remaining_time(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        remaining_time = _parse_remaining_time(d.pop("remaining_time", UNSET))

        sub_chat_type = d.pop("sub_chat_type", UNSET)

        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        task_status = cls(
            chat_type=chat_type,
            task_status=task_status,
            message=message,
            content=content,
            remaining_time=remaining_time,
            sub_chat_type=sub_chat_type,
            duration=duration,
        )

        task_status.additional_properties = d
        return task_status

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
