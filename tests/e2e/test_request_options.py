"""Per-request options, ``with_options`` and ``with_raw_response``, against the local server, sync and async."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from qwen_api import Qwen, RawResponse, Stream
from qwen_api.core.exceptions import QwenAPIError, QwenTimeoutError
from qwen_api.testing import FAULT_HEADER, RunningServer, serve
from qwen_api.types import ChatResponse, ChatResponseStream, FileResult, ImagesResponse

from .conftest import TOKEN, call

COMPLETIONS = "/api/v2/chat/completions"
MESSAGES = [{"role": "user", "content": "Hi"}]
OPTIONS: dict[str, Any] = {
    "extra_headers": {"X-Trace": "abc"},
    "extra_query": {"trace": "1"},
    "extra_body": {"custom_flag": True},
}


def _last(server: RunningServer, path: str) -> Any:
    return server.state.requests_to(path)[-1]


def test_chat_create_sends_the_extra_headers_query_and_body(mode: str, client: Qwen, server: RunningServer) -> None:
    response = call(mode, client, "chat.create", MESSAGES, **OPTIONS)
    assert response.choices[0].message.content
    sent = _last(server, COMPLETIONS)
    assert sent.headers["x-trace"] == "abc"
    assert sent.query["trace"] == "1" and sent.query["chat_id"]  # added to the SDK's own query
    assert sent.json["custom_flag"] is True and sent.json["messages"]  # merged into the SDK's body
    new_chat = _last(server, "/api/v2/chats/new")
    assert new_chat.headers["x-trace"] == "abc"  # headers and query go on every request of the call
    assert "custom_flag" not in (new_chat.json or {})  # the body only into the completion request


def test_options_do_not_leak_into_the_next_call(mode: str, client: Qwen, server: RunningServer) -> None:
    call(mode, client, "chat.create", MESSAGES, **OPTIONS)
    call(mode, client, "chat.create", MESSAGES)
    sent = _last(server, COMPLETIONS)
    assert "x-trace" not in sent.headers and "trace" not in sent.query and "custom_flag" not in sent.json


def test_every_resource_method_takes_the_options(mode: str, client: Qwen, server: RunningServer) -> None:
    headers = {"X-Trace": mode}
    call(mode, client, "completion.create", prompt="Hi", extra_headers=headers)
    call(mode, client, "images.generate", "a cat", extra_headers=headers)
    call(mode, client, "models.list", extra_headers=headers)
    call(mode, client, "account.retrieve", extra_headers=headers)
    conversation = call(mode, client, "chats.new", extra_headers=headers)
    call(mode, client, "chats.get", conversation.chat_id, extra_headers=headers)
    call(mode, client, "chats.delete", conversation.chat_id, extra_headers=headers)
    assert {r.headers.get("x-trace") for r in server.state.requests[-9:]} == {mode}


def test_calls_without_a_body_send_extra_body_and_extra_query_overrides(
    mode: str, client: Qwen, server: RunningServer
) -> None:
    call(mode, client, "models.list", extra_body={"custom_flag": 1})
    assert _last(server, "/api/v2/models/").json == {"custom_flag": 1}  # sent, as openai-python does
    conversation = call(mode, client, "chats.new")
    call(mode, client, "chats.delete", conversation.chat_id, extra_body={"custom_flag": 2})
    assert server.state.requests[-1].method == "DELETE" and server.state.requests[-1].json == {"custom_flag": 2}
    with pytest.raises(QwenAPIError, match="not found"):  # the chat_id given replaces the SDK's
        call(mode, client, "chat.create", MESSAGES, extra_query={"chat_id": "no-such-chat"})
    assert _last(server, COMPLETIONS).query["chat_id"] == "no-such-chat"


def test_models_retrieve_sends_its_options_even_with_the_list_cached(
    mode: str, client: Qwen, server: RunningServer
) -> None:
    call(mode, client, "models.list")  # the list is cached now
    before = len(server.state.requests_to("/api/v2/models/"))
    assert call(mode, client, "models.retrieve", "qwen3.7-plus").id == "qwen3.7-plus"
    assert len(server.state.requests_to("/api/v2/models/")) == before  # no options: the cache answers
    model = call(
        mode, client, "models.retrieve", "qwen3.7-plus", extra_headers={"X-Trace": mode}, extra_query={"t": "1"}
    )
    assert model.id == "qwen3.7-plus"
    sent = _last(server, "/api/v2/models/")  # options given: they are sent, not dropped for the cache
    assert len(server.state.requests_to("/api/v2/models/")) == before + 1
    assert sent.headers["x-trace"] == mode and sent.query["t"] == "1"


def test_a_fault_header_per_call_proves_headers_reach_the_server(mode: str, client: Qwen) -> None:
    with pytest.raises(QwenAPIError) as info:
        call(mode, client, "chat.create", MESSAGES, extra_headers={FAULT_HEADER: "http_503"})
    assert info.value.status_code == 503


def test_bad_options_are_refused_before_anything_is_sent(client: Qwen) -> None:
    with pytest.raises(TypeError, match="extra_headers"):
        client.chat.create(MESSAGES, extra_headers={"X": object()})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="extra_body"):
        client.chat.create(MESSAGES, extra_body=["not", "a", "mapping"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout"):
        client.chat.create(MESSAGES, timeout=-1)


def test_upload_takes_the_options(mode: str, client: Qwen, server: RunningServer, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    result = call(mode, client, "chat.upload_file", file_path=text, extra_headers={"X-Trace": "up"})
    assert isinstance(result, FileResult)
    assert all(r.headers.get("x-trace") == "up" for r in server.state.requests if r.path.startswith("/api/v2/files"))
    assert not any("x-trace" in r.headers for r in server.state.oss_requests)  # never to the storage host


def test_concurrent_calls_keep_their_own_options(server: RunningServer) -> None:
    """Options live in the call's own context: concurrent tasks and other clients never see them."""

    async def main() -> None:
        async with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0) as client:
            async with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0) as other:
                await asyncio.gather(
                    client.chat.acreate(MESSAGES, extra_headers={"X-Trace": "a"}),
                    client.chat.acreate(MESSAGES, extra_headers={"X-Trace": "b"}),
                    client.chat.acreate(MESSAGES),
                    other.chat.acreate(MESSAGES),
                )

    before = len(server.state.requests_to(COMPLETIONS))
    asyncio.run(main())
    traces = [r.headers.get("x-trace") for r in server.state.requests_to(COMPLETIONS)[before:]]
    assert sorted(map(str, traces)) == ["None", "None", "a", "b"]


