"""JSON Schema checks with ``jsonschema``, imported on first use (``import qwen_api`` stays cheap).

Messages are written for a model to read in a repair round: where in the instance, what failed.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

__all__ = ["check_schema", "validate"]

_MAX_ERRORS = 5


def _jsonschema() -> Any:
    return importlib.import_module("jsonschema")


def _validator_class(schema: Mapping[str, Any]) -> Any:
    module = _jsonschema()
    return module.validators.validator_for(schema, default=module.Draft202012Validator)


def check_schema(schema: Mapping[str, Any]) -> str | None:
    """``None`` when ``schema`` is a usable JSON Schema, else why not."""
    module = _jsonschema()
    try:
        _validator_class(schema).check_schema(schema)
    except module.SchemaError as exc:
        return _where(exc.absolute_path) + str(exc.message)
    return None


def validate(instance: Any, schema: Mapping[str, Any] | None) -> str | None:
    """``None`` when ``instance`` satisfies ``schema`` (or there is none), else the errors, one per line."""
    if not schema:
        return None
    validator = _validator_class(schema)(schema)
    errors = sorted(validator.iter_errors(instance), key=lambda error: list(error.absolute_path))
    if not errors:
        return None
    lines = [_where(error.absolute_path) + error.message for error in errors[:_MAX_ERRORS]]
    if len(errors) > _MAX_ERRORS:
        lines.append(f"... and {len(errors) - _MAX_ERRORS} more")
    return "\n".join(lines)


def _where(path: Any) -> str:
    parts = list(path)
    if not parts:
        return "at the top level: "
    return "at " + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in parts).lstrip(".") + ": "
