from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.delta_extra_image_list_item import DeltaExtraImageListItem
    from ..models.summary_text import SummaryText
    from ..models.web_search_info import WebSearchInfo


T = TypeVar("T", bound="DeltaExtra")


@_attrs_define
class DeltaExtra:
    summary_title: SummaryText | Unset = UNSET
    """ Accumulating list of reasoning summary paragraphs (each event repeats the earlier ones). """
    summary_thought: SummaryText | Unset = UNSET
    """ Accumulating list of reasoning summary paragraphs (each event repeats the earlier ones). """
    web_search_info: list[WebSearchInfo] | Unset = UNSET
    image_list: list[DeltaExtraImageListItem] | Unset = UNSET
    output_image_hw: list[list[int]] | Unset = UNSET
    display_position: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        summary_title: dict[str, Any] | Unset = UNSET
        if not isinstance(self.summary_title, Unset):
            summary_title = self.summary_title.to_dict()

        summary_thought: dict[str, Any] | Unset = UNSET
        if not isinstance(self.summary_thought, Unset):
            summary_thought = self.summary_thought.to_dict()

        web_search_info: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.web_search_info, Unset):
            web_search_info = []
            for web_search_info_item_data in self.web_search_info:
                web_search_info_item = web_search_info_item_data.to_dict()
                web_search_info.append(web_search_info_item)

        image_list: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.image_list, Unset):
            image_list = []
            for image_list_item_data in self.image_list:
                image_list_item = image_list_item_data.to_dict()
                image_list.append(image_list_item)

        output_image_hw: list[list[int]] | Unset = UNSET
        if not isinstance(self.output_image_hw, Unset):
            output_image_hw = []
            for output_image_hw_item_data in self.output_image_hw:
                output_image_hw_item = output_image_hw_item_data

                output_image_hw.append(output_image_hw_item)

        display_position = self.display_position

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if summary_title is not UNSET:
            field_dict["summary_title"] = summary_title
        if summary_thought is not UNSET:
            field_dict["summary_thought"] = summary_thought
        if web_search_info is not UNSET:
            field_dict["web_search_info"] = web_search_info
        if image_list is not UNSET:
            field_dict["image_list"] = image_list
        if output_image_hw is not UNSET:
            field_dict["output_image_hw"] = output_image_hw
        if display_position is not UNSET:
            field_dict["display_position"] = display_position

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delta_extra_image_list_item import DeltaExtraImageListItem  # noqa: PLC0415
        from ..models.summary_text import SummaryText  # noqa: PLC0415
        from ..models.web_search_info import WebSearchInfo  # noqa: PLC0415

        d = dict(src_dict)
        _summary_title = d.pop("summary_title", UNSET)
        summary_title: SummaryText | Unset
        if isinstance(_summary_title, Unset):
            summary_title = UNSET
        else:
            summary_title = SummaryText.from_dict(_summary_title)

        _summary_thought = d.pop("summary_thought", UNSET)
        summary_thought: SummaryText | Unset
        if isinstance(_summary_thought, Unset):
            summary_thought = UNSET
        else:
            summary_thought = SummaryText.from_dict(_summary_thought)

        _web_search_info = d.pop("web_search_info", UNSET)
        web_search_info: list[WebSearchInfo] | Unset = UNSET
        if _web_search_info is not UNSET:
            web_search_info = []
            for web_search_info_item_data in _web_search_info:
                web_search_info_item = WebSearchInfo.from_dict(web_search_info_item_data)

                web_search_info.append(web_search_info_item)

        _image_list = d.pop("image_list", UNSET)
        image_list: list[DeltaExtraImageListItem] | Unset = UNSET
        if _image_list is not UNSET:
            image_list = []
            for image_list_item_data in _image_list:
                image_list_item = DeltaExtraImageListItem.from_dict(image_list_item_data)

                image_list.append(image_list_item)

        _output_image_hw = d.pop("output_image_hw", UNSET)
        output_image_hw: list[list[int]] | Unset = UNSET
        if _output_image_hw is not UNSET:
            output_image_hw = []
            for output_image_hw_item_data in _output_image_hw:
                output_image_hw_item = cast(list[int], output_image_hw_item_data)

                output_image_hw.append(output_image_hw_item)

        display_position = d.pop("display_position", UNSET)

        delta_extra = cls(
            summary_title=summary_title,
            summary_thought=summary_thought,
            web_search_info=web_search_info,
            image_list=image_list,
            output_image_hw=output_image_hw,
            display_position=display_position,
        )

        delta_extra.additional_properties = d
        return delta_extra

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
