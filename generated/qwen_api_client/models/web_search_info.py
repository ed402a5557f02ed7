from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebSearchInfo")


@_attrs_define
class WebSearchInfo:
    url: str | Unset = UNSET
    title: str | Unset = UNSET
    snippet: str | Unset = UNSET
    hostname: str | Unset = UNSET
    hostlogo: str | Unset = UNSET
    date: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        title = self.title

        snippet = self.snippet

        hostname = self.hostname

        hostlogo = self.hostlogo

        date = self.date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if title is not UNSET:
            field_dict["title"] = title
        if snippet is not UNSET:
            field_dict["snippet"] = snippet
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if hostlogo is not UNSET:
            field_dict["hostlogo"] = hostlogo
        if date is not UNSET:
            field_dict["date"] = date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url", UNSET)

        title = d.pop("title", UNSET)

        snippet = d.pop("snippet", UNSET)

        hostname = d.pop("hostname", UNSET)

        hostlogo = d.pop("hostlogo", UNSET)

        date = d.pop("date", UNSET)

        web_search_info = cls(
            url=url,
            title=title,
            snippet=snippet,
            hostname=hostname,
            hostlogo=hostlogo,
            date=date,
        )

        web_search_info.additional_properties = d
        return web_search_info

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
