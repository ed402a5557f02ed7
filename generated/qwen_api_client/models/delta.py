from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delta_extra import DeltaExtra
    from ..models.function_call import FunctionCall


T = TypeVar("T", bound="Delta")


@_attrs_define
class Delta:
    role: str | Unset = UNSET
    content: str | Unset = UNSET
    phase: str | Unset = UNSET
    """ What this delta carries (open set). """
    status: str | Unset = UNSET
    name: str | Unset = UNSET
    extra: DeltaExtra | Unset = UNSET
    function_call: FunctionCall | Unset = UNSET
    function_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        role = self.role

        content = self.content

        phase = self.phase

        status = self.status

        name = self.name

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        function_call: dict[str, Any] | Unset = UNSET
        if not isinstance(self.function_call, Unset):
            function_call = self.function_call.to_dict()

        function_id = self.function_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if role is not UNSET:
            field_dict["role"] = role
        if content is not UNSET:
            field_dict["content"] = content
        if phase is not UNSET:
            field_dict["phase"] = phase
        if status is not UNSET:
            field_dict["status"] = status
        if name is not UNSET:
            field_dict["name"] = name
        if extra is not UNSET:
            field_dict["extra"] = extra
        if function_call is not UNSET:
            field_dict["function_call"] = function_call
        if function_id is not UNSET:
            field_dict["function_id"] = function_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delta_extra import DeltaExtra  # noqa: PLC0415
        from ..models.function_call import FunctionCall  # noqa: PLC0415

        d = dict(src_dict)
        role = d.pop("role", UNSET)

        content = d.pop("content", UNSET)

        phase = d.pop("phase", UNSET)

        status = d.pop("status", UNSET)

        name = d.pop("name", UNSET)

        _extra = d.pop("extra", UNSET)
        extra: DeltaExtra | Unset
        if isinstance(_extra, Unset):
            extra = UNSET
        else:
            extra = DeltaExtra.from_dict(_extra)

        _function_call = d.pop("function_call", UNSET)
        function_call: FunctionCall | Unset
        if isinstance(_function_call, Unset):
            function_call = UNSET
        else:
            function_call = FunctionCall.from_dict(_function_call)

        function_id = d.pop("function_id", UNSET)

        delta = cls(
            role=role,
            content=content,
            phase=phase,
            status=status,
            name=name,
            extra=extra,
            function_call=function_call,
            function_id=function_id,
        )

        delta.additional_properties = d
        return delta

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
