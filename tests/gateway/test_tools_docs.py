"""The tool examples of docs/gateway.md run as written against the gateway and the scripted server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qwen_api.gateway.server import RunningGateway
from qwen_api.testing import RunningServer
from qwen_api.tools import render_call

from .conftest import GatewayFactory

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "gateway.md"


def section_snippets(title: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def run(snippet: str, gateway: RunningGateway) -> dict[str, Any]:
    code = snippet.replace("http://127.0.0.1:8000", gateway.url)
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    return namespace


def test_the_tools_examples_run(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory(api_keys=("sk-local-1", "unused"))
    openai_example, anthropic_example = section_snippets("Tools and structured output")
    call = render_call("get_weather", {"city": "Paris"})
    upstream.script(call, "It is sunny in Paris.", call)
    done = run(openai_example, gateway)
    assert done["first"].choices[0].finish_reason == "tool_calls"
    assert done["final"].choices[0].message.content == "It is sunny in Paris."
    message = run(anthropic_example, gateway)["message"]
    assert message.stop_reason == "tool_use" and message.content[-1].type == "tool_use"
