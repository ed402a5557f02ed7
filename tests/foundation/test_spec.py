"""The hand-maintained spec is valid OpenAPI 3.1 and describes every operation the SDK relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).resolve().parents[2] / "spec" / "qwen-chat.openapi.yaml"

REQUIRED_OPERATIONS = {
    ("post", "/api/v2/chats/new"): "createChat",
    ("get", "/api/v2/chats/"): "listChats",
    ("get", "/api/v2/chats/{chat_id}"): "getChat",
    ("delete", "/api/v2/chats/{chat_id}"): "deleteChat",
    ("post", "/api/v2/chat/completions/stop"): "stopCompletion",
    ("post", "/api/v2/chat/completions"): "createCompletion",
    ("get", "/api/models"): "listModels",
    ("get", "/api/v2/models/"): "listModelsV2",
    ("post", "/api/v2/files/getstsToken"): "getStsToken",
    ("post", "/api/v1/files/getstsToken"): "getStsTokenV1",
    ("post", "/api/v2/files/parse"): "parseFile",
    ("post", "/api/v2/files/parse/status"): "getParseStatus",
    ("get", "/api/v2/task/status/{task_id}"): "getTaskStatus",
    ("get", "/api/v1/auths/"): "getSessionUser",
    ("post", "/api/chat/completions"): "legacyCompletion",
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def test_spec_is_valid_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


@pytest.mark.parametrize(("method", "path"), sorted(REQUIRED_OPERATIONS))
def test_operation_is_described(spec: dict[str, Any], method: str, path: str) -> None:
    operation = spec["paths"][path][method]
    assert operation["operationId"] == REQUIRED_OPERATIONS[(method, path)]
    assert operation["tags"], "every operation has a tag"
    assert len(operation["description"]) > 40, "the description says where the shape comes from"


def test_legacy_v1_is_deprecated(spec: dict[str, Any]) -> None:
    assert spec["paths"]["/api/chat/completions"]["post"]["deprecated"] is True


def test_open_value_sets_are_strings_not_enums(spec: dict[str, Any]) -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            assert "enum" not in node, f"closed enum found: {node}"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec["components"]["schemas"])
    schemas = spec["components"]["schemas"]
    assert schemas["ChatType"]["type"] == "string"
    assert "t2i" in schemas["ChatType"]["x-known-values"]
    assert "thinking_summary" in schemas["Delta"]["properties"]["phase"]["x-known-values"]
    assert "RateLimited" in schemas["ErrorCode"]["x-known-values"]


def test_security_is_bearer_and_token_cookie(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerJwt"] == {**schemes["bearerJwt"], "type": "http", "scheme": "bearer"}
    assert schemes["cookieToken"]["in"] == "cookie"
    assert schemes["cookieToken"]["name"] == "token"
    assert spec["security"] == [{"bearerJwt": [], "cookieToken": []}]


def test_completion_documents_stream_and_json_bodies(spec: dict[str, Any]) -> None:
    content = spec["paths"]["/api/v2/chat/completions"]["post"]["responses"]["200"]["content"]
    assert content["text/event-stream"]["schema"]["$ref"].endswith("/StreamEvent")
    variants = {ref["$ref"].rsplit("/", 1)[1] for ref in content["application/json"]["schema"]["anyOf"]}
    assert variants == {"VideoTaskEnvelope", "ErrorEnvelope", "WafBlock"}
    headers = spec["paths"]["/api/v2/chat/completions"]["post"]["responses"]["200"]["headers"]
    assert "x-actual-status-code" in headers
