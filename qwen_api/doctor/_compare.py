"""Compare one JSON value with one schema of the spec: a pure walk that lists every difference.

jsonschema would say *whether* a value conforms, but the spec's schemas are deliberately open
(unknown properties are allowed, enums are ``x-known-values`` lists), so a conforming answer can
still have drifted. This walk reports what matters for keeping the spec current: a property the
schema does not declare (``new_field``), a required one that is gone (``missing_field``), another
JSON type (``type_changed``) and a value outside ``enum``/``const``/``x-known-values``
(``new_value``, or ``new_phase`` for a stream phase). Objects that declare no properties (free-form
maps such as a chat's message tree) are not searched for new fields.

Paths fold list indexes to ``[]`` and map keys to ``*``, so a difference seen in every element is
reported once (see :func:`qwen_api.doctor._findings.merge_findings`).

A property marked ``x-expected: true`` is optional in one value but not in a whole answer: the walk
records in ``presence`` whether it was there, and the exchange's check reports it as
``vanished_field`` when no value of the answer (no event of a stream) had it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ._spec import Spec

__all__ = ["Diff", "Presence", "compare", "compare_best", "json_type", "merge_presence"]

Presence = dict[str, bool]
"""Path of an ``x-expected`` property -> whether any value compared so far carried it."""


@attrs.frozen
class Diff:
    """One difference, before it is tied to an exchange (see :class:`~._findings.Finding`)."""

    kind: str
    path: str
    message: str
    schema: str | None = None


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, Sequence):
        return "array"
    return type(value).__name__


def _fits(value: object, types: Sequence[str]) -> bool:
    actual = json_type(value)
    if actual in types:
        return True
    if actual == "integer" and "number" in types:
        return True
    return actual == "number" and "integer" in types and isinstance(value, float) and value.is_integer()


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _label(path: str) -> str:
    return path or "(the whole body)"


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def compare(
    spec: Spec, value: Any, schema: Any, path: str = "", ref: str | None = None, presence: Presence | None = None
) -> list[Diff]:
    """Every difference between ``value`` and ``schema`` (a spec node, ``$ref``\\ s followed); the
    ``x-expected`` properties met on the way go into ``presence``."""
    while isinstance(schema, Mapping) and "$ref" in schema:
        ref = str(schema["$ref"])
        schema = spec.resolve({"$ref": ref})
    if not isinstance(schema, Mapping) or not schema:
        return []  # true / {}: anything goes
    for combinator in ("oneOf", "anyOf"):
        if isinstance(schema.get(combinator), list):
            return _best_branch(spec, value, schema[combinator], path, ref, presence)
    diffs: list[Diff] = []
    if isinstance(schema.get("allOf"), list):
        for part in schema["allOf"]:
            diffs.extend(compare(spec, value, part, path, ref, presence))
    types = _types(schema)
    if types and not _fits(value, types):
        expected = " or ".join(types)
        return [*diffs, Diff("type_changed", path, f"{_label(path)}: expected {expected}, got {json_type(value)}", ref)]
    diffs.extend(_values(schema, value, path, ref))
    if isinstance(value, Mapping):
        diffs.extend(_object(spec, schema, value, path, ref, presence))
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for item in value:
            diffs.extend(compare(spec, item, schema["items"], path + "[]", ref, presence))
    return diffs


def compare_best(spec: Spec, value: Any, branches: list[Any], presence: Presence | None = None) -> list[Diff]:
    """The differences from whichever of ``branches`` fits ``value`` best (only its ``x-expected``
    properties go into ``presence``), as a ``oneOf`` in the spec is compared."""
    return _best_branch(spec, value, branches, "", None, presence)


def merge_presence(into: Presence, other: Presence) -> None:
    """``other``'s sightings added to ``into`` (a property is present once any value had it)."""
    for where, present in other.items():
        into[where] = into.get(where, False) or present


def _values(schema: Mapping[str, Any], value: Any, path: str, ref: str | None) -> list[Diff]:
    if "const" in schema and value != schema["const"]:
        return [Diff("new_value", path, f"{_label(path)}: value other than the constant {schema['const']!r}", ref)]
    known = schema.get("enum") or schema.get("x-known-values")
    if isinstance(known, list) and isinstance(value, str | int) and not isinstance(value, bool) and value not in known:
        kind = "new_phase" if path.rsplit(".", 1)[-1] == "phase" else "new_value"
        what = "stream phase" if kind == "new_phase" else "value"
        listed = ", ".join(str(v) for v in known)
        return [Diff(kind, path, f"{_label(path)}: new {what} {value!r} (known: {listed})", ref)]
    return []


def _object(
    spec: Spec,
    schema: Mapping[str, Any],
    value: Mapping[str, Any],
    path: str,
    ref: str | None,
    presence: Presence | None,
) -> list[Diff]:
    diffs: list[Diff] = []
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for name in schema.get("required", ()):
        if name not in value:
            where = _join(path, name)
            diffs.append(Diff("missing_field", where, f"{where}: required field is missing", ref))
    if presence is not None:
        for name, declared in properties.items():
            if isinstance(declared, Mapping) and declared.get("x-expected") is True:
                where = _join(path, str(name))
                presence[where] = presence.get(where, False) or name in value
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        key = str(key)
        if key in properties:
            diffs.extend(compare(spec, item, properties[key], _join(path, key), ref, presence))
        elif isinstance(extra, Mapping) and extra:
            diffs.extend(compare(spec, item, extra, _join(path, "*"), ref, presence))
        elif properties:
            diffs.append(Diff("new_field", _join(path, key), f"{_join(path, key)}: new field ({json_type(item)})", ref))
    return diffs


def _best_branch(
    spec: Spec, value: Any, branches: list[Any], path: str, ref: str | None, presence: Presence | None
) -> list[Diff]:
    """The alternative that fits best; when every one fails on the type, one ``type_changed``.
    Only the chosen alternative's ``x-expected`` properties count in ``presence``."""
    if not branches:
        return []
    seen = [Presence() for _ in branches]
    results = [compare(spec, value, branch, path, ref, seen[i]) for i, branch in enumerate(branches)]

    def wrong_type(diffs: list[Diff]) -> bool:
        return any(d.kind == "type_changed" and d.path == path for d in diffs)

    # a branch of the value's own type explains the value better than any other, however many diffs
    chosen = min(range(len(results)), key=lambda i: (wrong_type(results[i]), len(results[i])))
    best = results[chosen]
    if presence is not None:
        merge_presence(presence, seen[chosen])
    if not best:
        return []
    if all(len(r) == 1 and r[0].kind == "type_changed" and r[0].path == path for r in results):
        expected: list[str] = []
        for branch in branches:
            resolved = spec.resolve(branch)
            for name in _types(resolved) if isinstance(resolved, Mapping) else []:
                if name not in expected:
                    expected.append(name)
        wanted = " or ".join(expected) or "another type"
        return [Diff("type_changed", path, f"{_label(path)}: expected {wanted}, got {json_type(value)}", ref)]
    return best
