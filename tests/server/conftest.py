"""Helpers for the local-server tests: an authenticated client, request bodies, SSE parsing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from qwen_api.testing import RunningServer
from tests.conftest import load_fixture

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TIMEOUT = httpx.Timeout(5.0)


@pytest.fixture
def client(qwen_server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=qwen_server.url, headers=AUTH, timeout=TIMEOUT) as http:
        yield http


def new_chat(http: httpx.Client, *, chat_type: str = "t2t", model: str = "qwen3.7-plus") -> str:
    response = http.post(
        "/api/v2/chats/new",
        json={
            "chatId": "",
            "models": [model],
            "project_id": "",
            "timestamp": 1,
            "chat_type": chat_type,
            "chat_mode": "normal",
        },
    )
    assert response.json()["success"] is True, response.text
    chat_id: str = response.json()["data"]["id"]
    return chat_id


def completion_body(
    prompt: str,
    *,
    chat_id: str,
    parent_id: str | None = None,
    chat_type: str = "t2t",
    thinking: bool = False,
    model: str = "qwen3.7-plus",
    size: str | None = None,
    user_action: str = "chat",
) -> dict[str, Any]:
    """The browser's request (t2t_fast_answer_turn1_request.json) with the given turn filled in."""
    body: dict[str, Any] = copy.deepcopy(load_fixture("t2t_fast_answer_turn1_request.json"))
    body.update(chatId=chat_id, chat_id=chat_id, parent_id=parent_id, parentId=parent_id or "", model=model)
    message = body["messages"][0]
    message.update(
        content=prompt, chat_type=chat_type, sub_chat_type=chat_type, parent_id=parent_id, parentId=parent_id
    )
    message["user_action"] = user_action
    message["models"] = [model]
    message["extra"] = {"meta": {"subChatType": chat_type}}
    message["feature_config"]["thinking_enabled"] = thinking
    if size is not None:
        body["size"] = size
    return body


def post_turn(http: httpx.Client, chat_id: str, prompt: str, **options: Any) -> httpx.Response:
    headers = options.pop("headers", None)
    body = completion_body(prompt, chat_id=chat_id, **options)
    return http.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=body, headers=headers)


def raw_events(body: bytes) -> list[bytes]:
    """Split an SSE body into its ``data:`` payloads, asserting the service's framing."""
    assert body.endswith(b"\n\n"), body[-40:]
    blocks = body[:-2].split(b"\n\n")
    for block in blocks:
        assert block.startswith(b"data: "), block[:40]
        assert b"\n" not in block
    return [block[6:] for block in blocks]


def events(body: bytes) -> list[dict[str, Any]]:
    parsed: list[dict[str, Any]] = [json.loads(payload) for payload in raw_events(body)]
    return parsed


def answer_of(parsed: list[dict[str, Any]], phase: str = "answer") -> str:
    return "".join(
        choice["delta"].get("content", "")
        for event in parsed
        for choice in event.get("choices", [])
        if choice["delta"].get("phase") == phase
    )


def kinds(parsed: list[dict[str, Any]]) -> list[str]:
    """Event kinds in order, consecutive repeats collapsed: ``created``, ``answer/typing``, ..."""
    out: list[str] = []
    for event in parsed:
        if "choices" in event:
            delta = event["choices"][0]["delta"]
            kind = f"{delta.get('phase')}/{delta.get('status')}"
        else:
            kind = next(iter(event))
        if not out or out[-1] != kind:
            out.append(kind)
    return out
