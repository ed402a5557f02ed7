from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stream_error_detail import StreamErrorDetail


T = TypeVar("T", bound="StreamErrorEvent")


@_attrs_define
class StreamErrorEvent:
    """An error inside the stream: `{"error": {"code", "details", "stage"?, "modality"?},
    "response_id"}` (rogator test, 2026-08) or `{"error": "Internal error!"}` (AIChatfire, 2026-09).

    """

    error: str | StreamErrorDetail
    response_id: str | Unset = UNSET
    response_index: int | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.stream_error_detail import StreamErrorDetail  # noqa: PLC0415

        error: dict[str, Any] | str
        if isinstance(self.error, StreamErrorDetail):
            error = self.error.to_dict()
        else:
            error = self.error

        response_id = self.response_id

        response_index: int | str | Unset
        if isinstance(self.response_index, Unset):
            response_index = UNSET
        else:
            response_index = self.response_index

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )
        if response_id is not UNSET:
            field_dict["response_id"] = response_id
        if response_index is not UNSET:
            field_dict["response_index"] = response_index

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_error_detail import StreamErrorDetail  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_error(data: object) -> str | StreamErrorDetail:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = StreamErrorDetail.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | StreamErrorDetail, data)

        error = _parse_error(d.pop("error"))

        response_id = d.pop("response_id", UNSET)

        def _parse_response_index(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        response_index = _parse_response_index(d.pop("response_index", UNSET))

        stream_error_event = cls(
            error=error,
            response_id=response_id,
            response_index=response_index,
        )

        stream_error_event.additional_properties = d
        return stream_error_event

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
