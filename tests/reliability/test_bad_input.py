"""Bad input fails before anything is sent, with a clear error naming the offending field.

``tests/unit/test_config_and_inputs.py`` covers the message normaliser and a few client arguments
directly. Here every public method is called, sync and async, against a live local server, and the
server must have seen *no* request afterwards (no chat created, no upload grant, no storage PUT).
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_api import Qwen, _files
from qwen_api.core.exceptions import QwenInvalidRequestError
from qwen_api.testing import RunningServer
from qwen_api.types.chat import ChatMessage, DocumentBlock, ImageBlock
from tests.e2e.test_upload import png_bytes
from tests.reliability.conftest import MODEL, TOKEN

OK = [{"role": "user", "content": "hi"}]
ASYNC_NAMES = {"create": "acreate", "upload_file": "async_upload_file", "send": "asend"}

# (method, kwargs, exception class, regex the message must match: the offending field)
Case = tuple[str, dict[str, Any], type[Exception], str]

MESSAGE_CASES: list[Case] = [
    ("chat.create", {"messages": "hello"}, TypeError, "messages"),
    ("chat.create", {"messages": {"role": "user", "content": "hi"}}, TypeError, "messages"),
    ("chat.create", {"messages": ChatMessage(role="user", content="hi")}, TypeError, "messages"),
    ("chat.create", {"messages": None}, TypeError, "messages"),
    ("chat.create", {"messages": 42}, TypeError, "messages"),
    ("chat.create", {"messages": b"hi"}, TypeError, "messages"),
    ("chat.create", {"messages": []}, ValueError, "messages"),
    ("chat.create", {"messages": [{"role": "wizard", "content": "x"}]}, ValueError, "role"),
    ("chat.create", {"messages": [{"role": 42, "content": "x"}]}, TypeError, "role"),
    ("chat.create", {"messages": [{"role": "assistant", "content": "x"}]}, ValueError, "role"),
    ("chat.create", {"messages": [{"role": "user", "content": ""}]}, ValueError, r"messages\[0\]"),
    ("chat.create", {"messages": [{"role": "user", "content": "   "}]}, ValueError, r"messages\[0\]"),
    ("chat.create", {"messages": [{"role": "user", "content": None}]}, ValueError, r"messages\[0\]"),
    ("chat.create", {"messages": [{"role": "user", "content": 42}]}, TypeError, "content"),
    ("chat.create", {"messages": [{"role": "user", "content": b"bytes"}]}, TypeError, "content"),
    ("chat.create", {"messages": [{"role": "user", "content": "x", "colour": "red"}]}, ValueError, "colour"),
    ("chat.create", {"messages": [{"role": "user", "content": [42]}]}, TypeError, r"blocks\[0\]"),
    ("chat.create", {"messages": [{"role": "user", "content": [{"type": "audio_url"}]}]}, ValueError, "audio_url"),
    ("chat.create", {"messages": [{"role": "user", "content": [{"type": "text", "text": 42}]}]}, TypeError, "text"),
    ("chat.create", {"messages": [{"role": "user", "content": [{"type": "text"}]}]}, TypeError, "text"),
    ("chat.create", {"messages": [{"role": "user", "blocks": [{"block_type": "sound"}]}]}, ValueError, "sound"),
    ("chat.create", {"messages": [{"role": "user", "blocks": [{"block_type": "image"}]}]}, ValueError, "ImageBlock"),
    (
        "chat.create",
        {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": 42}}]}]},
        TypeError,
        "url",
    ),
    ("chat.create", {"messages": [{"role": "user", "content": "x"}, 42]}, TypeError, r"messages\[1\]"),
    ("chat.create", {"messages": [{"role": "user", "content": ""}, *OK]}, ValueError, r"messages\[0\]"),
    ("chat.create", {"messages": [{"role": "user", "content": "x", "web_search": "yes"}]}, TypeError, "web_search"),
    ("chat.create", {"messages": [{"role": "user", "content": "x", "thinking": "no"}]}, TypeError, "thinking"),
    (
        "chat.create",
        {"messages": [{"role": "user", "content": "x", "thinking_mode": "slow"}]},
        ValueError,
        "thinking_mode",
    ),
]


def option_cases(method: str, base: dict[str, Any]) -> list[Case]:
    """The per-call options every answering method shares."""
    cases: list[Case] = [
        (method, {**base, "model": 42}, TypeError, "model"),
        (method, {**base, "model": None}, TypeError, "model"),
        (method, {**base, "model": ""}, ValueError, "model"),
        (method, {**base, "model": "   "}, ValueError, "model"),
        (method, {**base, "model": "m" * 5_000_000}, ValueError, "model is 5000000 characters"),
        (method, {**base, "extra_body": {"x": "hi \ud800"}}, ValueError, "lone surrogate"),
        (method, {**base, "extra_query": {"x": "hi \ud800"}}, ValueError, "lone surrogate"),
    ]
    if method.startswith("images"):
        return cases
    cases += [
        (method, {**base, "temperature": "hot"}, TypeError, "temperature"),
        (method, {**base, "temperature": True}, TypeError, "temperature"),
        (method, {**base, "temperature": -0.1}, ValueError, "temperature"),
        (method, {**base, "temperature": 2.5}, ValueError, "temperature"),
        (method, {**base, "temperature": math.nan}, ValueError, "temperature"),
        (method, {**base, "temperature": math.inf}, ValueError, "temperature"),
        (method, {**base, "max_tokens": 1.5}, TypeError, "max_tokens"),
        (method, {**base, "max_tokens": "10"}, TypeError, "max_tokens"),
        (method, {**base, "max_tokens": True}, TypeError, "max_tokens"),
        (method, {**base, "max_tokens": 0}, ValueError, "max_tokens"),
        (method, {**base, "max_tokens": -3}, ValueError, "max_tokens"),
        (method, {**base, "stream": "yes"}, TypeError, "stream"),
        (method, {**base, "stream": 1}, TypeError, "stream"),
        (method, {**base, "thinking": "yes"}, TypeError, "thinking"),
        (method, {**base, "thinking_mode": "turbo"}, ValueError, "thinking_mode"),
        (method, {**base, "web_search": 1}, TypeError, "web_search"),
        (method, {**base, "thinking": False, "thinking_mode": "thinking"}, ValueError, "contradicts thinking_mode"),
        (method, {**base, "thinking": True, "thinking_mode": "fast"}, ValueError, "contradicts thinking_mode"),
    ]
    return cases


CALL_CASES: list[Case] = [
    *MESSAGE_CASES,
    *option_cases("chat.create", {"messages": OK}),
    ("chat.create", {"messages": OK, "files": "x"}, TypeError, "files"),
    ("chat.create", {"messages": OK, "files": [42]}, TypeError, r"files\[0\]"),
    *option_cases("completion.create", {"prompt": "hi"}),
    ("completion.create", {"prompt": None}, TypeError, "prompt"),
    ("completion.create", {"prompt": 42}, TypeError, "prompt"),
    ("completion.create", {"prompt": b"hi"}, TypeError, "prompt"),
    ("completion.create", {"prompt": ""}, ValueError, "prompt"),
    ("completion.create", {"prompt": "  \n"}, ValueError, "prompt"),
    *option_cases("images.generate", {"prompt": "a cat"}),
    ("images.generate", {"prompt": 42}, TypeError, "prompt"),
    ("images.generate", {"prompt": ""}, ValueError, "prompt"),
    ("images.generate", {"prompt": "a cat", "size": "2:1"}, ValueError, "size"),
    ("images.generate", {"prompt": "a cat", "size": "1:1 "}, ValueError, "size"),
    ("images.generate", {"prompt": "a cat", "size": 1}, ValueError, "size"),
    ("chats.get", {"chat_id": 42}, TypeError, "chat_id"),
    ("chats.get", {"chat_id": None}, TypeError, "chat_id"),
    ("chats.get", {"chat_id": ""}, ValueError, "chat_id"),
    ("chats.get", {"chat_id": "   "}, ValueError, "chat_id"),
    ("chats.get", {"chat_id": "a/b"}, ValueError, "chat_id"),
    ("chats.delete", {"chat_id": 42}, TypeError, "chat_id"),
    ("chats.delete", {"chat_id": "../x"}, ValueError, "chat_id"),
    ("chats.stop", {"chat_id": 42}, TypeError, "chat_id"),
    ("chats.stop", {"chat_id": "c1", "response_id": 42}, TypeError, "response_id"),
    ("chats.new", {"model": 42}, TypeError, "model"),
    ("chats.new", {"model": MODEL, "chat_type": 42}, TypeError, "chat_type"),
    ("chats.list", {"page": 0}, ValueError, "page"),
    ("chats.list", {"page": -1}, ValueError, "page"),
    ("chats.list", {"page": "1"}, ValueError, "page"),
    ("conversation.send", {"message": ""}, ValueError, r"messages\[0\]"),
    ("conversation.send", {"message": [{"role": "wizard", "content": "x"}]}, ValueError, "role"),
    ("conversation.send", {"message": "hi", "stream": "yes"}, TypeError, "stream"),
    ("conversation.send", {"message": "hi", "thinking_mode": "turbo"}, ValueError, "thinking_mode"),
]


def case_id(case: Case) -> str:
    method, kwargs, _, _ = case
    shown = ",".join(
        f"{k}={v!r}"[:28] for k, v in kwargs.items() if k not in ("messages", "prompt") or len(kwargs) == 1
    )
    return f"{method}[{shown}]"


@pytest.fixture(scope="module")
def seen(server: RunningServer) -> Iterator[Any]:
    def count() -> int:
        state = server.state
        return len(state.requests) + len(state.oss_requests) + len(state.grants)

    yield count


def invoke(mode: str, client: Qwen, method: str, kwargs: dict[str, Any]) -> Any:
    """Call ``resource.method(**kwargs)`` in ``mode``; generators and streams are drained."""
    resource_name, name = method.split(".")
    if resource_name == "conversation":
        resource: Any = client.chats.resume("chat-1", model=MODEL)  # no I/O
    else:
        resource = getattr(client, resource_name)
    if mode == "sync":
        result = getattr(resource, name)(**kwargs)
        return list(result) if isinstance(result, types.GeneratorType) else result

    async def run() -> Any:
        async with Qwen(api_key=TOKEN, base_url=client.base_url, max_retries=0, timeout=5) as aclient:
            target: Any = aclient.chats.resume("chat-1", model=MODEL) if resource_name == "conversation" else None
            target = target or getattr(aclient, resource_name)
            attribute = getattr(target, ASYNC_NAMES.get(name, "a" + name))
            result = attribute(**kwargs)
            if hasattr(result, "__aiter__"):
                return [item async for item in result]
            return await result

    return asyncio.run(run())


@pytest.fixture
def client(server: RunningServer) -> Iterator[Qwen]:
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=5) as qwen:
        yield qwen


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", CALL_CASES, ids=case_id)
def test_bad_call_is_refused_before_any_request(case: Case, mode: str, client: Qwen, seen: Any) -> None:
    method, kwargs, error, field = case
    before = seen()
    with pytest.raises(error, match=field) as info:
        invoke(mode, client, method, kwargs)
    assert "\n" not in str(info.value)
    assert seen() == before, "the server saw a request"


# --------------------------------------------------------------------------------------------------
# Files


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"png": tmp_path / "ok.png", "empty": tmp_path / "empty.png", "dir": tmp_path / "folder"}
    paths["png"].write_bytes(png_bytes())
    paths["empty"].write_bytes(b"")
    paths["dir"].mkdir()
    fifo = tmp_path / "pipe"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        paths["fifo"] = fifo
    return paths


@pytest.fixture
def unreadable(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file that exists but cannot be opened (simulated: root reads anything despite chmod 000)."""
    target = files["png"].parent / "secret.png"
    target.write_bytes(png_bytes())
    target.chmod(0)
    real_open = _files.open_regular

    def guarded(path: Path) -> Any:
        if path == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(_files, "open_regular", guarded)  # the one place upload files are opened
    return target


