from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.waf_block_data import WafBlockData


T = TypeVar("T", bound="WafBlock")


@_attrs_define
class WafBlock:
    """Anti-bot block (Alibaba baxia), HTTP 200 with `application/json`."""

    ret: list[str]
    data: WafBlockData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ret = self.ret

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ret": ret,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.waf_block_data import WafBlockData  # noqa: PLC0415

        d = dict(src_dict)
        ret = cast(list[str], d.pop("ret"))

        _data = d.pop("data", UNSET)
        data: WafBlockData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = WafBlockData.from_dict(_data)

        waf_block = cls(
            ret=ret,
            data=data,
        )

        waf_block.additional_properties = d
        return waf_block

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
