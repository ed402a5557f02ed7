from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StsToken")


@_attrs_define
class StsToken:
    access_key_id: str
    access_key_secret: str
    security_token: str
    file_path: str
    """ The object key. """
    bucketname: str
    endpoint: str
    file_url: str | Unset = UNSET
    """ Presigned GET URL (V4 """
    file_id: str | Unset = UNSET
    region: str | Unset = UNSET
    expiration: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_key_id = self.access_key_id

        access_key_secret = self.access_key_secret

        security_token = self.security_token

        file_path = self.file_path

        bucketname = self.bucketname

        endpoint = self.endpoint

        file_url = self.file_url

        file_id = self.file_id

        region = self.region

        expiration = self.expiration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_key_id": access_key_id,
                "access_key_secret": access_key_secret,
                "security_token": security_token,
                "file_path": file_path,
                "bucketname": bucketname,
                "endpoint": endpoint,
            }
        )
        if file_url is not UNSET:
            field_dict["file_url"] = file_url
        if file_id is not UNSET:
            field_dict["file_id"] = file_id
        if region is not UNSET:
            field_dict["region"] = region
        if expiration is not UNSET:
            field_dict["expiration"] = expiration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access_key_id = d.pop("access_key_id")

        access_key_secret = d.pop("access_key_secret")

        security_token = d.pop("security_token")

        file_path = d.pop("file_path")

        bucketname = d.pop("bucketname")

        endpoint = d.pop("endpoint")

        file_url = d.pop("file_url", UNSET)

        file_id = d.pop("file_id", UNSET)

        region = d.pop("region", UNSET)

        expiration = d.pop("expiration", UNSET)

        sts_token = cls(
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            security_token=security_token,
            file_path=file_path,
            bucketname=bucketname,
            endpoint=endpoint,
            file_url=file_url,
            file_id=file_id,
            region=region,
            expiration=expiration,
        )

        sts_token.additional_properties = d
        return sts_token

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