UPLOAD_CASES: list[tuple[str, type[Exception], str]] = [
    ("missing", QwenInvalidRequestError, "file_path.*no such file"),
    ("dir", QwenInvalidRequestError, "file_path.*directory"),
    ("empty", QwenInvalidRequestError, "file_path.*empty"),
    ("fifo", QwenInvalidRequestError, "file_path.*not a regular file"),
    ("unreadable", QwenInvalidRequestError, "file_path.*not readable"),
    ("too_big", QwenInvalidRequestError, "file_path.*too large"),
    ("int_path", QwenInvalidRequestError, "file_path.*expected a path"),
    ("nothing", QwenInvalidRequestError, "exactly one of file_path"),
    ("two_sources", QwenInvalidRequestError, "exactly one of file_path"),
    ("base64_int", TypeError, "base64_data"),
    ("base64_bad", QwenInvalidRequestError, "base64_data.*not valid base64"),
    ("base64_empty", QwenInvalidRequestError, "base64_data.*empty"),
    ("data_url_not_base64", QwenInvalidRequestError, "base64_data.*base64-encoded"),
    ("file_text_mode", QwenInvalidRequestError, "file.*binary mode"),
    ("file_empty", QwenInvalidRequestError, "file.*empty"),
    ("progress_not_callable", TypeError, "progress"),
    ("signature_version", ValueError, "signature_version"),
    ("unknown_argument", TypeError, "colour"),
]


