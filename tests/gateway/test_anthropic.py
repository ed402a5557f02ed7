"""The Anthropic Messages API with the official ``anthropic`` client: messages, streams with thinking,
the documented event sequence, errors in Anthropic's shape, count_tokens."""

from __future__ import annotations

import base64
import json
from typing import Any

import anthropic
import httpx
import pytest

from qwen_api.gateway.anthropic_adapter import EventBuilder, parse_messages_request
from qwen_api.gateway.errors import GatewayError
from qwen_api.testing import RunningServer, expected_answer, expected_reasoning
from qwen_api.tools import render_call

from .conftest import GatewayFactory, completions_posts, new_chats

MODEL = "qwen3.7-plus"


@pytest.fixture
def claude(gateway_factory: GatewayFactory) -> Any:
    gateway = gateway_factory(api_keys=("sk-ant-local",))
    with anthropic.Anthropic(base_url=gateway.url, api_key="sk-ant-local", max_retries=0) as client:
        yield client, gateway


def test_message_with_system_and_thinking(claude: Any, upstream: RunningServer) -> None:
    client, _ = claude
    message = client.messages.create(
        model=MODEL,
        max_tokens=1024,
        system="Answer briefly.",
        thinking={"type": "enabled", "budget_tokens": 2048},
        messages=[{"role": "user", "content": "why?"}],
    )
    kinds = [block.type for block in message.content]
    assert kinds == ["thinking", "text"]
    prompt = completions_posts(upstream)[-1].json["messages"][0]["content"]
    assert message.content[0].thinking == expected_reasoning(prompt)
    assert "Answer briefly." in message.content[1].text and message.content[1].text.startswith("You said: ")
    assert message.stop_reason == "end_turn" and message.stop_sequence is None
    assert message.usage.output_tokens > 0 and message.role == "assistant"


