"""Tool calling and structured output: what ``chat.create(tools=..., response_format=...)`` takes and gives.

The shapes are OpenAI's (``tools``, ``tool_choice``, ``response_format`` in; ``tool_calls`` out), so
code written for the OpenAI SDK carries over. Qwen Chat has no native tools: the SDK emulates them
with a prompt and parses the calls out of the answer (see :mod:`qwen_api.tools`). Two fields go
beyond OpenAI's shape, both ``None`` when all is well:

* ``ToolCall.error`` / ``ToolCallDelta.error``: why this call is not trustworthy (its arguments are
  not JSON, fail the tool's schema, or name an unknown tool) after the repair rounds were spent.
  ``function.arguments`` then holds what the model wrote.
* ``Message.validation_error``: why the content does not satisfy ``response_format``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NotRequired, Required, TypedDict, Union

import attrs

from ._serialize import Serializable
from .params import JSONValue

__all__ = [
    "FunctionDefinition",
    "JSONSchemaFormat",
    "NamedToolChoice",
    "NamedToolChoiceFunction",
    "ResponseFormat",
    "ResponseFormatJSONObject",
    "ResponseFormatJSONSchema",
    "ResponseFormatText",
    "ToolCall",
    "ToolCallDelta",
    "ToolCallFunction",
    "ToolCallFunctionDelta",
    "ToolChoice",
    "ToolParam",
]


# --------------------------------------------------------------------------------------------
# Request parameters (OpenAI's shapes, as TypedDicts so dict literals type-check)
# --------------------------------------------------------------------------------------------


class FunctionDefinition(TypedDict, total=False):
    """A function the model may call: its name, what it does, its parameters as JSON Schema."""

    name: Required[str]
    description: str
    parameters: Mapping[str, JSONValue]
    strict: bool | None


class ToolParam(TypedDict):
    """``{"type": "function", "function": {...}}``: one entry of ``tools=``."""

    type: Literal["function"]
    function: FunctionDefinition


class NamedToolChoiceFunction(TypedDict):
    """``{"name": ...}``: the tool a :class:`NamedToolChoice` forces, by its name in ``tools=``."""

    name: str


class NamedToolChoice(TypedDict):
    """``{"type": "function", "function": {"name": ...}}``: the model must call this tool."""

    type: Literal["function"]
    function: NamedToolChoiceFunction


ToolChoice = Union[Literal["none", "auto", "required"], NamedToolChoice]  # noqa: UP007
"""``"auto"`` (the default with tools), ``"none"``, ``"required"``, or one named function."""


class ResponseFormatText(TypedDict):
    """``{"type": "text"}``: a plain text answer (the same as no ``response_format``)."""

    type: Literal["text"]


class ResponseFormatJSONObject(TypedDict):
    """``{"type": "json_object"}``: any JSON object, decoded into ``message.parsed``."""

    type: Literal["json_object"]


class JSONSchemaFormat(TypedDict):
    """The ``json_schema`` object of a :class:`ResponseFormatJSONSchema`: the answer is checked
    against ``schema`` (and repaired by extra turns when it fails it)."""

    name: str
    """A name for the format (OpenAI's shape requires one; the SDK keeps it, the prompt does not use it)."""
    schema: NotRequired[Mapping[str, JSONValue]]
    """The JSON Schema the answer must satisfy; without it any JSON object passes."""
    description: NotRequired[str]
    """What the answer is for; the model sees it next to the schema."""
    strict: NotRequired[bool | None]
    """Accepted for OpenAI compatibility; the answer is always checked against ``schema``."""


class ResponseFormatJSONSchema(TypedDict):
    """``{"type": "json_schema", "json_schema": {...}}``: JSON that satisfies a schema, in ``message.parsed``."""

    type: Literal["json_schema"]
    json_schema: JSONSchemaFormat


ResponseFormat = Union[ResponseFormatText, ResponseFormatJSONObject, ResponseFormatJSONSchema]  # noqa: UP007
"""``response_format=``: plain text, any JSON object, or JSON that satisfies a schema (OpenAI's shapes)."""


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@attrs.define(slots=True)
class ToolCallFunction(Serializable):
    """The function a call names and its arguments as a JSON string (decode with ``json.loads``)."""

    name: str
    arguments: str


@attrs.define(slots=True)
class ToolCall(Serializable):
    """One tool call of an assistant message: ``message.tool_calls[i]``.

    ``error`` is ``None`` for a call whose arguments parsed and validated against the tool's
    schema. Otherwise it says what is wrong, after the repair round(s) failed to mend it, and
    ``function.arguments`` holds the model's text as written.
    """

    id: str
    function: ToolCallFunction
    type: Literal["function"] = "function"
    error: str | None = None

    def to_dict(self, *, exclude_none: bool = False) -> dict[str, JSONValue]:
        """The OpenAI wire form, for feeding the call back in an assistant message (``error`` is ours, left out)."""
        return {
            "id": self.id,
            "type": self.type,
            "function": {"name": self.function.name, "arguments": self.function.arguments},
        }


@attrs.define(slots=True)
class ToolCallFunctionDelta(Serializable):
    """The function of a :class:`ToolCallDelta`: its name and complete arguments as a JSON string."""

    name: str | None = None
    arguments: str | None = None


@attrs.define(slots=True)
class ToolCallDelta(Serializable):
    """A streamed tool call: ``chunk.choices[0].delta.tool_calls[i]``.

    The SDK hands each call out whole, in one delta (name and complete arguments), once its
    markup has closed and its arguments were checked; ``index`` numbers the calls of the answer.
    """

    index: int
    id: str | None = None
    type: Literal["function"] | None = "function"
    function: ToolCallFunctionDelta | None = None
    error: str | None = None

    def to_dict(self, *, exclude_none: bool = True) -> dict[str, JSONValue]:
        """The OpenAI chunk form (``choices[0].delta.tool_calls[i]``); unset fields are left out."""
        data: dict[str, JSONValue] = {"index": self.index}
        if self.id is not None:
            data["id"] = self.id
        if self.type is not None:
            data["type"] = self.type
        if self.function is not None:
            function: dict[str, JSONValue] = {"name": self.function.name, "arguments": self.function.arguments}
            data["function"] = {key: value for key, value in function.items() if value is not None}
        return data


def tool_calls_from_any(value: object) -> list[ToolCall] | None:
    """``ChatMessage.tool_calls`` accepts :class:`ToolCall` objects or OpenAI-style dicts.

    ``arguments`` may be given as a JSON string (OpenAI's form) or as an object, which is encoded.
    """
    if value is None:
        return None
    if not isinstance(value, list | tuple):
        raise TypeError(f"tool_calls must be a list, got {type(value).__name__}")
    calls: list[ToolCall] = []
    for index, item in enumerate(value):
        if isinstance(item, ToolCall):
            calls.append(item)
            continue
        if not isinstance(item, dict):
            raise TypeError(f"tool_calls[{index}] must be a ToolCall or a dict, got {type(item).__name__}")
        function = item.get("function")
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            raise ValueError(f"tool_calls[{index}] needs 'function': {{'name': ..., 'arguments': ...}}")
        arguments = function.get("arguments", "{}")
        if not isinstance(arguments, str):
            import json

            arguments = json.dumps(arguments, ensure_ascii=False)
        call_id = item.get("id")
        if call_id is not None and not isinstance(call_id, str):
            raise TypeError(f"tool_calls[{index}].id must be a string")
        calls.append(ToolCall(call_id or f"call_{index}", ToolCallFunction(function["name"], arguments)))
    return calls
