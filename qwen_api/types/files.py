"""The result of an upload, ready to be attached to a message."""

from __future__ import annotations

import time
from typing import Any

import attrs

from ._serialize import Serializable
from .params import JSONObject

__all__ = ["FileResult"]


@attrs.define(slots=True)
class FileResult(Serializable):
    """An uploaded file: put ``file_url`` in an ``ImageBlock`` or pass the result in ``files=``."""

    file_url: str = attrs.field(repr=lambda url: repr(url.split("?", 1)[0] + ("?<signed>" if "?" in url else "")))
    """The (presigned) URL the service reads the file from; its query carries credentials, so reprs hide it."""
    file_id: str
    file_path: str = ""
    filename: str = ""
    size: int = 0
    mimetype: str = "application/octet-stream"
    file_type: str = "file"
    """The service's upload category: ``image``, ``video``, ``audio`` or ``file``."""
    file_class: str = "document"
    user_id: str | None = None
    parse_status: str | None = None
    created_at: int = attrs.field(factory=lambda: int(time.time() * 1000))

    @property
    def image_mimetype(self) -> str:
        """Name kept from the older SDK."""
        return self.mimetype

    def to_file_ref(self) -> JSONObject:
        """The ``messages[0].files[]`` entry in the shape the web client sends (wire-api.md §6)."""
        meta: dict[str, Any] = {"name": self.filename, "size": self.size, "content_type": self.mimetype}
        if self.parse_status:
            meta["parse_meta"] = {"parse_status": self.parse_status}
        show_type = "image" if self.file_type == "image" else self.file_type
        return {
            "type": self.file_type,
            "file": {
                "created_at": self.created_at,
                "data": {},
                "filename": self.filename,
                "hash": None,
                "id": self.file_id,
                "user_id": self.user_id or "",
                "meta": meta,
                "update_at": self.created_at,
            },
            "id": self.file_id,
            "url": self.file_url,
            "name": self.filename,
            "collection_name": "",
            "progress": 0,
            "status": "uploaded",
            "greenNet": "success",
            "size": self.size,
            "error": "",
            "itemId": self.file_id,
            "file_type": self.mimetype,
            "showType": show_type,
            "file_class": self.file_class,
            "uploadTaskId": self.file_id,
        }
