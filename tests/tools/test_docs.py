"""The code in docs/tools.md runs as written against the scripted local server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from qwen_api.testing import RunningServer

from .conftest import TOKEN

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "tools.md"
CALL = '<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>'


def snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def test_the_guide_runs(scripted: RunningServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("QWEN_AUTH_TOKEN", "QWEN_COOKIE", "QWEN_REFRESH_TOKEN", "QWEN_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QWEN_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("QWEN_BASE_URL", scripted.url)
    monkeypatch.chdir(tmp_path)  # no .env of the repository is read
    loop, streaming, structured, offline = snippets()
    printed: list[tuple[Any, ...]] = []
    weather_calls: list[dict[str, Any]] = []

    def get_weather(**arguments: Any) -> dict[str, Any]:
        weather_calls.append(arguments)
        return {"sky": "sunny", "celsius": 21}

    namespace: dict[str, Any] = {"get_weather": get_weather, "print": lambda *args, **_: printed.append(args)}

    scripted.script("Let me check.\n" + CALL, "It is sunny in Paris.")
    exec(loop, namespace)
    assert weather_calls == [{"city": "Paris"}]
    assert printed[-1] == ("It is sunny in Paris.",)
    assert namespace["messages"][-1]["role"] == "tool"

    scripted.script("One moment. " + CALL)
    exec(streaming, namespace)
    assert namespace["response"].choices[0].finish_reason == "tool_calls"
    assert "".join(str(args[0]) for args in printed[1:-1]) == "One moment."
    assert printed[-1][0] == 0 and printed[-1][2:] == ("get_weather", '{"city": "Paris"}')

    scripted.script('```json\n{"name": "Ann", "age": 31}\n```')
    exec(structured, namespace)
    assert namespace["message"].parsed == {"name": "Ann", "age": 31}

    exec(offline, namespace)  # its own server; the second scripted answer is left for a next turn
    assert namespace["first"].choices[0].message.tool_calls[0].function.name == "get_weather"
    namespace["client"].close()
