"""``to_dict()`` / ``to_json()`` for every public type (the openai-python names)."""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Mapping
from typing import cast

import attrs

from .params import JSONObject, JSONValue

__all__ = ["Serializable"]


def _plain(value: object, exclude_none: bool) -> JSONValue:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value, exclude_none)
    if attrs.has(type(value)):
        return _fields(value, exclude_none)
    if isinstance(value, Mapping):
        return {str(key): _plain(item, exclude_none) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, exclude_none) for item in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def _fields(instance: object, exclude_none: bool) -> JSONObject:
    result: JSONObject = {}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(instance))):
        if field.name == "raw":
            continue
        value = getattr(instance, field.name)
        if value is None and exclude_none:
            continue
        result[field.name] = _plain(value, exclude_none)
    return result


class Serializable:
    """Adds :meth:`to_dict` and :meth:`to_json` to an attrs class."""

    __slots__ = ()

    def to_dict(self, *, exclude_none: bool = False) -> JSONObject:
        """The fields as plain JSON-ready data (nested objects too; bytes as base64).

        ``raw`` (the wire object a response was built from) is left out; read it directly when
        you need a field the SDK does not model. With ``exclude_none`` fields set to None are
        left out.
        """
        return _fields(self, exclude_none)

    def to_json(self, *, indent: int | None = 2, exclude_none: bool = False) -> str:
        """:meth:`to_dict` as a JSON string (``indent=None`` for one line)."""
        return json.dumps(self.to_dict(exclude_none=exclude_none), indent=indent, ensure_ascii=False)
