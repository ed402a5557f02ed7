"""The ways to run the server: serve() in a thread, in process over ASGITransport, the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from qwen_api.testing import RunningServer, ServerConfig, create_app, expected_answer, serve

from .conftest import AUTH, answer_of, completion_body, events


def test_serve_is_ready_on_entry_and_stops_on_exit() -> None:
    started = time.monotonic()
    with serve(ServerConfig(chunk_size=3)) as server:
        ready = time.monotonic() - started
        # No sleep: the first request after entering must succeed.
        assert httpx.get(server.url + "/api/models").status_code == 200
        assert server.config.chunk_size == 3 and server.url.startswith("http://127.0.0.1:")
    assert ready < 2.0
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/api/models")


def test_two_servers_get_different_free_ports() -> None:
    with serve() as first, serve() as second:
        assert first.url != second.url


def test_qwen_server_fixture_from_the_plugin(qwen_server: RunningServer) -> None:
    assert isinstance(qwen_server, RunningServer)
    assert httpx.get(qwen_server.url + "/api/models", headers=AUTH).status_code == 200


def test_plugin_loads_without_importing_the_server_stack() -> None:
    code = (
        "import sys, qwen_api.testing.pytest_plugin; "
        "print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30)
    assert result.stdout.strip() == "[]"


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        ServerConfig(chunk_size=0)
    with pytest.raises(ValueError):
        ServerConfig(token="")
    with pytest.raises(ValueError):
        ServerConfig(delay=-1)


async def test_in_process_asgi_transport() -> None:
    app = create_app(ServerConfig(chunk_size=4))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=AUTH) as http:
        chat_id = (await http.post("/api/v2/chats/new", json={"models": ["qwen3.7-plus"]})).json()["data"]["id"]
        body = completion_body("in process", chat_id=chat_id)
        response = await http.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=body)
        assert answer_of(events(response.content)) == expected_answer("in process")
        grant = (
            await http.post("/api/v2/files/getstsToken", json={"filename": "a.txt", "filesize": 1, "filetype": "file"})
        ).json()
        assert grant["data"]["endpoint"] == "testserver"  # a bare host, like the recorded grant
        # Without a socket, a dropped connection surfaces as the error httpx raises for one.
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/api/v2/models/", headers={"x-qwen-mock-fault": "drop_before_headers"})
        with pytest.raises(httpx.RemoteProtocolError):
            await http.post(
                "/api/v2/chat/completions",
                params={"chat_id": chat_id},
                json=body,
                headers={"x-qwen-mock-fault": "drop_after_events"},
            )
    assert app.state.runtime.state.chats[chat_id].turns
