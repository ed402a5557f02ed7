from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.response_stopped import ResponseStopped


T = TypeVar("T", bound="ResponseStoppedEvent")


@_attrs_define
class ResponseStoppedEvent:
    response_stopped: ResponseStopped
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response_stopped = self.response_stopped.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "response.stopped": response_stopped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_stopped import ResponseStopped  # noqa: PLC0415

        d = dict(src_dict)
        response_stopped = ResponseStopped.from_dict(d.pop("response.stopped"))

        response_stopped_event = cls(
            response_stopped=response_stopped,
        )

        response_stopped_event.additional_properties = d
        return response_stopped_event

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