def test_stream_follows_the_documented_event_sequence(claude: Any) -> None:
    client, gateway = claude
    with client.messages.stream(
        model=MODEL + "-thinking", max_tokens=512, messages=[{"role": "user", "content": "stream"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == expected_answer("stream")
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[0].thinking == expected_reasoning("stream")
    with httpx.Client(base_url=gateway.url, headers={"x-api-key": "sk-ant-local"}) as http:
        body = {
            "model": MODEL,
            "max_tokens": 64,
            "stream": True,
            "messages": [{"role": "user", "content": "e"}],
            "thinking": {"type": "enabled", "budget_tokens": 1024},
        }
        with http.stream("POST", "/v1/messages", json=body) as response:
            names = [line[7:] for line in response.iter_lines() if line.startswith("event: ")]
    assert names[:2] == ["message_start", "ping"]
    assert names[-2:] == ["message_delta", "message_stop"]
    blocks = [n for n in names if n in ("content_block_start", "content_block_stop")]
    assert blocks == ["content_block_start", "content_block_stop"] * 2


def test_conversation_continues_and_stop_sequences(claude: Any, upstream: RunningServer) -> None:
    client, _ = claude
    history: list[dict[str, Any]] = [{"role": "user", "content": "first"}]
    first = client.messages.create(model=MODEL, max_tokens=100, messages=history)
    history += [{"role": "assistant", "content": first.content[-1].text}, {"role": "user", "content": "second"}]
    client.messages.create(model=MODEL, max_tokens=100, messages=history)
    assert new_chats(upstream) == 1
    assert completions_posts(upstream)[-1].json["messages"][0]["content"] == "second"
    stopped = client.messages.create(
        model=MODEL, max_tokens=100, stop_sequences=["beta"], messages=[{"role": "user", "content": "alpha beta"}]
    )
    assert stopped.content[-1].text == "You said: alpha "
    assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", "beta")


def test_images_and_count_tokens(claude: Any, upstream: RunningServer) -> None:
    client, _ = claude
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
    content = [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}},
        {"type": "text", "text": "describe"},
    ]
    message = client.messages.create(model=MODEL, max_tokens=50, messages=[{"role": "user", "content": content}])
    assert message.content[-1].text == expected_answer("describe")
    assert len(completions_posts(upstream)[-1].json["messages"][0]["files"]) == 1
    counted = client.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": "x" * 40}])
    assert counted.input_tokens == 10


def test_errors_have_the_anthropic_shape(claude: Any, gateway_factory: GatewayFactory) -> None:
    client, gateway = claude
    with pytest.raises(anthropic.NotFoundError) as missing:
        client.messages.create(model="nope", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert missing.value.body["error"]["type"] == "not_found_error"
    with pytest.raises(anthropic.BadRequestError) as denied:  # the local catalogue's coder model cannot think
        client.messages.create(
            model="qwen3-coder-plus",
            max_tokens=5,
            thinking={"type": "enabled", "budget_tokens": 1024},
            messages=[{"role": "user", "content": "x"}],
        )
    assert denied.value.body["error"]["type"] == "invalid_request_error"
    assert "no thinking mode" in denied.value.body["error"]["message"]
    with pytest.raises(anthropic.BadRequestError) as tools:
        client.messages.create(
            model=MODEL,
            max_tokens=5,
            messages=[{"role": "user", "content": "x"}],
            tools=[{"type": "web_search_20250305", "name": "web_search"}],
        )
    assert "not supported" in tools.value.body["error"]["message"]
    assert tools.value.body["error"]["type"] == "invalid_request_error"
    with anthropic.Anthropic(base_url=gateway.url, api_key="wrong", max_retries=0) as other:
        with pytest.raises(anthropic.AuthenticationError) as denied:
            other.messages.create(model=MODEL, max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert denied.value.body == {
        "type": "error",
        "error": {"type": "authentication_error", "message": "incorrect API key provided"},
    }


def test_unknown_messages_paths_and_missing_keys_answer_in_anthropics_terms(claude: Any) -> None:
    _, gateway = claude
    with httpx.Client(base_url=gateway.url, headers={"x-api-key": "sk-ant-local"}) as http:
        unknown = http.post("/v1/messages/batches", json={})
        assert unknown.status_code == 404
        assert unknown.json()["type"] == "error" and unknown.json()["error"]["type"] == "not_found_error"
        assert http.get("/v1/nothing").json()["error"]["code"] == "not_found"  # the OpenAI shape elsewhere
    with httpx.Client(base_url=gateway.url) as http:
        keyless = http.post("/v1/messages", json={"model": MODEL, "max_tokens": 5, "messages": []})
    assert keyless.status_code == 401 and "x-api-key" in keyless.json()["error"]["message"]


def test_message_start_counts_the_prompt_and_tool_ids_have_anthropics_form(
    claude: Any, upstream: RunningServer
) -> None:
    client, gateway = claude
    with httpx.Client(base_url=gateway.url, headers={"x-api-key": "sk-ant-local"}) as http:
        body = {"model": MODEL, "max_tokens": 64, "stream": True, "messages": [{"role": "user", "content": "count"}]}
        with http.stream("POST", "/v1/messages", json=body) as response:
            lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    start = json.loads(lines[0][6:])
    final = json.loads(lines[-2][6:])
    assert start["type"] == "message_start" and final["type"] == "message_delta"
    assert start["message"]["usage"]["input_tokens"] > 0
    assert start["message"]["usage"]["input_tokens"] == final["usage"]["input_tokens"]
    upstream.script(render_call("get_time", {}))
    tools = [{"name": "get_time", "input_schema": {"type": "object", "properties": {}}}]
    message = client.messages.create(
        model=MODEL, max_tokens=64, tools=tools, messages=[{"role": "user", "content": "time?"}]
    )
    (call,) = [block for block in message.content if block.type == "tool_use"]
    assert call.id.startswith("toolu_")


def test_messages_request_rules() -> None:
    with pytest.raises(GatewayError):
        parse_messages_request({"model": MODEL, "messages": [{"role": "user", "content": "x"}]})  # no max_tokens
    with pytest.raises(GatewayError):
        parse_messages_request(
            {
                "model": MODEL + "-thinking",
                "max_tokens": 5,
                "thinking": {"type": "disabled"},
                "messages": [{"role": "user", "content": "x"}],
            }
        )
    request = parse_messages_request(
        {
            "model": MODEL,
            "max_tokens": 5,
            "top_p": 1,  # no upstream equivalent, accepted at its neutral value as on the OpenAI side
            "system": [{"type": "text", "text": "sys"}],
            "messages": [
                {"role": "user", "content": "x"},
                {
                    "role": "assistant",
                    "content": [{"type": "thinking", "thinking": "t", "signature": "s"}, {"type": "text", "text": "y"}],
                },
                {"role": "user", "content": "z"},
            ],
        }
    )
    assert [(m.role, m.text) for m in request.messages] == [
        ("system", "sys"),
        ("user", "x"),
        ("assistant", "y"),
        ("user", "z"),
    ]
    events = EventBuilder(MODEL)
    names = [n for n, _ in events.start() + events.finish("end_turn", None, (1, 2))]
    assert names == [
        "message_start",
        "ping",
        "content_block_start",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"max_tokens": 5, "messages": [{"role": "user", "content": "x"}]},
        {"model": MODEL, "max_tokens": 0, "messages": [{"role": "user", "content": "x"}]},
        {"model": MODEL, "max_tokens": 5, "messages": []},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "system", "content": "x"}]},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": ""}]},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": 7}]},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": [{"type": "text"}]}]},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": [{"type": "audio"}]}]},
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": [{"type": "tool_result", "content": "r"}]}],
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": [{"type": "tool_use", "id": "1", "name": "f", "input": {}}]}],
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "x"}],
            "tools": [{"name": "f"}],
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "x"}],
            "tool_choice": {"type": "any"},
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "x"}],
            "tools": [{"name": "f", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "tool", "name": "g"},
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "!!"}}
                    ],
                }
            ],
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "ftp://x"}}]}],
        },
        {
            "model": MODEL,
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "prefill"}],
        },
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "stop_sequences": [""]},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "temperature": 1.5},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "top_k": 5},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "top_p": 0.9},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "stream": "yes"},
        {"model": MODEL, "max_tokens": 5, "messages": [{"role": "user", "content": "x"}], "thinking": {"type": "x"}},
    ],
)
def test_bad_messages_requests_are_400s(body: Any) -> None:
    with pytest.raises(GatewayError) as caught:
        parse_messages_request(body)
    assert caught.value.status == 400 and caught.value.message