def upload_kwargs(name: str, files: dict[str, Path], request: pytest.FixtureRequest) -> dict[str, Any]:
    if name == "fifo" and "fifo" not in files:
        pytest.skip("no named pipes on this platform")
    if name == "unreadable":
        return {"file_path": str(request.getfixturevalue("unreadable"))}
    if name == "too_big":
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setattr(_files, "SIZE_LIMITS", types.MappingProxyType(dict.fromkeys(_files.SIZE_LIMITS, 16)))
        return {"file_path": str(files["png"])}
    table: dict[str, dict[str, Any]] = {
        "missing": {"file_path": str(files["png"].parent / "nope.png")},
        "dir": {"file_path": str(files["dir"])},
        "empty": {"file_path": str(files["empty"])},
        "fifo": {"file_path": str(files.get("fifo"))},
        "int_path": {"file_path": 42},
        "nothing": {},
        "two_sources": {"file_path": str(files["png"]), "base64_data": "aGk="},
        "base64_int": {"base64_data": 42},
        "base64_bad": {"base64_data": "not base64 at all!"},
        "base64_empty": {"base64_data": ""},
        "data_url_not_base64": {"base64_data": "data:image/png,abc"},
        "file_text_mode": {"file": io.StringIO("text")},
        "file_empty": {"file": io.BytesIO(b"")},
        "progress_not_callable": {"file_path": str(files["png"]), "progress": 1},
        "signature_version": {"file_path": str(files["png"]), "signature_version": "v3"},
        "unknown_argument": {"file_path": str(files["png"]), "colour": "red"},
    }
    return table[name]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("name", "error", "field"), UPLOAD_CASES, ids=[c[0] for c in UPLOAD_CASES])
