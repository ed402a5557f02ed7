"""Uploads end to end: STS grant, signed streamed PUT verified by the server, parse, then a chat turn."""

from __future__ import annotations

import asyncio
import base64
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api._upload import _parse_sts
from qwen_api.core.exceptions import QwenInvalidRequestError, QwenUploadError
from qwen_api.testing import RunningServer, ServerConfig, expected_answer, serve
from qwen_api.types.chat import ChatMessage, ImageBlock, TextBlock
from tests.e2e.conftest import call


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "photo 1 (copy) 图片+%#.png"
    path.write_bytes(png_bytes())
    return path


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n")
    return path


def test_image_and_pdf_upload_then_chat(mode: str, client: Qwen, server: RunningServer, image: Path, pdf: Path) -> None:
    progress: list[tuple[int, int]] = []
    picture = call(
        mode, client, "chat.upload_file", file_path=str(image), progress=lambda s, t: progress.append((s, t))
    )
    assert progress[-1] == (picture.size, picture.size)
    document = call(mode, client, "chat.upload_file", file_path=str(pdf))
    assert (picture.file_type, picture.file_class, picture.mimetype) == ("image", "vision", "image/png")
    assert (document.file_type, document.file_class, document.parse_status) == ("file", "document", "success")
    for result in (picture, document):
        upload = server.state.uploads[result.file_path]
        assert upload.verdict == "ok" and upload.size == result.size
    assert server.state.oss_saw_chat_credentials is False

    message = ChatMessage(role="user", blocks=[TextBlock(text="what is this?"), ImageBlock(url=picture.file_url)])
    response = call(mode, client, "chat.create", [message], files=[document])
    assert response.choices[0].message.content == expected_answer("what is this?")
    files = server.state.requests[-1].json["messages"][0]["files"]
    assert [f["type"] for f in files] == ["file", "image"]
    recorded_keys = {
        "type",
        "file",
        "id",
        "url",
        "name",
        "size",
        "file_type",
        "showType",
        "file_class",
        "status",
        "greenNet",
        "itemId",
        "uploadTaskId",
        "collection_name",
        "progress",
        "error",
    }
    assert set(files[0]) == recorded_keys
    assert files[0]["file"]["meta"]["parse_meta"] == {"parse_status": "success"}
    # The documented ImageBlock(url=result.file_url) sends the upload's full entry, not a URL-only one.
    assert set(files[1]) == recorded_keys
    assert files[1] == json.loads(json.dumps(picture.to_file_ref()))
    assert files[1]["id"] == picture.file_id and files[1]["size"] == picture.size


def test_a_url_this_client_did_not_upload_still_goes_out_as_a_reference(
    mode: str, client: Qwen, server: RunningServer
) -> None:
    url = "https://cdn.example.test/pictures/cat.png?x-oss-expires=1"
    message = ChatMessage(
        role="user", blocks=[TextBlock(text="and this?"), ImageBlock(url=url, image_mimetype="image/png")]
    )
    call(mode, client, "chat.create", [message])
    (ref,) = server.state.requests[-1].json["messages"][0]["files"]
    assert (ref["url"], ref["name"], ref["type"], ref["file_class"], ref["file_type"]) == (
        url,
        "cat.png",
        "image",
        "vision",
        "image/png",
    )


def test_path_block_uploads_on_send(mode: str, client: Qwen, server: RunningServer, image: Path) -> None:
    before = len(server.state.uploads)
    message = ChatMessage(role="user", blocks=[TextBlock(text="describe"), ImageBlock(path=image)])
    response = call(mode, client, "chat.create", [message])
    assert response.choices[0].message.content == expected_answer("describe")
    assert len(server.state.uploads) == before + 1
    assert server.state.requests[-1].json["messages"][0]["files"][0]["file_class"] == "vision"


def test_an_image_in_an_earlier_message_of_a_history_is_attached_too(
    mode: str, client: Qwen, server: RunningServer, image: Path
) -> None:
    """A history goes as one transcript; the image its first message showed used to be dropped."""
    before = len(server.state.uploads)
    history = [
        ChatMessage(role="user", blocks=[TextBlock(text="look at this"), ImageBlock(path=image)]),
        ChatMessage(role="assistant", content="I see a picture."),
        ChatMessage(role="user", content="what colour was it?"),
    ]
    call(mode, client, "chat.create", history)
    assert len(server.state.uploads) == before + 1
    files = server.state.requests[-1].json["messages"][0]["files"]
    assert [f["file_class"] for f in files] == ["vision"]


def test_base64_and_v1_signature(client: Qwen, server: RunningServer) -> None:
    encoded = base64.b64encode(png_bytes()).decode()
    result = client.chat.upload_file(base64_data=f"data:image/png;base64,{encoded}", signature_version="v1")
    assert result.filename == "upload.png" and server.state.uploads[result.file_path].verdict == "ok"


