"""Requests built from the generated builders have the recorded shape: method, path, query, headers, body."""

from __future__ import annotations

import json
from typing import Any, get_args

import httpx
import pytest
from pytest_httpx import HTTPXMock

from qwen_api import Qwen
from qwen_api._turn_options import THINKING_GEARS, TurnOptions, feature_config
from qwen_api.types import ThinkingMode
from qwen_api.types.chat import ChatMessage, ImageBlock
from tests.conftest import FIXTURES, load_fixture

BASE = "https://chat.example.test"
SSE = (FIXTURES / "t2t_fast_answer_turn1.sse").read_bytes()
NEW_CHAT = {"success": True, "request_id": "r", "data": {"id": "004c84c5-6e71-4510-ad21-f41a08bf8373"}}


def key_shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: key_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [key_shape(v) for v in value[:1]]
    return type(value).__name__ if value is not None else "null"


@pytest.fixture
def client() -> Qwen:
    return Qwen(api_key="tok-123456", cookie="cna=abc; ssxmod=def", base_url=BASE, max_retries=0)


def add_turn(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=f"{BASE}/api/v2/chats/new", json=NEW_CHAT)
    httpx_mock.add_response(
        method="POST",
        url=httpx.URL(f"{BASE}/api/v2/chat/completions", params={"chat_id": NEW_CHAT["data"]["id"]}),
        headers={"content-type": "text/event-stream; charset=utf-8"},
        content=SSE,
    )


def test_new_chat_then_completion_as_recorded(client: Qwen, httpx_mock: HTTPXMock) -> None:
    add_turn(httpx_mock)
    response = client.chat.create([ChatMessage(role="user", content="xin chào 1\n")], model="qwen3.7-plus")
    assert response.choices[0].message.content.startswith("Xin chào")
    new_chat, completion = httpx_mock.get_requests()

    new_body = json.loads(new_chat.content)
    assert key_shape(new_body) == key_shape(load_fixture("chats_new_2026-09-14_request.json"))
    assert new_body["models"] == ["qwen3.7-plus"] and new_body["chat_type"] == "t2t"

    body = json.loads(completion.content)
    recorded = load_fixture("t2t_fast_answer_turn1_request.json")
    assert key_shape(body) == key_shape(recorded)
    assert body["messages"][0]["feature_config"] == recorded["messages"][0]["feature_config"] | {"auto_search": False}
    assert body["messages"][0]["content"] == "xin chào 1\n"
    assert body["chat_id"] == body["chatId"] == completion.url.params["chat_id"]
    assert body["parent_id"] is None and body["parentId"] == ""

    headers = completion.headers
    assert headers["authorization"] == "Bearer tok-123456"
    assert headers["cookie"] == "token=tok-123456; cna=abc; ssxmod=def"
    assert headers["source"] == "web" and headers["version"] and headers["bx-v"]
    assert headers["x-accel-buffering"] == "no" and headers["accept"] == "application/json"
    assert headers["referer"] == f"{BASE}/c/{body['chat_id']}" and headers["origin"] == BASE
    assert headers["x-request-id"] and headers["timezone"].count("GMT") == 1
    assert "bx-ua" not in headers  # never invented


def test_thinking_and_search_map_to_feature_config(client: Qwen, httpx_mock: HTTPXMock) -> None:
    add_turn(httpx_mock)
    client.completion.create(model="qwen3.7-plus", prompt="hi", thinking_mode="auto", web_search=True)
    body = json.loads(httpx_mock.get_requests()[1].content)
    message = body["messages"][0]
    assert message["feature_config"] == {
        "thinking_enabled": True,
        "output_schema": "phase",
        "research_mode": "normal",
        "auto_thinking": True,
        "thinking_mode": "Auto",
        "auto_search": True,
        "thinking_format": "summary",
    }
    assert message["chat_type"] == message["sub_chat_type"] == "search"


