from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.response_created import ResponseCreated


T = TypeVar("T", bound="ResponseCreatedEvent")


@_attrs_define
class ResponseCreatedEvent:
    response_created: ResponseCreated
    """ Always first; `response_id` becomes the next turn's `parent_id`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response_created = self.response_created.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "response.created": response_created,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.response_created import ResponseCreated  # noqa: PLC0415

        d = dict(src_dict)
        response_created = ResponseCreated.from_dict(d.pop("response.created"))

        response_created_event = cls(
            response_created=response_created,
        )

        response_created_event.additional_properties = d
        return response_created_event

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