def test_unusable_upload_is_refused_before_any_request(
    name: str,
    error: type[Exception],
    field: str,
    mode: str,
    files: dict[str, Path],
    client: Qwen,
    seen: Any,
    request: pytest.FixtureRequest,
) -> None:
    kwargs = upload_kwargs(name, files, request)
    before = seen()
    with pytest.raises(error, match=field):
        invoke(mode, client, "chat.upload_file", kwargs)
    assert seen() == before, "the server saw a request"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("value", [42, None])
def test_conversation_send_of_a_non_message_names_the_parameter(value: object, mode: str, client: Qwen) -> None:
    with pytest.raises(TypeError, match="message"):
        invoke(mode, client, "conversation.send", {"message": value})


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    "value",
    [
        "not a file",
        42,
    ],
)
def test_upload_of_something_that_is_not_a_file_object(value: object, mode: str, client: Qwen, seen: Any) -> None:
    before = seen()
    with pytest.raises((TypeError, QwenInvalidRequestError), match="file"):
        invoke(mode, client, "chat.upload_file", {"file": value})
    assert seen() == before


def test_file_object_errors_name_the_file_parameter(client: Qwen) -> None:
    with pytest.raises(QwenInvalidRequestError) as info:
        client.chat.upload_file(file=io.StringIO("text"))
    assert str(info.value).startswith("file:")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_bad_attachment_stops_the_whole_turn_before_any_upload(
    mode: str, files: dict[str, Path], client: Qwen, seen: Any
) -> None:
    message = ChatMessage(
        role="user",
        content="two files",
        blocks=[ImageBlock(path=str(files["png"])), DocumentBlock(path=str(files["png"].parent / "missing.pdf"))],
    )
    before = seen()
    with pytest.raises(QwenInvalidRequestError, match=r"DocumentBlock\.path.*no such file"):
        invoke(mode, client, "chat.create", {"messages": [message], "model": MODEL})
    assert seen() == before, "an upload started although another attachment was unusable"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_bad_options_are_checked_before_attachments_are_uploaded(
    mode: str, files: dict[str, Path], client: Qwen, seen: Any
) -> None:
    message = ChatMessage(role="user", content="an image", blocks=[ImageBlock(path=str(files["png"]))])
    before = seen()
    with pytest.raises(ValueError, match="temperature"):
        invoke(mode, client, "chat.create", {"messages": [message], "model": MODEL, "temperature": 9})
    assert seen() == before