@pytest.mark.parametrize("mode", get_args(ThinkingMode))
def test_every_public_thinking_mode_has_a_gear_on_the_wire(mode: str) -> None:
    """The public ``ThinkingMode`` names and the wire's gear names are two tables; one without the
    other would pass the type checker and fail only at the first call with the new mode."""
    config = feature_config(TurnOptions(model="m", thinking_mode=mode))  # type: ignore[arg-type]
    assert config.thinking_mode == THINKING_GEARS[mode]  # type: ignore[index]
    assert config.thinking_enabled is (mode != "fast")
    assert config.auto_thinking is (mode == "auto")
    assert set(THINKING_GEARS) == set(get_args(ThinkingMode))


def test_image_url_goes_into_files(client: Qwen, httpx_mock: HTTPXMock) -> None:
    add_turn(httpx_mock)
    message = ChatMessage(
        role="user",
        blocks=[
            {"block_type": "text", "text": "what is it?"},
            ImageBlock(url="https://cdn.example/x.png", image_mimetype="image/png"),
        ],
    )
    client.chat.create(messages=[message], model="qwen3.7-plus")
    files = json.loads(httpx_mock.get_requests()[1].content)["messages"][0]["files"]
    assert files == [
        {
            "type": "image",
            "url": "https://cdn.example/x.png",
            "name": "x.png",
            "file_type": "image/png",
            "showType": "image",
            "file_class": "vision",
            "status": "uploaded",
        }
    ]


def test_default_headers_and_passthrough_headers(httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QWEN_BX_UA", "234!ua")
    monkeypatch.setenv("QWEN_BX_UMIDTOKEN", "T2gAumid")
    client = Qwen(api_key="t-123456", base_url=BASE, default_headers={"X-Extra": "1"})
    add_turn(httpx_mock)
    client.completion.create(model="m", prompt="p")
    for request in httpx_mock.get_requests():
        assert request.headers["x-extra"] == "1"
        assert request.headers["bx-ua"] == "234!ua" and request.headers["bx-umidtoken"] == "T2gAumid"


def test_chats_and_models_builders(client: Qwen, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="GET",
        url=f"{BASE}/api/v2/chats/?page=1&exclude_project=true",
        json=load_fixture("chats_list_page1_response.json"),
    )
    httpx_mock.add_response(
        method="GET",
        url=f"{BASE}/api/v2/chats/?page=2&exclude_project=true",
        json={"success": True, "request_id": "r", "data": []},
    )
    httpx_mock.add_response(
        method="GET", url=f"{BASE}/api/v2/chats/abc", json=load_fixture("chat_detail_after_turn1.json")
    )
    httpx_mock.add_response(
        method="DELETE",
        url=f"{BASE}/api/v2/chats/abc",
        json={"success": True, "request_id": "r", "data": {"status": True}},
    )
    httpx_mock.add_response(
        method="POST",
        url=f"{BASE}/api/v2/chat/completions/stop",
        match_json={"chat_id": "abc", "response_id": "r1"},
        json={"success": True, "request_id": "r"},
    )
    httpx_mock.add_response(
        method="GET", url=f"{BASE}/api/v2/models/", json=load_fixture("models_v2_list_report_excerpt.json")
    )
    chats = list(client.chats.list())
    assert len(chats) == len(load_fixture("chats_list_page1_response.json")["data"])
    detail = client.chats.get("abc")
    assert [m.role for m in detail.messages] == ["user", "assistant"]
    assert detail.messages[1].content.startswith("Xin chào Khánh")
    assert client.chats.delete("abc") is True
    assert client.chats.stop("abc", "r1") is True
    models = client.models.list()
    assert (
        models[0].id == "qwen3.7-plus" and models[0].capabilities.thinking and models[0].max_context_length == 1000000
    )
    assert "t2i" in models[0].chat_types


def test_alias_resolves_through_the_model_list_once(client: Qwen, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        method="GET", url=f"{BASE}/api/v2/models/", json=load_fixture("models_v2_list_report_excerpt.json")
    )
    add_turn(httpx_mock)
    add_turn(httpx_mock)
    client.completion.create(model="qwen-plus-latest", prompt="a")
    client.completion.create(model="qwen-plus-latest", prompt="b")
    requests = httpx_mock.get_requests()
    assert [r.url.path for r in requests].count("/api/v2/models/") == 1
    assert json.loads(requests[2].content)["model"] == "qwen3.7-plus"
