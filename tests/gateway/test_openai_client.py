"""The official ``openai`` client against the gateway in front of the local server (real sockets),
every response body and streamed chunk validated against the pinned OpenAI OpenAPI schemas."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import openai
import pytest

from qwen_api.gateway.server import RunningGateway
from qwen_api.testing import RunningServer, expected_answer, expected_reasoning

from .conftest import GatewayFactory, avalidate_response, completions_posts, new_chats, sse_payloads, validate

MODEL = "qwen3.7-plus"


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def stream_raw(http: httpx.Client, body: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    with http.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        payloads = sse_payloads(response)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    for chunk in chunks:
        validate("CreateChatCompletionStreamResponse", chunk)
    return chunks, payloads


def test_sync_completion_is_valid_and_answers(client: openai.OpenAI, upstream: RunningServer) -> None:
    raw = client.chat.completions.with_raw_response.create(model=MODEL, messages=user("hello"))
    validate("CreateChatCompletionResponse", raw.http_response.json())
    completion = raw.parse()
    choice = completion.choices[0]
    assert choice.message.content == expected_answer("hello")
    assert choice.finish_reason == "stop"
    assert choice.message.refusal is None and choice.logprobs is None
    assert completion.model == MODEL
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_stream_is_valid_ends_with_done_and_reports_usage(http: httpx.Client) -> None:
    chunks, _ = stream_raw(
        http, {"model": MODEL, "messages": user("streaming"), "stream_options": {"include_usage": True}}
    )
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == expected_answer("streaming")
    finishes = [c["choices"][0]["finish_reason"] for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert finishes == ["stop"]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
    assert all("usage" in c and c["usage"] is None for c in chunks[:-1])  # as OpenAI: null until the last
    assert len({c["id"] for c in chunks}) == 1
    plain, _ = stream_raw(http, {"model": MODEL, "messages": user("no usage")})
    assert all("usage" not in c for c in plain)


def test_stream_with_the_openai_client(client: openai.OpenAI) -> None:
    with client.chat.completions.create(model=MODEL, messages=user("via client"), stream=True) as stream:
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert text == expected_answer("via client")


def test_reasoning_is_separate_from_content(client: openai.OpenAI, http: httpx.Client) -> None:
    completion = client.chat.completions.create(model=MODEL + "-thinking", messages=user("think"))
    message = completion.choices[0].message
    assert message.content == expected_answer("think")
    assert message.model_extra is not None and message.model_extra["reasoning_content"] == expected_reasoning("think")
    chunks, _ = stream_raw(http, {"model": MODEL, "messages": user("think"), "reasoning_effort": "high"})
    reasoning = "".join(c["choices"][0]["delta"].get("reasoning_content") or "" for c in chunks)
    content = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
    assert reasoning == expected_reasoning("think")
    assert content == expected_answer("think")


def test_search_sources_are_url_citations(client: openai.OpenAI, http: httpx.Client) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model=MODEL, messages=user("news"), extra_body={"enable_search": True}
    )
    body = raw.http_response.json()
    validate("CreateChatCompletionResponse", body)
    message = body["choices"][0]["message"]
    assert message["content"] == expected_answer("news", search=True)
    annotations = message["annotations"]
    assert annotations and all(a["type"] == "url_citation" for a in annotations)
    first = annotations[0]["url_citation"]
    assert message["content"][first["start_index"] : first["end_index"]] == "[[1]]"
    chunks, _ = stream_raw(http, {"model": MODEL + "-search", "messages": user("news")})
    assert any(c["choices"][0]["delta"].get("annotations") for c in chunks)


def test_n_choices_stop_and_length(client: openai.OpenAI, http: httpx.Client, upstream: RunningServer) -> None:
    completion = client.chat.completions.create(model=MODEL, messages=user("twice"), n=2)
    assert [c.index for c in completion.choices] == [0, 1]
    assert all(c.message.content == expected_answer("twice") for c in completion.choices)
    chunks, _ = stream_raw(http, {"model": MODEL, "messages": user("twice"), "n": 2})
    for index in (0, 1):
        text = "".join(
            c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"][0]["index"] == index
        )
        assert text == expected_answer("twice")

    stopped = client.chat.completions.create(model=MODEL, messages=user("alpha beta gamma"), stop=["beta"])
    assert stopped.choices[0].message.content == "You said: alpha "
    assert stopped.choices[0].finish_reason == "stop"

    limited = client.chat.completions.create(model=MODEL, messages=user("long answer"), max_tokens=1, temperature=0.3)
    assert limited.choices[0].finish_reason == "length"
    sent = completions_posts(upstream)[-1].json
    assert sent["messages"][0]["content"] == "long answer"
    assert (sent.get("max_tokens"), sent.get("temperature")) == (1, 0.3)


async def test_async_client_completion_stream_models_images(gateway: RunningGateway) -> None:
    http_client = httpx.AsyncClient(event_hooks={"response": [avalidate_response]}, timeout=60)
    async with openai.AsyncOpenAI(
        base_url=gateway.base_url, api_key="unused", max_retries=0, http_client=http_client
    ) as client:
        completion = await client.chat.completions.create(model=MODEL, messages=user("async hello"))
        assert completion.choices[0].message.content == expected_answer("async hello")
        stream = await client.chat.completions.create(
            model=MODEL, messages=user("async stream"), stream=True, stream_options={"include_usage": True}
        )
        text, usage = "", None
        async for chunk in stream:
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
            if chunk.usage is not None:
                usage = chunk.usage
        assert text == expected_answer("async stream")
        assert usage is not None and usage.completion_tokens > 0
        models = await client.models.list()
        assert MODEL + "-thinking" in [m.id for m in models.data]
        images = await client.images.generate(prompt="a harbour", size="1024x1024")
        assert images.data and images.data[0].url


def test_models_list_and_retrieve(client: openai.OpenAI, http: httpx.Client) -> None:
    body = http.get("/v1/models").json()
    validate("ListModelsResponse", body)
    ids = [m["id"] for m in body["data"]]
    for suffix in ("", "-thinking", "-search", "-thinking-search"):
        assert MODEL + suffix in ids
    model = client.models.retrieve(MODEL + "-thinking-search")
    validate("Model", http.get(f"/v1/models/{MODEL}-thinking-search").json())
    assert model.id == MODEL + "-thinking-search" and model.owned_by == "qwen"
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("no-such-model")
    assert caught.value.code == "model_not_found"


def test_modes_the_model_list_denies_are_refused_not_sent(
    client: openai.OpenAI, http: httpx.Client, upstream: RunningServer
) -> None:
    coder = "qwen3-coder-plus"  # the local catalogue's model with thinking and search set to false
    ids = [m["id"] for m in http.get("/v1/models").json()["data"]]
    variants = [coder + suffix for suffix in ("-thinking", "-search", "-thinking-search")]
    assert coder in ids and all(variant in ids for variant in variants)  # every id has its variants
    before = len(completions_posts(upstream))
    asks: list[dict[str, Any]] = [{"model": variant} for variant in variants]
    asks += [{"model": coder, **extra} for extra in ({"enable_thinking": True}, {"reasoning_effort": "high"})]
    asks += [{"model": coder, "enable_search": True}]
    for ask in asks:
        error = _error(http, {"messages": user("x"), **ask}, 400)
        assert coder in error["message"] and error["param"] == "model"
        assert "thinking" in error["message"] or "search" in error["message"]
    assert len(completions_posts(upstream)) == before  # refused before anything went upstream
    # what the model can do still passes: no thinking asked, and thinking turned off explicitly
    for extra in ({}, {"enable_thinking": False}, {"reasoning_effort": "none"}):
        reply = client.chat.completions.create(model=coder, messages=user("x"), extra_body=extra)
        assert reply.choices[0].message.content == expected_answer("x")


def test_images_url_and_b64_with_size_mapping(
    client: openai.OpenAI, http: httpx.Client, upstream: RunningServer
) -> None:
    raw = client.images.with_raw_response.generate(prompt="a lighthouse", size="1792x1024")
    validate("ImagesResponse", raw.http_response.json())
    assert raw.parse().data[0].url
    assert completions_posts(upstream)[-1].json["size"] == "16:9"
    b64 = client.images.generate(prompt="a lighthouse", size="1024x1792", response_format="b64_json")
    assert b64.data and base64.b64decode(b64.data[0].b64_json or "")
    assert completions_posts(upstream)[-1].json["size"] == "9:16"
    response = http.post("/v1/images/generations", json={"prompt": "x", "size": "big"})
    assert response.status_code == 400
    validate("ErrorResponse", response.json())


def _error(http: httpx.Client, body: Any, status: int, **kwargs: Any) -> dict[str, Any]:
    response = http.post("/v1/chat/completions", json=body, **kwargs)
    assert response.status_code == status, response.text
    payload = response.json()
    validate("ErrorResponse", payload)
    return payload["error"]


def test_errors_have_the_openai_shape_and_status(client: openai.OpenAI, http: httpx.Client) -> None:
    assert _error(http, {"model": "nope", "messages": user("x")}, 404)["code"] == "model_not_found"
    assert _error(http, {"model": MODEL, "messages": []}, 400)["param"] == "messages"
    assert (
        _error(http, {"model": MODEL, "messages": user("x"), "tools": [{"type": "function"}]}, 400)["param"] == "tools"
    )
    tools = [{"type": "function", "function": {"name": "f"}}]
    for choice in ["sometimes", {"type": "function", "function": {"name": "g"}}]:
        error = _error(http, {"model": MODEL, "messages": user("x"), "tools": tools, "tool_choice": choice}, 400)
        assert error["param"] == "tool_choice", error
    assert (
        _error(http, {"model": MODEL, "messages": user("x"), "tool_choice": "required"}, 400)["param"] == "tool_choice"
    )
    response = http.post("/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, messages=user("x"), top_p=0.2)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="nope", messages=user("x"))


def test_api_keys_and_body_limit(gateway_factory: GatewayFactory) -> None:
    gateway = gateway_factory(api_keys=("sk-one", "sk-two"), max_body_bytes=2000)
    with httpx.Client(base_url=gateway.url) as http:
        assert _error(http, {"model": MODEL, "messages": user("x")}, 401)["code"] == "invalid_api_key"
        wrong = {"authorization": "Bearer sk-three"}
        assert _error(http, {"model": MODEL, "messages": user("x")}, 401, headers=wrong)["code"] == "invalid_api_key"
        big = {"model": MODEL, "messages": user("x" * 5000)}
        assert _error(http, big, 413, headers={"authorization": "Bearer sk-two"})["code"] == "request_too_large"
        assert http.get("/healthz").status_code == 200
    with openai.OpenAI(base_url=gateway.base_url, api_key="sk-two", max_retries=0) as client:
        assert client.chat.completions.create(model=MODEL, messages=user("ok")).choices[0].message.content
    with openai.OpenAI(base_url=gateway.base_url, api_key="bad", max_retries=0) as client:
        with pytest.raises(openai.AuthenticationError):
            client.models.list()


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [
        ("http_429; retry_after=7", 429, "rate_limit_exceeded"),
        ("waf_json", 403, "upstream_blocked"),
        ("http_502", 502, "upstream_unavailable"),
        ("http_503; retry_after=5", 503, "upstream_unavailable"),
        ("http_503", 503, "upstream_unavailable"),
    ],
)
def test_upstream_failures_map_to_statuses(
    gateway_factory: GatewayFactory, upstream: RunningServer, fault: str, status: int, code: str
) -> None:
    gateway = gateway_factory()
    name, _, retry = fault.partition("; retry_after=")
    params = {"retry_after": float(retry)} if retry else {}
    upstream.add_fault(name, path="/api/v2/chat/completions", **params)
    with httpx.Client(base_url=gateway.url) as http:
        response = http.post("/v1/chat/completions", json={"model": "qwen3.7-plus-thinking", "messages": user("x")})
        assert response.status_code == status, response.text
        validate("ErrorResponse", response.json())
        assert response.json()["error"]["code"] == code
        if retry:  # the upstream's hint reaches the client
            assert response.headers["retry-after"] == retry
        elif status >= 500:
            assert "retry-after" not in response.headers
        assert len(completions_posts(upstream)) == 1


def test_upstream_timeout_is_a_504(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory(timeout=0.5)
    upstream.add_fault("stall_before_headers", path="/api/v2/chat/completions", seconds=5)
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        response = http.post("/v1/chat/completions", json={"model": MODEL, "messages": user("x")})
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"


def test_error_mid_stream_is_an_error_event(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory(default_headers={"x-qwen-mock-delay": "0.01"})
    upstream.add_fault("drop_after_events", path="/api/v2/chat/completions", after=8)
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        with http.stream(
            "POST", "/v1/chat/completions", json={"model": MODEL, "messages": user("x" * 50), "stream": True}
        ) as response:
            assert response.status_code == 200
            payloads = sse_payloads(response)
    assert payloads[-1] != "[DONE]"
    last = json.loads(payloads[-1])
    validate("ErrorResponse", last)
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        with pytest.raises(openai.APIError):
            for _ in client.chat.completions.create(model=MODEL, messages=user("x" * 50), stream=True):
                pass


def test_client_disconnect_stops_the_upstream_answer(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory(default_headers={"x-qwen-mock-delay": "0.02", "x-qwen-mock-answer-length": "4000"})
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        with http.stream(
            "POST", "/v1/chat/completions", json={"model": MODEL, "messages": user("long"), "stream": True}
        ) as response:
            lines = response.iter_lines()
            received = [line for _, line in zip(range(6), lines, strict=False)]
            assert any(line.startswith("data: ") for line in received)
    response_id = upstream.state.chats and next(iter(upstream.state.chats.values())).turns[-1].response_id
    deadline = time.monotonic() + 10
    while response_id not in upstream.state.stopped_responses and time.monotonic() < deadline:
        time.sleep(0.01)  # polling for a condition with a deadline
    assert response_id in upstream.state.stopped_responses
    assert new_chats(upstream) == 1
    with httpx.Client(base_url=gateway.url) as http:  # the account's slot was given back
        text = http.get("/metrics").text
    assert 'qwen_gateway_account_in_flight{account="main"} 0.0' in text
    assert "qwen_gateway_streams_in_flight 0.0" in text


@pytest.mark.parametrize("path", ["/v1/chat/completions", "/v1/messages"])
def test_a_client_that_gives_up_on_a_whole_answer_stops_it_upstream(
    gateway_factory: GatewayFactory, upstream: RunningServer, path: str
) -> None:
    gateway = gateway_factory(default_headers={"x-qwen-mock-delay": "0.02", "x-qwen-mock-answer-length": "4000"})
    body: dict[str, Any] = {"model": MODEL, "messages": user("long")}
    if path == "/v1/messages":
        body["max_tokens"] = 4000
    with httpx.Client(base_url=gateway.url, timeout=httpx.Timeout(30, read=0.5)) as http:
        with pytest.raises(httpx.ReadTimeout):  # the client gives up; the answer takes ~80 s
            http.post(path, json=body)
    deadline = time.monotonic() + 10
    while not upstream.state.stopped_responses and time.monotonic() < deadline:
        time.sleep(0.01)  # polling for a condition with a deadline
    response_id = next(iter(upstream.state.chats.values())).turns[-1].response_id
    assert response_id in upstream.state.stopped_responses
    with httpx.Client(base_url=gateway.url) as http:  # the account's slot was given back
        assert 'qwen_gateway_account_in_flight{account="main"} 0.0' in http.get("/metrics").text


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_images_in_messages_are_uploaded_and_attached(client: openai.OpenAI, upstream: RunningServer) -> None:
    generated = client.images.generate(prompt="a cat").data[0].url
    assert generated
    content = [
        {"type": "text", "text": "compare these"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()}},
        {"type": "image_url", "image_url": {"url": generated}},
    ]
    completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": content}])
    assert completion.choices[0].message.content == expected_answer("compare these")
    files = completions_posts(upstream)[-1].json["messages"][0]["files"]
    assert len(files) == 2 and all(f["type"] == "image" for f in files)
    assert len(upstream.state.uploads) == 2  # both went through the SDK's upload, not as foreign URLs
    with pytest.raises(openai.BadRequestError):
        bad = [{"type": "image_url", "image_url": {"url": upstream.url + "/api/models"}}]
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": bad}])


def test_images_of_earlier_messages_go_with_a_new_chat_and_are_not_fetched_again_when_continued(
    client: openai.OpenAI, upstream: RunningServer
) -> None:
    generated = client.images.generate(prompt="a dog").data[0].url
    assert generated
    first = [
        {"type": "text", "text": "look at these"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()}},
        {"type": "image_url", "image_url": {"url": generated}},
    ]
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": "Two pictures."},
        *user("what colour was the first?"),
    ]
    uploads = len(upstream.state.uploads)
    answer = client.chat.completions.create(model=MODEL, messages=history)  # unknown history: a new chat
    files = completions_posts(upstream)[-1].json["messages"][0]["files"]
    assert len(files) == 2 and len(upstream.state.uploads) == uploads + 2
    fetches = len(upstream.state.requests_to(generated.split(upstream.url, 1)[1].split("?")[0]))
    assert fetches == 1  # the gateway downloaded the URL image once, for the new chat
    follow_up = [*history, {"role": "assistant", "content": answer.choices[0].message.content}, *user("and now?")]
    client.chat.completions.create(model=MODEL, messages=follow_up)  # continued: only the new message is sent
    assert completions_posts(upstream)[-1].json["messages"][0].get("files") in (None, [])
    assert len(upstream.state.uploads) == uploads + 2
    assert len(upstream.state.requests_to(generated.split(upstream.url, 1)[1].split("?")[0])) == fetches


def test_an_answer_cut_at_a_stop_sequence_is_not_continued(client: openai.OpenAI, upstream: RunningServer) -> None:
    """The upstream chat holds what the model wrote past the stop sequence, which the client never
    saw: the next turn starts a chat of its own, carrying the transcript the client has."""
    first = client.chat.completions.create(model=MODEL, messages=user("alpha beta gamma"), stop=["beta"])
    assert first.choices[0].message.content == "You said: alpha "
    chats = new_chats(upstream)
    history = [*user("alpha beta gamma"), {"role": "assistant", "content": "You said: alpha "}, *user("next")]
    client.chat.completions.create(model=MODEL, messages=history)
    assert new_chats(upstream) == chats + 1
    assert "[assistant]\nYou said: alpha " in completions_posts(upstream)[-1].json["messages"][0]["content"]


def test_a_continued_turn_sends_temperature_and_max_tokens(client: openai.OpenAI, upstream: RunningServer) -> None:
    first = client.chat.completions.create(model=MODEL, messages=user("one"), temperature=0.2)
    history = [*user("one"), {"role": "assistant", "content": first.choices[0].message.content}, *user("two")]
    chats = len(upstream.state.requests_to("/api/v2/chats/new"))
    client.chat.completions.create(model=MODEL, messages=history, temperature=0.3, max_completion_tokens=40)
    assert len(upstream.state.requests_to("/api/v2/chats/new")) == chats  # the same upstream chat
    sent = completions_posts(upstream)[-1].json
    assert (sent.get("temperature"), sent.get("max_tokens")) == (0.3, 40)
    assert sent["parent_id"]  # continued, not a new conversation


def test_fields_the_gateway_does_not_act_on_are_named(client: openai.OpenAI) -> None:
    raw = client.chat.completions.with_raw_response.create(
        model=MODEL, messages=user("x"), user="someone", seed=7, extra_body={"größe": 1}
    )
    assert raw.headers["x-qwen-gateway-ignored"] == "gr\\xf6\\xdfe,seed,user"
    plain = client.chat.completions.with_raw_response.create(model=MODEL, messages=user("y"))
    assert "x-qwen-gateway-ignored" not in plain.headers