# -- timeout= per request (the request's own timeout reaches httpx) ------------------------------------


def _recording_transport(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, json={"success": False, "data": {"code": "Internal_Error"}})

    return httpx.MockTransport(handler)


def test_timeout_per_request_overrides_the_clients() -> None:
    seen: list[httpx.Request] = []
    with Qwen(
        api_key=TOKEN,
        base_url="http://qwen.test",
        max_retries=0,
        timeout=30,
        http_client=httpx.Client(transport=_recording_transport(seen)),
    ) as client:
        with pytest.raises(QwenAPIError):
            client.chat.create(MESSAGES, model="qwen3.7-max", timeout=2.5)
        with pytest.raises(QwenAPIError):
            client.chat.create(MESSAGES, model="qwen3.7-max")
    assert seen[0].extensions["timeout"]["read"] == 2.5
    assert seen[1].extensions["timeout"]["read"] == 30


def test_a_stalled_call_times_out_with_its_own_timeout(mode: str, server: RunningServer) -> None:
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=60) as client:
        with pytest.raises(QwenTimeoutError):
            call(
                mode, client, "chat.create", MESSAGES, timeout=0.3, extra_headers={FAULT_HEADER: "stall_before_headers"}
            )


# -- with_options ----------------------------------------------------------------------------------------


def test_with_options_is_a_cheap_copy_sharing_the_pool(client: Qwen, server: RunningServer) -> None:
    client.chat.create(MESSAGES)
    copy = client.with_options(timeout=5, max_retries=1, default_headers={"X-Copy": "yes"})
    assert (copy.timeout, copy.max_retries, client.timeout, client.max_retries) == (5, 1, 10, 0)
    assert copy._http() is client._http()  # one connection pool
    copy.chat.create(MESSAGES)
    assert _last(server, COMPLETIONS).headers["x-copy"] == "yes"
    client.chat.create(MESSAGES)
    assert "x-copy" not in _last(server, COMPLETIONS).headers
    copy.close()  # closing a copy leaves the original's pool alone
    assert client.chat.create(MESSAGES).choices[0].message.content
    assert client.copy is not None and Qwen.copy is Qwen.with_options


def test_with_options_async_shares_the_loop_pool(server: RunningServer) -> None:
    async def main() -> None:
        async with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0) as client:
            await client.chat.acreate(MESSAGES)
            copy = client.with_options(default_headers={"X-Copy": "async"})
            await copy.chat.acreate(MESSAGES)
            assert copy._ahttp() is client._ahttp()
            assert _last(server, COMPLETIONS).headers["x-copy"] == "async"

    asyncio.run(main())


