from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_details import TokenDetails


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """Grows with each chunk; keep the last one. Image answers carry width/height/image_count."""

    input_tokens: int | Unset = UNSET
    output_tokens: int | Unset = UNSET
    total_tokens: int | Unset = UNSET
    characters: int | Unset = UNSET
    input_tokens_details: TokenDetails | Unset = UNSET
    output_tokens_details: TokenDetails | Unset = UNSET
    prompt_tokens_details: TokenDetails | Unset = UNSET
    width: int | Unset = UNSET
    height: int | Unset = UNSET
    image_count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_tokens = self.input_tokens

        output_tokens = self.output_tokens

        total_tokens = self.total_tokens

        characters = self.characters

        input_tokens_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_tokens_details, Unset):
            input_tokens_details = self.input_tokens_details.to_dict()

        output_tokens_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.output_tokens_details, Unset):
            output_tokens_details = self.output_tokens_details.to_dict()

        prompt_tokens_details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_tokens_details, Unset):
            prompt_tokens_details = self.prompt_tokens_details.to_dict()

        width = self.width

        height = self.height

        image_count = self.image_count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_tokens is not UNSET:
            field_dict["input_tokens"] = input_tokens
        if output_tokens is not UNSET:
            field_dict["output_tokens"] = output_tokens
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if characters is not UNSET:
            field_dict["characters"] = characters
        if input_tokens_details is not UNSET:
            field_dict["input_tokens_details"] = input_tokens_details
        if output_tokens_details is not UNSET:
            field_dict["output_tokens_details"] = output_tokens_details
        if prompt_tokens_details is not UNSET:
            field_dict["prompt_tokens_details"] = prompt_tokens_details
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if image_count is not UNSET:
            field_dict["image_count"] = image_count

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_details import TokenDetails  # noqa: PLC0415

        d = dict(src_dict)
        input_tokens = d.pop("input_tokens", UNSET)

        output_tokens = d.pop("output_tokens", UNSET)

        total_tokens = d.pop("total_tokens", UNSET)

        characters = d.pop("characters", UNSET)

        _input_tokens_details = d.pop("input_tokens_details", UNSET)
        input_tokens_details: TokenDetails | Unset
        if isinstance(_input_tokens_details, Unset):
            input_tokens_details = UNSET
        else:
            input_tokens_details = TokenDetails.from_dict(_input_tokens_details)

        _output_tokens_details = d.pop("output_tokens_details", UNSET)
        output_tokens_details: TokenDetails | Unset
        if isinstance(_output_tokens_details, Unset):
            output_tokens_details = UNSET
        else:
            output_tokens_details = TokenDetails.from_dict(_output_tokens_details)

        _prompt_tokens_details = d.pop("prompt_tokens_details", UNSET)
        prompt_tokens_details: TokenDetails | Unset
        if isinstance(_prompt_tokens_details, Unset):
            prompt_tokens_details = UNSET
        else:
            prompt_tokens_details = TokenDetails.from_dict(_prompt_tokens_details)

        width = d.pop("width", UNSET)

        height = d.pop("height", UNSET)

        image_count = d.pop("image_count", UNSET)

        usage = cls(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=total_tokens,
            characters=characters,
            input_tokens_details=input_tokens_details,
            output_tokens_details=output_tokens_details,
            prompt_tokens_details=prompt_tokens_details,
            width=width,
            height=height,
            image_count=image_count,
        )

        usage.additional_properties = d
        return usage

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
