"""The generated package is request builders, response parsers and models: public, pure, one query rule.

Every operation of the spec has a public ``build_request`` whose method and path are the spec's, and
a public ``parse_response`` exactly where the spec gives the success answer a JSON body; nothing in
the package sends a request (no HTTP client is generated, no HTTP library imported).
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from qwen_api_client import models
from qwen_api_client.api.chats import create_chat, delete_chat, get_chat, list_chats
from qwen_api_client.api.completions import create_completion
from qwen_api_client.api.files import get_sts_token_v1
from qwen_api_client.types import UNSET, Request, encode_query

from tests.conftest import load_fixture

PACKAGE = Path(__file__).resolve().parents[2] / "generated" / "qwen_api_client"
SPEC = json.loads((PACKAGE / "openapi.json").read_text(encoding="utf-8"))
METHODS = ("get", "put", "post", "delete", "patch")


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation_id).lower()


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method in item:
                found.append((path, method, item[method]))
    return found


def _module(operation: dict[str, Any]) -> ModuleType:
    tag = operation["tags"][0]
    return importlib.import_module(f"qwen_api_client.api.{tag}.{_snake(operation['operationId'])}")


def _has_json_success(operation: dict[str, Any]) -> bool:
    """The generator reads the first media type of a response: is it JSON for the first 2xx answer?

    (``createCompletion`` lists ``text/event-stream`` first and JSON error bodies second: no parser.)
    """
    for status, response in operation.get("responses", {}).items():
        if status.startswith("2"):
            if "$ref" in response:
                response = SPEC["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            return next(iter(response.get("content", {})), None) == "application/json"
    return False


OPERATIONS = _operations()


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=[op["operationId"] for *_, op in OPERATIONS])
def test_every_operation_has_a_public_builder_and_a_parser_where_the_answer_is_json(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    module = _module(operation)
    assert callable(module.build_request)
    assert not hasattr(module, "_get_kwargs") and not hasattr(module, "sync_detailed")
    assert hasattr(module, "parse_response") == _has_json_success(operation)
    source = (PACKAGE / "api" / operation["tags"][0] / f"{_snake(operation['operationId'])}.py").read_text()
    assert f'method="{method.upper()}"' in source and f'"{path}"' in source


def test_builders_fill_path_query_headers_and_body() -> None:
    request = get_chat.build_request("a b/c")
    assert request == Request(method="GET", path="/api/v2/chats/a%20b%2Fc", query="", headers={"source": "web"})
    assert request.target == "/api/v2/chats/a%20b%2Fc"

    listing = list_chats.build_request(page=2, exclude_project=True)
    assert listing.target == "/api/v2/chats/?page=2&exclude_project=true"  # as recorded: lower-case boolean

    body = models.NewChatRequest.from_dict(load_fixture("chats_new_2026-09-14_request.json"))
    created = create_chat.build_request(body=body, x_request_id="rid")
    assert created.method == "POST" and created.path == "/api/v2/chats/new" and created.query == ""
    assert created.headers == {"source": "web", "X-Request-Id": "rid", "Content-Type": "application/json"}
    assert created.json == load_fixture("chats_new_2026-09-14_request.json")

    turn = models.ChatCompletionRequest.from_dict(load_fixture("t2t_fast_answer_turn1_request.json"))
    completion = create_completion.build_request(body=turn, chat_id="004c84c5")
    assert completion.target == "/api/v2/chat/completions?chat_id=004c84c5"
    assert completion.headers["X-Accel-Buffering"] == "no"
    assert delete_chat.build_request("c1").method == "DELETE"


def test_the_query_rule() -> None:
    assert encode_query({"a": True, "b": False, "c": None, "d": UNSET, "e": 3, "f": 1.5}) == "a=true&b=false&e=3&f=1.5"
    assert encode_query({"q": "x y&z=é"}) == "q=x+y%26z%3D%C3%A9"
    assert encode_query({}) == ""
    with pytest.raises(TypeError, match="'tags' cannot be list"):
        encode_query({"tags": ["a"]})


def test_parsers_read_the_recorded_answers() -> None:
    listing = list_chats.parse_response(load_fixture("chats_list_page1_response.json"))
    assert listing.success and listing.data and listing.data[0].id
    flat = get_sts_token_v1.parse_response(load_fixture("getststoken_audio_response.json")["data"])
    enveloped = get_sts_token_v1.parse_response(load_fixture("getststoken_audio_response.json"))
    assert isinstance(flat, models.StsToken) and isinstance(enveloped, models.StsTokenEnvelope)
    assert enveloped.data == flat
    with pytest.raises(KeyError):
        get_chat.parse_response({"data": {}})


def test_the_package_sends_nothing() -> None:
    assert not (PACKAGE / "client.py").exists() and not (PACKAGE / "errors.py").exists()
    for module in PACKAGE.rglob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(name.split(".")[0] in ("httpx", "requests", "urllib3") for name in names), module
