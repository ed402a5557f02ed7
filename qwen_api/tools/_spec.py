"""Check and normalise what callers pass as ``tools``, ``tool_choice`` and ``response_format``.

Every shape error becomes a clear ``TypeError``/``ValueError`` before anything is sent. The
results are small frozen classes the prompt renderer, the parser and the reviewer share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeGuard

import attrs

from ._validate import check_schema

__all__ = [
    "TOOL_NAME_RULE",
    "ChoiceSpec",
    "FormatSpec",
    "ToolSet",
    "ToolSpec",
    "is_tool_name",
    "parse_response_format",
    "parse_tool_choice",
]

_NAME = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")
TOOL_NAME_RULE = "1-128 letters, digits, '_', '-', '.' or ':'"
"""What a tool name may be (said in the error for one that is not)."""


def is_tool_name(name: object) -> TypeGuard[str]:
    """Whether ``name`` is a valid tool name (see :data:`TOOL_NAME_RULE`)."""
    return isinstance(name, str) and _NAME.match(name) is not None


@attrs.frozen
class ToolSpec:
    """One function tool: its name, description and JSON Schema of its arguments."""

    name: str
    description: str = ""
    parameters: Mapping[str, Any] | None = None


@attrs.frozen
class ToolSet:
    """The tools of one request, by name (order kept for the prompt)."""

    tools: tuple[ToolSpec, ...] = ()

    @classmethod
    def from_openai(cls, tools: object) -> ToolSet:
        """Accept OpenAI-style ``[{"type": "function", "function": {...}}]`` (a bare function dict too)."""
        if tools is None:
            return cls()
        if isinstance(tools, Mapping | str | bytes) or not isinstance(tools, Sequence):
            raise TypeError(f"tools must be a list of tool definitions, got {type(tools).__name__}")
        specs: list[ToolSpec] = []
        seen: set[str] = set()
        for index, item in enumerate(tools):
            where = f"tools[{index}]"
            if not isinstance(item, Mapping):
                raise TypeError(f"{where} must be a dict, got {type(item).__name__}")
            kind = item.get("type", "function")
            if kind != "function":
                raise ValueError(f"{where}.type must be 'function' (the only kind Qwen Chat can emulate), got {kind!r}")
            function = item.get("function", item if "name" in item else None)
            if not isinstance(function, Mapping):
                raise ValueError(f"{where} needs a 'function' object with a 'name'")
            spec = _tool_spec(function, where)
            if spec.name in seen:
                raise ValueError(f"{where}: the tool name {spec.name!r} is used twice")
            seen.add(spec.name)
            specs.append(spec)
        return cls(tuple(specs))

    def __bool__(self) -> bool:
        return bool(self.tools)

    @property
    def names(self) -> list[str]:
        """The tools' names, in the request's order."""
        return [tool.name for tool in self.tools]

    def get(self, name: str) -> ToolSpec | None:
        """The tool called ``name``, or None when the request has no such tool."""
        for tool in self.tools:
            if tool.name == name:
                return tool
        return None


def _tool_spec(function: Mapping[str, Any], where: str) -> ToolSpec:
    name = function.get("name")
    if not is_tool_name(name):
        raise ValueError(f"{where}.function.name must be {TOOL_NAME_RULE}, got {name!r}")
    description = function.get("description") or ""
    if not isinstance(description, str):
        raise TypeError(f"{where}.function.description must be a string")
    parameters = function.get("parameters")
    if parameters is not None:
        if not isinstance(parameters, Mapping):
            raise TypeError(f"{where}.function.parameters must be a JSON Schema object")
        problem = check_schema(parameters)
        if problem is not None:
            raise ValueError(f"{where}.function.parameters is not a valid JSON Schema: {problem}")
    return ToolSpec(name, description.strip(), parameters)


@attrs.frozen
class ChoiceSpec:
    """``tool_choice`` normalised: ``mode`` and, for ``"function"``, the tool's ``name``."""

    mode: Literal["none", "auto", "required", "function"] = "auto"
    name: str | None = None


def parse_tool_choice(value: object, tools: ToolSet) -> ChoiceSpec:
    """Normalise ``tool_choice`` (``None`` means ``"auto"``); a named tool must be one of ``tools``.

    Raises:
        ValueError: any other value, or a name that is not among ``tools``.
    """
    if value is None:
        return ChoiceSpec("auto")
    if value == "none" or value == "auto" or value == "required":
        return ChoiceSpec(value)
    if isinstance(value, Mapping):
        function = value.get("function")
        name = function.get("name") if isinstance(function, Mapping) else None
        if value.get("type") == "function" and isinstance(name, str):
            if tools.get(name) is None:
                raise ValueError(f"tool_choice names {name!r}, which is not one of tools: {tools.names}")
            return ChoiceSpec("function", name)
    raise ValueError(
        "tool_choice must be 'none', 'auto', 'required' or {'type': 'function', 'function': {'name': ...}}, "
        f"got {value!r}"
    )


@attrs.frozen
class FormatSpec:
    """``response_format`` normalised: JSON wanted, and the schema it must validate against (if any)."""

    kind: Literal["json_object", "json_schema"]
    name: str | None = None
    schema: Mapping[str, Any] | None = None
    description: str = ""


def parse_response_format(value: object) -> FormatSpec | None:
    """``None`` for no format or ``{"type": "text"}``."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"response_format must be a dict, got {type(value).__name__}")
    kind = value.get("type")
    if kind == "text":
        return None
    if kind == "json_object":
        return FormatSpec("json_object")
    if kind == "json_schema":
        spec = value.get("json_schema")
        if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
            raise ValueError("response_format json_schema needs 'json_schema': {'name': ..., 'schema': {...}}")
        schema = spec.get("schema")
        if schema is not None:
            if not isinstance(schema, Mapping):
                raise TypeError("response_format json_schema.schema must be a JSON Schema object")
            problem = check_schema(schema)
            if problem is not None:
                raise ValueError(f"response_format json_schema.schema is not a valid JSON Schema: {problem}")
        description = spec.get("description") or ""
        return FormatSpec("json_schema", spec["name"], schema, description if isinstance(description, str) else "")
    raise ValueError(f"response_format.type must be 'text', 'json_object' or 'json_schema', got {kind!r}")