def test_a_copy_for_another_server_sends_and_renews_its_credentials_there(server: RunningServer) -> None:
    """The token manager sends credentials to one host only: a copy with another ``base_url`` sent
    none at all, and renewed an expired token at the production auth host."""
    expired = server.mint_token(lifetime=-60)
    original = Qwen(api_key=expired, refresh_token=server.mint_refresh_token(), max_retries=0)  # production
    with original.with_options(base_url=server.url) as copy:
        assert copy.models.list()
        assert [r.path for r in server.state.requests[-2:]] == ["/api/v2/auths/refresh", "/api/v2/models/"]
        assert server.state.requests[-1].headers["authorization"] != f"Bearer {expired}"  # the renewed one
    assert original._config.auth_base_url == "https://auth.qwen.ai"  # the original is untouched
    pinned = Qwen(api_key="t", auth_base_url="http://127.0.0.1:9").with_options(base_url=server.url)
    assert pinned._config.auth_base_url == "http://127.0.0.1:9"  # an auth host that was set stays
    original.close()
    pinned.close()


def test_with_options_refuses_bad_values(client: Qwen) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        client.with_options(max_retries=-1)
    with pytest.raises(TypeError, match="timeout"):
        client.with_options(timeout="5")  # type: ignore[arg-type]


def test_a_closed_original_closes_its_copies(server: RunningServer) -> None:
    client = Qwen(api_key=TOKEN, base_url=server.url, max_retries=0)
    copy = client.with_options(timeout=3)
    client.close()
    with pytest.raises(QwenAPIError, match="closed"):
        copy.chat.create(MESSAGES)


# -- with_raw_response -----------------------------------------------------------------------------------


def test_raw_response_exposes_status_headers_and_the_parsed_result(
    mode: str, client: Qwen, server: RunningServer
) -> None:
    raw: RawResponse[ChatResponse]
    if mode == "sync":
        raw = client.chat.with_raw_response.create(MESSAGES, extra_headers={"X-Trace": "raw"})
    else:
        raw = asyncio.run(client.chat.with_raw_response.acreate(MESSAGES, extra_headers={"X-Trace": "raw"}))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("text/event-stream")
    assert raw.method == "POST" and COMPLETIONS in raw.url
    assert raw.retries_taken == 0
    response = raw.parse()
    assert isinstance(response, ChatResponse) and response.choices[0].message.content
    assert _last(server, COMPLETIONS).headers["x-trace"] == "raw"  # the call's own options still apply
    assert "200" in repr(raw)


def test_raw_response_of_a_stream_parses_to_the_stream(client: Qwen) -> None:
    raw = client.chat.with_raw_response.create(MESSAGES, stream=True)
    stream = raw.parse()
    assert isinstance(stream, Stream)
    with stream:
        chunks = list(stream)
    assert all(isinstance(chunk, ChatResponseStream) for chunk in chunks) and stream.text
    assert raw.status_code == 200


def test_retries_behave_the_same_through_per_call_options(mode: str) -> None:
    """The options wrapper hands every error back to the retry loop: a 503 on the completion request
    is retried, the call succeeds, and the raw response counts the retry."""
    with serve() as server, Qwen(api_key=TOKEN, base_url=server.url, max_retries=2) as client:
        server.add_fault("http_503", times=1, path=COMPLETIONS, retry_after=0)
        if mode == "sync":
            raw = client.chat.with_raw_response.create(MESSAGES, extra_headers={"X-Trace": "retry"})
        else:
            raw = asyncio.run(client.chat.with_raw_response.acreate(MESSAGES, extra_headers={"X-Trace": "retry"}))
        assert raw.parse().choices[0].message.content
        assert raw.status_code == 200 and raw.retries_taken == 1
        attempts = server.state.requests_to(COMPLETIONS)
        assert len(attempts) == 2 and all(r.headers["x-trace"] == "retry" for r in attempts)


def test_raw_response_of_a_json_call_keeps_its_body(mode: str, client: Qwen) -> None:
    if mode == "sync":
        raw = client.models.with_raw_response.list()
    else:
        raw = asyncio.run(client.models.with_raw_response.alist())
    assert raw.status_code == 200 and raw.json() == json.loads(raw.text)
    assert [model.id for model in raw.parse()]
    images = client.images.with_raw_response.generate("a cat")
    assert isinstance(images.parse(), ImagesResponse) and images.status_code == 200


# -- to_dict / to_json -----------------------------------------------------------------------------------


def test_responses_and_chunks_serialise(client: Qwen) -> None:
    response = client.chat.create(MESSAGES)
    data = response.to_dict()
    assert data["choices"][0]["message"]["content"] == response.choices[0].message.content  # type: ignore[index,call-overload]
    assert json.loads(response.to_json()) == data
    for chunk in client.chat.create(MESSAGES, stream=True):
        assert json.loads(chunk.to_json(indent=None)) == chunk.to_dict()
        assert "raw" not in chunk.to_dict()
    models = client.models.list()
    assert all(model.to_dict()["id"] for model in models)
    assert isinstance(models, list) and models.to_dict() == {"data": [model.to_dict() for model in models]}
    assert json.loads(models.to_json(indent=None)) == models.to_dict()
    assert "usage" in client.completion.create(prompt="Hi").to_dict()
