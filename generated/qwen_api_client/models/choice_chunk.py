from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chunk_choice import ChunkChoice
    from ..models.usage import Usage


T = TypeVar("T", bound="ChoiceChunk")


@_attrs_define
class ChoiceChunk:
    choices: list[ChunkChoice]
    response_id: str | Unset = UNSET
    usage: Usage | Unset = UNSET
    """ Grows with each chunk; keep the last one. Image answers carry width/height/image_count. """
    timestamp: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        response_id = self.response_id

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        timestamp = self.timestamp

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "choices": choices,
            }
        )
        if response_id is not UNSET:
            field_dict["response_id"] = response_id
        if usage is not UNSET:
            field_dict["usage"] = usage
        if timestamp is not UNSET:
            field_dict["timestamp"] = timestamp

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chunk_choice import ChunkChoice  # noqa: PLC0415
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = ChunkChoice.from_dict(choices_item_data)

            choices.append(choices_item)

        response_id = d.pop("response_id", UNSET)

        _usage = d.pop("usage", UNSET)
        usage: Usage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = Usage.from_dict(_usage)

        timestamp = d.pop("timestamp", UNSET)

        choice_chunk = cls(
            choices=choices,
            response_id=response_id,
            usage=usage,
            timestamp=timestamp,
        )

        choice_chunk.additional_properties = d
        return choice_chunk

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
