"""The local server's scripted answers: header forms, the queue, ``when=``, config seeding, reasoning."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenInvalidRequestError
from qwen_api.testing import SCRIPT_HEADER, RunningServer, ScriptedAnswer, ServerConfig, serve
from qwen_api.testing.script import decode_header_text, encode_header_text, load_script

from .conftest import TOKEN


@pytest.mark.parametrize("text", ["plain", "two\nlines", 'quotes " and \\ and ünïcode ✓', ""])
def test_header_text_round_trips(text: str) -> None:
    encoded = encode_header_text(text)
    assert encoded.isascii() and "\n" not in encoded
    assert decode_header_text(encoded) == text
    assert decode_header_text("base64:" + base64.b64encode(text.encode()).decode()) == text


def test_bad_header_values_are_refused() -> None:
    with pytest.raises(ValueError, match="not a JSON string"):
        decode_header_text('"unterminated')
    with pytest.raises(ValueError, match="base64"):
        decode_header_text("base64:***")


def test_a_bad_script_header_answers_a_clear_error(server: RunningServer) -> None:
    headers = {SCRIPT_HEADER: '"broken'}
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, default_headers=headers) as client:
        with pytest.raises(QwenInvalidRequestError, match="not a JSON string"):
            client.chat.create([{"role": "user", "content": "hi"}])


def test_queue_order_and_when(scripted: RunningServer, client: Qwen) -> None:
    scripted.script(ScriptedAnswer("for the second", when="second"), "first come")
    assert client.chat.create([{"role": "user", "content": "first"}]).choices[0].message.content == "first come"
    assert client.chat.create([{"role": "user", "content": "second"}]).choices[0].message.content == "for the second"
    assert client.chat.create([{"role": "user", "content": "third"}]).choices[0].message.content == "You said: third"


def test_config_script_and_reasoning() -> None:
    config = ServerConfig(script=[ScriptedAnswer("done", reasoning="step one\n\nstep two")], chunk_size=3)
    with serve(config) as server, Qwen(api_key=TOKEN, base_url=server.url, max_retries=0) as client:
        response = client.chat.create([{"role": "user", "content": "go"}])
        assert response.choices[0].message.content == "done"
        assert response.choices[0].message.reasoning_content == "step one\n\nstep two"
        chat = server.state.chats[response.chat_id or ""]
        assert chat.turns[-1].answer == "done"
        detail = httpx.get(f"{server.url}/api/v2/chats/{chat.id}", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert any(
            item.get("content") == "done"
            for m in detail["data"]["chat"]["history"]["messages"].values()
            for item in m.get("content_list") or []
        )


def test_a_script_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(["plain", {"text": "t", "reasoning": "r", "when": "w"}]), encoding="utf-8")
    assert load_script(path) == (ScriptedAnswer("plain"), ScriptedAnswer("t", "r", "w"))
    for bad in ({"text": 1}, [{"txt": "x"}], [3], [{"text": "x", "reasoning": 2}]):
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(ValueError):
            load_script(path)
    with pytest.raises(ValueError, match="cannot read the script"):
        load_script(tmp_path / "missing.json")


def test_the_command_line_serves_a_script_file(tmp_path: Path) -> None:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(['<tool_call>{"name": "f", "arguments": {}}</tool_call>']), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "qwen_api.testing", "--port", "0", "--script-file", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the server is ready (or the process died)
        assert line.startswith("Listening on "), line + (process.stderr.read() if process.stderr else "")
        url = line.removeprefix("Listening on ").strip()
        with Qwen(api_key=TOKEN, base_url=url, max_retries=0, timeout=10) as client:
            tools: list[Any] = [{"type": "function", "function": {"name": "f"}}]
            response = client.chat.create([{"role": "user", "content": "go"}], tools=tools)
        assert response.choices[0].finish_reason == "tool_calls"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_command_line_refuses_a_bad_script_file(tmp_path: Path) -> None:
    from qwen_api.testing.__main__ import main

    path = tmp_path / "script.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["--script-file", str(path)]) == 2
