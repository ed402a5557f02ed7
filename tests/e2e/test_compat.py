"""The older SDK's documented surface: Completion(messages=...), the Qwen helper methods, import paths."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import AuthError, QwenAuthenticationError
from qwen_api.core.types.chat_model import ChatModel
from qwen_api.core.types.upload_file import FileResult
from qwen_api.resources.completion import Completion
from qwen_api.testing import RunningServer, expected_answer
from qwen_api.types.chat import ChatMessage, ChatResponse
from tests.e2e.conftest import call


def test_completion_class_takes_messages_too(mode: str, client: Qwen) -> None:
    assert isinstance(client.completion, Completion)
    built_the_older_way = Completion(client)  # as the older SDK's client built its resources
    assert built_the_older_way.create([{"role": "user", "content": "hey"}]).choices[0].message.content == (
        expected_answer("hey")
    )
    response = call(mode, client, "completion.create", [ChatMessage(role="user", content="hey")], model="qwen3.7-plus")
    assert isinstance(response, ChatResponse) and response.choices[0].message.content == expected_answer("hey")
    chunks, _ = call(mode, client, "completion.create", [{"role": "user", "content": "s"}], stream=True)
    assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("s")
    with pytest.raises(TypeError, match="exactly one"):
        client.completion.create([{"role": "user", "content": "a"}], prompt="b")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="exactly one"):
        client.completion.create()  # type: ignore[call-overload]


def open_completion(http: httpx.Client, client: Qwen, server: RunningServer, text: str) -> httpx.Response:
    headers = client._build_headers()
    chat = http.post(f"{server.url}/api/v2/chats/new", headers=headers, json={"models": ["m"], "chat_type": "t2t"})
    chat_id = chat.json()["data"]["id"]
    payload = client._build_payload([ChatMessage(role="user", content=text)], model="qwen3.7-plus")
    payload["chat_id"] = payload["chatId"] = chat_id
    request = http.build_request(
        "POST", f"{server.url}/api/v2/chat/completions", params={"chat_id": chat_id}, headers=headers, json=payload
    )
    return http.send(request, stream=True)


def test_documented_helper_methods(client: Qwen, server: RunningServer) -> None:
    headers = client._build_headers()
    assert headers["Authorization"].startswith("Bearer ") and "token=" in headers["Cookie"]
    payload = client._build_payload([{"role": "user", "content": "x"}], 0.7, "qwen3.7-plus", 100)
    assert payload["messages"][0]["content"] == "x" and payload["max_tokens"] == 100
    with httpx.Client() as http:
        whole = client._process_response(open_completion(http, client, server, "whole"))
        assert whole.choices[0].message.content == expected_answer("whole")
        chunks = list(client._process_stream(open_completion(http, client, server, "parts")))
        assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("parts")
        refused = http.send(
            http.build_request("POST", f"{server.url}/api/v2/chat/completions", params={"chat_id": "x"}, json={}),
            stream=True,
        )
        with pytest.raises(QwenAuthenticationError):
            client._process_response(refused)


def test_documented_async_helper_methods(client: Qwen, server: RunningServer) -> None:
    async def run() -> None:
        async with httpx.AsyncClient() as http:
            headers = client._build_headers()
            chat = await http.post(
                f"{server.url}/api/v2/chats/new", headers=headers, json={"models": ["m"], "chat_type": "t2t"}
            )
            chat_id = chat.json()["data"]["id"]
            payload = client._build_payload([{"role": "user", "content": "async"}], model="qwen3.7-plus")
            payload["chat_id"] = chat_id
            request = http.build_request(
                "POST",
                f"{server.url}/api/v2/chat/completions",
                params={"chat_id": chat_id},
                headers=headers,
                json=payload,
            )
            chunks = [c async for c in client._process_astream(await http.send(request, stream=True))]
            assert "".join(c.choices[0].delta.content for c in chunks) == expected_answer("async")
            request = http.build_request(
                "POST",
                f"{server.url}/api/v2/chat/completions",
                params={"chat_id": chat_id},
                headers=headers,
                json=payload,
            )
            whole = await client._process_aresponse(await http.send(request, stream=True))
            assert whole.choices[0].message.content == expected_answer("async")

    asyncio.run(run())


def test_older_import_paths_and_names() -> None:
    assert ChatModel is str and AuthError is QwenAuthenticationError
    assert FileResult.__name__ == "FileResult"
    client = Qwen(api_key="t-123456", log_level="WARNING")  # the older SDK's name for logging_level
    client.cancel()
