"""QwenLlamaIndex as a LlamaIndex component: constructor, fields, secrets, metadata, callbacks, images."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage, ImageBlock, MessageRole, TextBlock
from llama_index.core.callbacks import CallbackManager, CBEventType, LlamaDebugHandler
from llama_index.core.llms import LLM
from pydantic import ValidationError

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenAuthenticationError
from qwen_api.llama_index import DEFAULT_CONTEXT_WINDOW, QwenLlamaIndex
from qwen_api.testing import MODELS, expected_answer

from .conftest import COOKIE, TOKEN

SECRETS = (TOKEN, "cookie-secret-77aa", "cookie-secret-88bb")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def no_secret_in(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


# -- construction ----------------------------------------------------------------------------


def test_documented_constructor_and_defaults(server: Any) -> None:
    llm = QwenLlamaIndex(TOKEN, COOKIE, "qwen3.7-plus", 0.3, 200, base_url=server.url)
    try:
        assert isinstance(llm, LLM)
        assert QwenLlamaIndex.class_name() == "QwenLlamaIndex"
        assert (llm.model, llm.temperature, llm.max_tokens) == ("qwen3.7-plus", 0.3, 200)
        assert llm.base_url == server.url
    finally:
        llm.close()
    defaults = QwenLlamaIndex(auth_token=TOKEN, base_url=server.url)
    try:
        assert (defaults.model, defaults.temperature, defaults.max_tokens) == ("qwen-max-latest", 0.7, 1500)
        assert defaults.timeout == 30 and defaults.context_window is None
    finally:
        defaults.close()


def test_credentials_fall_back_to_the_environment(monkeypatch: pytest.MonkeyPatch, server: Any) -> None:
    monkeypatch.setenv("QWEN_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("QWEN_BASE_URL", server.url)
    llm = QwenLlamaIndex(max_retries=0)
    try:
        assert llm.base_url == server.url
        assert llm.complete("from env").text == expected_answer("from env")
    finally:
        llm.close()


def test_a_missing_token_is_our_authentication_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QWEN_AUTH_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env to find
    with pytest.raises(QwenAuthenticationError, match="no Qwen token"):
        QwenLlamaIndex()


def test_unknown_and_invalid_fields_are_rejected(server: Any) -> None:
    with pytest.raises(ValidationError, match="temprature"):
        QwenLlamaIndex(auth_token=TOKEN, base_url=server.url, temprature=0.1)
    with pytest.raises(ValidationError):
        QwenLlamaIndex(auth_token=TOKEN, base_url=server.url, temperature=3.0)
    with pytest.raises(ValidationError):
        QwenLlamaIndex(auth_token=TOKEN, base_url=server.url, max_tokens=0)


def test_sharing_a_client(server: Any) -> None:
    client = Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=7)
    try:
        llm = QwenLlamaIndex(client=client, model="qwen3.7-plus")
        assert llm.client is client
        assert (llm.timeout, llm.max_retries, llm.base_url) == (7, 0, server.url)
        assert llm.complete("shared").text == expected_answer("shared")
        llm.close()  # not ours to close
        assert client.completion.create(prompt="still open").text == expected_answer("still open")
        with pytest.raises(TypeError, match="auth_token"):
            QwenLlamaIndex(client=client, auth_token=TOKEN)
    finally:
        client.close()


def test_http_clients_can_be_injected() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, json={"success": False, "data": {"code": "Unauthorized", "details": "no"}})

    llm = QwenLlamaIndex(
        auth_token=TOKEN, max_retries=0, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with pytest.raises(QwenAuthenticationError):
        llm.complete("hi")
    assert seen and seen[0].url.host == "chat.qwen.ai"


# -- secrets ---------------------------------------------------------------------------------


def test_credentials_never_show_in_repr_dumps_or_payloads(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    llm = make_llm(cookie=COOKIE)
    for text in (repr(llm), str(llm), str(llm.model_dump()), llm.to_json(), str(llm.to_dict()), str(llm.to_payload())):
        no_secret_in(text)
    assert "auth_token" not in llm.model_dump() and "cookie" not in llm.model_dump()


def test_callback_events_carry_no_credentials(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    debug = LlamaDebugHandler()
    llm = make_llm(cookie=COOKIE, callback_manager=CallbackManager([debug]))
    llm.chat([ChatMessage(role=MessageRole.USER, content="traced")])
    list(llm.stream_complete("traced stream"))
    pairs = debug.get_event_pairs(CBEventType.LLM)
    assert len(pairs) == 2
    start, end = pairs[0]
    assert start.payload is not None and start.payload["serialized"]["class_name"] == "QwenLlamaIndex"
    assert end.payload is not None and end.payload["response"].message.content == expected_answer("traced")
    no_secret_in(repr(pairs))


def test_the_logs_carry_no_credentials(
    make_llm: Callable[..., QwenLlamaIndex], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api")
    llm = make_llm(cookie=COOKIE, default_headers={"x-qwen-mock-fault": "envelope_unauthorized"})
    with pytest.raises(QwenAuthenticationError):
        llm.complete("logged")
    assert llm.metadata.context_window == DEFAULT_CONTEXT_WINDOW
    assert caplog.records
    no_secret_in(caplog.text)


def test_pickling_keeps_settings_but_never_credentials(
    make_llm: Callable[..., QwenLlamaIndex], monkeypatch: pytest.MonkeyPatch, server: Any
) -> None:
    llm = make_llm(cookie=COOKIE, model="qwen3.7-plus", temperature=0.1)
    data = pickle.dumps(llm)
    no_secret_in(data.decode("latin-1"))
    monkeypatch.setenv("QWEN_AUTH_TOKEN", "another-token-from-env")
    copy = pickle.loads(data)
    try:
        assert (copy.model, copy.temperature, copy.base_url) == ("qwen3.7-plus", 0.1, server.url)
        assert copy.complete("unpickled").text == expected_answer("unpickled")
    finally:
        copy.close()


# -- metadata --------------------------------------------------------------------------------


def _catalogue(model_id: str) -> dict[str, Any]:
    return next(m for m in MODELS if m["id"] == model_id)["info"]["meta"]


def test_metadata_comes_from_the_model_list(make_llm: Callable[..., QwenLlamaIndex], server: Any) -> None:
    llm = make_llm(model="qwen3-coder-plus")
    meta = llm.metadata
    assert meta.context_window == _catalogue("qwen3-coder-plus")["max_context_length"]
    assert meta.num_output == 1500
    assert meta.is_chat_model is True and meta.is_function_calling_model is False
    assert meta.model_name == "qwen3-coder-plus"
    # Once per model: later reads (and every callback payload) do not ask again.
    asked = len(server.state.requests_to("/api/v2/models/"))
    assert llm.metadata == meta
    llm.complete("no new lookup")
    assert len(server.state.requests_to("/api/v2/models/")) == asked


def test_metadata_resolves_aliases_and_uses_the_generation_limit(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    llm = make_llm(max_tokens=None)
    resolved = llm.client.models.retrieve("qwen-max-latest")
    meta = llm.metadata
    assert meta.model_name == "qwen-max-latest"
    assert meta.context_window == resolved.max_context_length
    assert meta.num_output == resolved.max_generation_length


def test_an_explicit_context_window_skips_the_lookup(make_llm: Callable[..., QwenLlamaIndex], server: Any) -> None:
    asked = len(server.state.requests_to("/api/v2/models/"))
    llm = make_llm(context_window=4096, model="qwen3.7-plus")
    assert llm.metadata.context_window == 4096
    assert len(server.state.requests_to("/api/v2/models/")) == asked


def test_metadata_falls_back_when_the_model_list_fails(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api.llama_index")
    llm = QwenLlamaIndex(auth_token=TOKEN, base_url="http://127.0.0.1:9", max_retries=0, timeout=2)
    try:
        meta = llm.metadata
    finally:
        llm.close()
    assert meta.context_window == DEFAULT_CONTEXT_WINDOW == 131072
    assert meta.num_output == 1500 and meta.is_chat_model
    assert any("metadata uses defaults" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)


def test_metadata_falls_back_when_the_client_has_no_model_list(
    make_llm: Callable[..., QwenLlamaIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    llm = make_llm(model="qwen3.7-plus")
    monkeypatch.delattr(llm.client, "models")
    assert llm.metadata.context_window == DEFAULT_CONTEXT_WINDOW


def test_metadata_of_an_unknown_model_falls_back(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    assert make_llm(model="not-a-listed-model").metadata.context_window == DEFAULT_CONTEXT_WINDOW


# -- images over the socket -------------------------------------------------------------------


def _last_files(server: Any) -> list[dict[str, Any]]:
    body = server.state.requests_to("/api/v2/chat/completions")[-1].json
    files: list[dict[str, Any]] = body["messages"][-1]["files"]
    return files


def test_an_image_url_is_referenced_not_uploaded(llm: QwenLlamaIndex, server: Any) -> None:
    uploads = len(server.state.uploads)
    message = ChatMessage(
        role="user", blocks=[TextBlock(text="what is this"), ImageBlock(url="https://example.com/cat.png")]
    )
    assert llm.chat([message]).message.content == expected_answer("what is this")
    [file] = _last_files(server)
    assert file["url"] == "https://example.com/cat.png" and file["type"] == "image"
    assert len(server.state.uploads) == uploads


@pytest.mark.parametrize("source", ["path", "bytes"])
def test_image_paths_and_bytes_are_uploaded_by_our_client(
    llm: QwenLlamaIndex, server: Any, tmp_path: Path, source: str
) -> None:
    picture = tmp_path / "pixel.png"
    picture.write_bytes(PNG)
    block = ImageBlock(path=picture) if source == "path" else ImageBlock(image=PNG)
    before = set(server.state.uploads)
    response = llm.chat([ChatMessage(role="user", blocks=[TextBlock(text="describe"), block])])
    assert response.message.content == expected_answer("describe")
    [key] = set(server.state.uploads) - before
    assert server.state.uploads[key].md5 == hashlib.md5(PNG).hexdigest()
    [file] = _last_files(server)
    assert file["type"] == "image" and key in file["url"]


async def test_async_chat_uploads_images_too(llm: QwenLlamaIndex, server: Any, tmp_path: Path) -> None:
    picture = tmp_path / "pixel.png"
    picture.write_bytes(PNG)
    before = set(server.state.uploads)
    message = ChatMessage(role="user", blocks=[TextBlock(text="async image"), ImageBlock(path=picture)])
    responses = [r async for r in await llm.astream_chat([message])]
    assert responses[-1].message.content == expected_answer("async image")
    assert len(set(server.state.uploads) - before) == 1


async def test_metadata_read_on_an_event_loop_never_blocks_it(make_llm: Callable[..., QwenLlamaIndex]) -> None:
    """An async pipeline reading ``metadata`` gets the defaults at once (no sync request on the loop);
    the model list is fetched in the background, and later reads see its limits."""
    llm = make_llm(model="qwen3-coder-plus")
    first = llm.metadata
    assert first.context_window == DEFAULT_CONTEXT_WINDOW
    assert llm.client._sync_client is None  # nothing was sent with the blocking client
    await asyncio.gather(*llm._lookups.values())
    assert llm.metadata.context_window == _catalogue("qwen3-coder-plus")["max_context_length"]
