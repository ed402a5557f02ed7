"""Every operation of the spec shows its shapes by example, and every example says where it comes from.

``x-example-source`` is ``recorded: <fixture>`` (the recording itself), ``recorded excerpt: <fixture>``
(a part of it: fewer keys or list items, nothing added or changed), or ``synthesized: <what from>``.
Recorded ones are checked against tests/fixtures/qwen-wire; all JSON ones against their own schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import FIXTURES

SPEC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "spec" / "qwen-chat.openapi.yaml").read_text(encoding="utf-8")
)
METHODS = ("get", "post", "put", "delete", "patch")


def media_types() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, content type, media type object) of every request body and success/error response."""
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            name = operation["operationId"]
            for content_type, media in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{name} request", content_type, media
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    continue
                for content_type, media in response.get("content", {}).items():
                    yield f"{name} {status}", content_type, media
    for name, response in SPEC["components"]["responses"].items():
        for content_type, media in response.get("content", {}).items():
            yield f"components.responses.{name}", content_type, media


def examples() -> Iterator[tuple[str, str, dict[str, Any], Any, str]]:
    """(where, content type, schema, example value, source) of every example in the spec."""
    for where, content_type, media in media_types():
        if "example" in media:
            yield where, content_type, media["schema"], media["example"], media.get("x-example-source", "")
        for key, example in media.get("examples", {}).items():
            yield (
                f"{where} [{key}]",
                content_type,
                media["schema"],
                example["value"],
                example.get("x-example-source", ""),
            )


EXAMPLES = list(examples())


def is_excerpt(part: Any, whole: Any) -> bool:
    """``part`` is ``whole`` with keys or list items left out, and nothing added or changed."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(k in whole and is_excerpt(v, whole[k]) for k, v in part.items())
    if isinstance(part, list):
        return isinstance(whole, list) and len(part) <= len(whole) and all(map(is_excerpt, part, whole))
    return bool(part == whole)


def sse_events(text: str) -> list[Any]:
    return [json.loads(line[5:]) for line in text.splitlines() if line.startswith("data:")]


def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]})


@pytest.mark.parametrize(("where", "content_type", "media"), list(media_types()), ids=lambda v: str(v)[:60])
def test_every_body_has_an_example(where: str, content_type: str, media: dict[str, Any]) -> None:
    assert "example" in media or media.get("examples"), f"{where} ({content_type}) has no example"


@pytest.mark.parametrize(("where", "content_type", "schema", "value", "source"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_example_names_its_source_and_fits_its_schema(
    where: str, content_type: str, schema: dict[str, Any], value: Any, source: str
) -> None:
    kind, _, origin = source.partition(": ")
    assert kind in ("recorded", "recorded excerpt", "synthesized") and origin.strip(), f"{where}: {source!r}"
    if kind == "recorded":
        fixture = FIXTURES / origin
        if fixture.suffix == ".sse":
            assert value == fixture.read_text(encoding="utf-8")
        else:
            assert value == json.loads(fixture.read_text(encoding="utf-8"))
    elif kind == "recorded excerpt":
        fixture = FIXTURES / origin
        if fixture.suffix == ".sse":
            recorded = sse_events(fixture.read_text(encoding="utf-8"))
            assert all(event in recorded for event in sse_events(value)), where
        else:
            assert is_excerpt(value, json.loads(fixture.read_text(encoding="utf-8"))), where
    if content_type == "text/event-stream":
        check = validator(schema)
        for event in sse_events(value):
            check.validate(event)
    else:
        validator(schema).validate(value)