def test_wrong_secret_is_rejected_by_the_server(client: Qwen, image: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def tampered(body: object) -> object:
        token = _parse_sts(body)
        token.access_key_secret = "not-the-secret"
        return token

    monkeypatch.setattr("qwen_api._upload._parse_sts", tampered)
    with pytest.raises(QwenUploadError) as info:
        client.chat.upload_file(file_path=str(image))
    assert info.value.code == "SignatureDoesNotMatch" and info.value.status_code == 403
    assert "not-the-secret" not in str(info.value)


def test_storage_5xx_is_retried_and_resigned(server: RunningServer, image: Path) -> None:
    rule = server.add_fault("http_503", times=1, path="/qwen-webui-prod/*")
    try:
        with Qwen(api_key="t-123456", base_url=server.url, max_retries=2) as client:
            result = client.chat.upload_file(file_path=str(image))
    finally:
        server.clear_faults()
    assert server.state.attempts[rule.key] == 2  # the first PUT failed, the second went through
    assert server.state.uploads[result.file_path].verdict == "ok"
    puts = [r for r in server.state.oss_requests if r.method == "PUT" and r.verdict == "ok"]
    assert puts[-1].key == result.file_path


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"file_path": "/no/such/file.png"}, "no such file"),
        ({"file_path": "/"}, "directory"),
        ({"base64_data": "!!!not base64!!!"}, "base64"),
        ({}, "exactly one"),
    ],
)
def test_bad_input_fails_before_any_request(
    client: Qwen, server: RunningServer, kwargs: dict[str, str], match: str
) -> None:
    before = len(server.state.requests)
    with pytest.raises(QwenInvalidRequestError, match=match):
        client.chat.upload_file(**kwargs)
    assert len(server.state.requests) == before


def test_empty_file_rejected(client: Qwen, tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(QwenInvalidRequestError, match="empty"):
        asyncio.run(client.chat.async_upload_file(file_path=str(empty)))


def test_file_result_repr_hides_the_signed_query(client: Qwen, image: Path) -> None:
    result = client.chat.upload_file(file_path=str(image))
    assert "?" in result.file_url
    assert "x-oss-signature" not in repr(result) and "security-token" not in repr(result)


def test_sts_v2_not_found_falls_back_to_the_v1_alias(mode: str, server: RunningServer, image: Path) -> None:
    """Deployments without the v2 grant endpoint answer not-found; v1 answers the grant flat."""
    rule = server.add_fault("envelope_chat_not_found", path="/api/v2/files/getstsToken")
    try:
        with Qwen(api_key="t-123456", base_url=server.url, max_retries=0) as client:
            result = call(mode, client, "chat.upload_file", file_path=str(image))
    finally:
        server.state.fault_rules.remove(rule)
    assert server.state.attempts[rule.key] == 1
    assert server.state.requests_to("/api/v1/files/getstsToken")
    assert server.state.uploads[result.file_path].verdict == "ok"


def test_expired_upload_credentials_are_granted_afresh_then_named(mode: str, image: Path) -> None:
    """Every retry asks for a new grant (and signs with it); when each one has expired by the PUT, the
    error names the storage step and the OSS code."""
    with serve(ServerConfig(sts_lifetime=0.000_001)) as expiring:
        with Qwen(api_key="t-123456", base_url=expiring.url, max_retries=2) as client:
            with pytest.raises(QwenUploadError) as info:
                call(mode, client, "chat.upload_file", file_path=str(image))
        assert info.value.code == "SecurityTokenExpired"
        assert "storage" in str(info.value).lower()
        assert len(expiring.state.requests_to("/api/v2/files/getstsToken")) == 3
        signatures = {r.headers.get("authorization") for r in expiring.state.oss_requests if r.method == "PUT"}
        assert len(signatures) == 3  # re-signed with each new grant


def test_a_failed_parse_is_a_typed_error_with_the_services_message(mode: str, httpx_mock: Any, pdf: Path) -> None:
    # (the grant must name a storage host: *.aliyuncs.com, see issue 16)
    base, storage = "https://chat.example.test", "https://bucket.oss-test.aliyuncs.com"
    grant = {
        "access_key_id": "STS.key",
        "access_key_secret": "sts-secret-value",
        "security_token": "sts-security-token-value",
        "file_url": f"{storage}/u/report.pdf?x-oss-signature=abc",
        "file_path": "u/report.pdf",
        "file_id": "file-1",
        "bucketname": "bucket",
        "region": "oss-ap-southeast-1",
        "endpoint": "oss-test.aliyuncs.com",
    }
    httpx_mock.add_response(url=f"{base}/api/v2/files/getstsToken", json={"success": True, "data": grant})
    httpx_mock.add_response(method="PUT", url=f"{storage}/u/report.pdf")
    httpx_mock.add_response(url=f"{base}/api/v2/files/parse", json={"success": True, "data": {"file_id": "file-1"}})
    failed = {"file_id": "file-1", "status": "failed", "error_msg": "encrypted PDF", "error_code": "ParseError"}
    httpx_mock.add_response(url=f"{base}/api/v2/files/parse/status", json={"success": True, "data": [failed]})
    with Qwen(api_key="t-123456", base_url=base, max_retries=0) as client:
        with pytest.raises(QwenUploadError, match="encrypted PDF") as info:
            call(mode, client, "chat.upload_file", file_path=str(pdf))
    assert info.value.code == "ParseError"