def test_ready_made_file_refs_are_type_checked(client: Qwen, seen: Any) -> None:
    before = seen()
    with pytest.raises(TypeError, match=r"files\[0\]"):
        client.chat.create(OK, model=MODEL, files=[{"url": 1, "type": 2}])  # type: ignore[list-item]
    assert seen() == before


# --------------------------------------------------------------------------------------------------
# Client construction


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"base_url": "127.0.0.1:8080"}, ValueError, "base_url"),
        ({"base_url": "ftp://chat.qwen.ai"}, ValueError, "base_url"),
        ({"base_url": 42}, TypeError, "base_url"),
        ({"base_url": ""}, ValueError, "base_url"),  # not a silent switch to the production service
        ({"base_url": "   "}, ValueError, "base_url"),
        ({"base_url": "http://"}, ValueError, "base_url"),
        ({"auth_base_url": ""}, ValueError, "auth_base_url"),
        ({"auth_base_url": "auth.qwen.ai"}, ValueError, "auth_base_url"),
        ({"timeout": math.nan}, ValueError, "timeout"),
        ({"timeout": math.inf}, ValueError, "timeout"),
        ({"timeout": -0.5}, ValueError, "timeout"),
        ({"timeout": True}, TypeError, "timeout"),
        ({"max_retries": 1.5}, ValueError, "max_retries"),
        ({"max_retries": "2"}, ValueError, "max_retries"),
        ({"max_retries": True}, ValueError, "max_retries"),
        ({"default_headers": {"x-a": 1}}, TypeError, "default_headers"),
        ({"cookie": 42}, TypeError, "cookie"),
        ({"on_token_refresh": 42}, TypeError, "on_token_refresh"),
        ({"logging_level": "CHATTY"}, ValueError, "logging_level"),
    ],
)
def test_bad_client_arguments_are_refused(kwargs: dict[str, Any], error: type[Exception], field: str) -> None:
    with pytest.raises(error, match=field):
        Qwen(api_key=TOKEN, **kwargs)


def test_a_bad_page_is_refused_at_the_call_not_at_iteration(client: Qwen) -> None:
    with pytest.raises(ValueError, match="page"):
        client.chats.list(page=0)  # not iterated
    with pytest.raises(ValueError, match="page"):
        client.chats.alist(page=0)  # not iterated, not awaited
