"""Request shapes of the remaining builders the facade calls: upload grant (v2 and v1), document
parsing, parse status, the session user and the token refresh -- method, path, query, body keys and
the headers the recordings show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from pytest_httpx import HTTPXMock

from qwen_api import Qwen
from tests.conftest import load_fixture

BASE = "https://chat.example.test"
AUTH_HOST = "https://auth.example.test"
STORAGE = "https://bucket.oss-test.aliyuncs.com"  # a storage host (issue 16: grants are checked)
GRANT = {
    "access_key_id": "STS.key",
    "access_key_secret": "sts-secret-value",
    "security_token": "sts-security-token-value",
    "file_url": f"{STORAGE}/u/report.pdf?x-oss-signature=abc",
    "file_path": "u/report.pdf",
    "file_id": "7c926139-b1a8-42d0-b77e-c75528934b6d",
    "bucketname": "bucket",
    "region": "oss-ap-southeast-1",
    "endpoint": "oss-test.aliyuncs.com",
}


def recorded_headers(name: str) -> dict[str, str]:
    exchange = load_fixture(name)
    return {key.lower(): value for key, value in exchange["request_headers"]}


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def add_document_upload(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/api/v2/files/getstsToken", json={"success": True, "data": GRANT})
    httpx_mock.add_response(method="PUT", url=f"{STORAGE}/u/report.pdf")
    httpx_mock.add_response(url=f"{BASE}/api/v2/files/parse", json=load_fixture("files_parse_response.json"))
    status = {"file_id": GRANT["file_id"], "status": "success", "error_msg": "", "error_code": "", "retry": 0}
    httpx_mock.add_response(url=f"{BASE}/api/v2/files/parse/status", json={"success": True, "data": [status]})


def test_upload_grant_parse_and_status_are_shaped_as_recorded(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 100 + b"\n%%EOF\n")
    add_document_upload(httpx_mock)
    with Qwen(api_key="tok-123456", cookie="cna=abc", base_url=BASE, max_retries=0) as client:
        client.chat.upload_file(file_path=str(pdf))
    grant, put, parse, status = httpx_mock.get_requests()

    assert (grant.method, grant.url.path) == ("POST", "/api/v2/files/getstsToken")
    assert set(body_of(grant)) == set(load_fixture("getststoken_audio_request.json"))
    assert body_of(grant) == {"filename": "report.pdf", "filesize": str(pdf.stat().st_size), "filetype": "file"}

    assert (parse.method, parse.url.path, body_of(parse)) == (
        "POST",
        "/api/v2/files/parse",
        {"file_id": GRANT["file_id"]},
    )
    assert set(body_of(parse)) == set(load_fixture("files_parse_request.json"))
    assert (status.method, status.url.path) == ("POST", "/api/v2/files/parse/status")
    assert body_of(status) == {"file_id_list": [GRANT["file_id"]]}

    recorded = recorded_headers("files_parse_exchange.headers.json")
    for request in (grant, parse, status):
        headers = request.headers
        assert headers["authorization"] == "Bearer tok-123456" and "token=tok-123456" in headers["cookie"]
        assert headers["content-type"] == "application/json"
        assert headers["source"] == recorded["source"] and headers["bx-v"] and headers["version"]
        assert headers["x-request-id"] and headers["timezone"].count("GMT") == 1

    assert put.method == "PUT" and "authorization" in put.headers  # the OSS signature, never the bearer token
    assert "tok-123456" not in str(put.headers) and "cookie" not in put.headers


def test_upload_grant_v1_alias_has_the_same_body(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    picture = tmp_path / "pixel.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    httpx_mock.add_response(url=f"{BASE}/api/v2/files/getstsToken", status_code=404, text="Not Found")
    httpx_mock.add_response(url=f"{BASE}/api/v1/files/getstsToken", json=GRANT | {"file_path": "u/pixel.png"})
    httpx_mock.add_response(method="PUT", url=f"{STORAGE}/u/pixel.png")
    with Qwen(api_key="tok-123456", base_url=BASE, max_retries=0) as client:
        client.chat.upload_file(file_path=str(picture))
    v2, v1, _ = httpx_mock.get_requests()
    assert (v1.method, v1.url.path) == ("POST", "/api/v1/files/getstsToken")
    assert body_of(v1) == body_of(v2) == {"filename": "pixel.png", "filesize": "40", "filetype": "image"}


def test_session_user_is_a_get_with_credentials(httpx_mock: HTTPXMock) -> None:
    user = {"id": "u-1", "email": "someone@example.test", "name": "Someone", "role": "user", "token": "tok-123456"}
    httpx_mock.add_response(url=f"{BASE}/api/v1/auths/", json=user)
    with Qwen(api_key="tok-123456", base_url=BASE, max_retries=0) as client:
        client.account.retrieve()
    (request,) = httpx_mock.get_requests()
    assert (request.method, request.url.path, request.content) == ("GET", "/api/v1/auths/", b"")
    assert request.headers["authorization"] == "Bearer tok-123456"


def test_token_refresh_sends_only_the_refresh_cookie_to_the_auth_host(httpx_mock: HTTPXMock) -> None:
    pair = {"success": True, "data": {"access_token": "new-access-token", "refresh_token": "new-refresh-token"}}
    httpx_mock.add_response(url=f"{AUTH_HOST}/api/v2/auths/refresh", json=pair)
    httpx_mock.add_response(
        url=f"{BASE}/api/v1/auths/", status_code=401, json={"success": False, "code": "Unauthorized"}
    )
    httpx_mock.add_response(url=f"{BASE}/api/v1/auths/", json={"id": "u-1", "email": "e@example.test"})
    with Qwen(
        api_key="old-access-token",
        refresh_token="old-refresh-token",
        base_url=BASE,
        auth_base_url=AUTH_HOST,
        max_retries=0,
    ) as client:
        client.account.retrieve()  # refused (401), refreshed once, retried
    requests = httpx_mock.get_requests()
    refresh = next(r for r in requests if r.url.host == "auth.example.test")
    assert (refresh.method, refresh.url.path) == ("GET", "/api/v2/auths/refresh")  # wire-api.md section 1
    assert refresh.headers["cookie"] == "refresh_token=old-refresh-token"
    assert "authorization" not in refresh.headers and "old-access-token" not in str(refresh.headers)
    chat_requests = [r for r in requests if r.url.host == "chat.example.test"]
    assert [r.headers["authorization"] for r in chat_requests] == ["Bearer old-access-token", "Bearer new-access-token"]
