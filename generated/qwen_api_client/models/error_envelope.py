from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_data import ErrorData


T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope:
    """The service's error body. Shapes seen (all with HTTP 200): `{success:false, request_id,
    data:{code, details, template?, num?}}`, `{success:false, code, message?}`, and the bare
    `{code, details}`. Codes vary in case (`Unauthorized` / `unauthorized`).

    """

    success: bool | Unset = UNSET
    request_id: str | Unset = UNSET
    code: str | Unset = UNSET
    """ The service's own error code (open set). """
    message: str | Unset = UNSET
    details: str | Unset = UNSET
    data: ErrorData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        request_id = self.request_id

        code = self.code

        message = self.message

        details = self.details

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if success is not UNSET:
            field_dict["success"] = success
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if details is not UNSET:
            field_dict["details"] = details
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_data import ErrorData  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success", UNSET)

        request_id = d.pop("request_id", UNSET)

        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        details = d.pop("details", UNSET)

        _data = d.pop("data", UNSET)
        data: ErrorData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = ErrorData.from_dict(_data)

        error_envelope = cls(
            success=success,
            request_id=request_id,
            code=code,
            message=message,
            details=details,
            data=data,
        )

        error_envelope.additional_properties = d
        return error_envelope

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
