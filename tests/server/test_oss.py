"""Uploads: getstsToken grants pointing back here, the verifying OSS endpoint, and document parsing.

Positive uploads are signed by the official ``alibabacloud-oss-v2`` SDK (an independent V4 signer)
and by ``qwen_api._oss_signing`` (V4 and V1); negative cases show each OSS error on the wire.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from qwen_api._oss_signing import OssCredentials, sign_v1, sign_v4
from qwen_api.testing import RunningServer, ServerConfig
from qwen_api.testing.oss import split_object_path

from .conftest import AUTH, TIMEOUT

AWKWARD = "photo 1 (copy) 图片+%&=.png"


def grant(
    server: RunningServer, filename: str = "notes.md", filesize: int | str = "5", filetype: str = "file"
) -> dict[str, Any]:
    response = httpx.post(
        server.url + "/api/v2/files/getstsToken",
        json={"filename": filename, "filesize": filesize, "filetype": filetype},
        headers=AUTH,
    )
    data: dict[str, Any] = response.json()["data"]
    return data


def put(
    server: RunningServer,
    data: dict[str, Any],
    body: bytes | Iterator[bytes],
    *,
    version: str = "v4",
    secret: str | None = None,
    token: str | None = "grant",
    content_type: str = "text/markdown",
    now: datetime | None = None,
    extra: dict[str, str] | None = None,
    after_signing: dict[str, str] | None = None,
    key: str | None = None,
) -> httpx.Response:
    """Sign like the SDK does, optionally tamper, and PUT path-style to the grant's endpoint."""
    credentials = OssCredentials(
        data["access_key_id"],
        secret or data["access_key_secret"],
        data["security_token"] if token == "grant" else token,
    )
    headers = {"Content-Type": content_type, **(extra or {})}
    key = key or data["file_path"]
    moment = now or datetime.now(UTC)
    if version == "v4":
        signed = sign_v4(
            method="PUT",
            bucket=data["bucketname"],
            key=key,
            headers=headers,
            credentials=credentials,
            region=data["region"],
            now=moment,
        )
    else:
        signed = sign_v1(
            method="PUT", bucket=data["bucketname"], key=key, headers=headers, credentials=credentials, now=moment
        )
    signed.update(after_signing or {})
    url = f"http://{data['endpoint']}/{data['bucketname']}/{httpx.URL(path='/' + key).raw_path.decode()[1:]}"
    return httpx.put(url, content=body, headers=signed, timeout=TIMEOUT)


def oss_error(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/xml"
    assert re.fullmatch(r"[0-9A-F]{24}", response.headers["x-oss-request-id"])
    match = re.search(r"<Code>(\w+)</Code>", response.text)
    assert match is not None, response.text
    return match.group(1)


def test_sts_grant_points_back_at_this_server(qwen_server: RunningServer) -> None:
    data = grant(qwen_server, AWKWARD, 163004, "audio")
    assert data["endpoint"] == urlsplit(qwen_server.url).netloc  # a bare host, like the recorded grant
    assert (data["bucketname"], data["region"]) == ("qwen-webui-prod", "oss-ap-southeast-1")
    assert data["access_key_id"].startswith("STS.")
    assert data["file_path"] == f"{qwen_server.config.user_id}/{data['file_id']}_{AWKWARD}"
    assert data["file_url"].startswith(f"{qwen_server.url}/qwen-webui-prod/")
    assert "x-oss-signature-version=OSS4-HMAC-SHA256" in data["file_url"]
    other = grant(qwen_server)
    assert other["access_key_id"] != data["access_key_id"] and other["access_key_secret"] != data["access_key_secret"]
    legacy = httpx.post(
        qwen_server.url + "/api/v1/files/getstsToken",
        json={"filename": "a.png", "filesize": 1, "filetype": "image"},
        headers=AUTH,
    ).json()
    assert "success" not in legacy and legacy["endpoint"] == data["endpoint"]  # the flat v1 form
    missing = httpx.post(
        qwen_server.url + "/api/v2/files/getstsToken", json={"filename": "a.png", "filesize": 1}, headers=AUTH
    )
    assert missing.json()["details"] == "Invalid file information!" and missing.headers["x-actual-status-code"] == "400"


def test_official_sdk_v4_upload_is_accepted(qwen_server: RunningServer) -> None:
    import alibabacloud_oss_v2 as oss

    data = grant(qwen_server, AWKWARD, 11, "image")
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        data["access_key_id"], data["access_key_secret"], data["security_token"]
    )
    cfg.region = "ap-southeast-1"
    cfg.endpoint = qwen_server.url  # the grant's bare host, over this server's own scheme
    result = oss.Client(cfg).put_object(
        oss.PutObjectRequest(
            bucket=data["bucketname"], key=data["file_path"], body=b"hello world", content_type="image/png"
        )
    )
    assert result.status_code == 200
    upload = qwen_server.state.uploads[data["file_path"]]
    assert (upload.size, upload.md5, upload.content_type, upload.verdict) == (
        11,
        hashlib.md5(b"hello world").hexdigest(),
        "image/png",
        "ok",
    )
    assert upload.declared_size == 11
    assert qwen_server.state.oss_requests[-1].signature_version == "v4"
    assert qwen_server.state.oss_saw_chat_credentials is False


@pytest.mark.parametrize("version", ["v4", "v1"])
def test_our_signer_uploads_are_accepted(qwen_server: RunningServer, version: str) -> None:
    data = grant(qwen_server, AWKWARD)
    body = b"# notes\n"
    digest = hashlib.md5(body)
    response = put(
        qwen_server, data, body, version=version, extra={"Content-MD5": base64.b64encode(digest.digest()).decode()}
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{digest.hexdigest().upper()}"'
    assert response.headers["content-length"] == "0" and "x-oss-request-id" in response.headers
    assert qwen_server.state.oss_requests[-1].signature_version == version


def test_chunked_body_is_counted(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    chunks = [b"a" * 1000, b"b" * 2000, b"c" * 3]
    response = put(qwen_server, data, iter(chunks))
    assert response.status_code == 200
    assert qwen_server.state.oss_requests[-1].headers.get("transfer-encoding") == "chunked"
    assert qwen_server.state.uploads[data["file_path"]].size == 3003


def test_stored_bytes_are_served_back_at_file_url(qwen_server_factory: Any, tmp_path: Path) -> None:
    server: RunningServer = qwen_server_factory(ServerConfig(storage_dir=tmp_path))
    data = grant(server, AWKWARD)
    assert put(server, data, b"payload").status_code == 200
    fetched = httpx.get(data["file_url"])
    assert fetched.status_code == 200 and fetched.content == b"payload"
    assert fetched.headers["content-type"].startswith("text/markdown")
    assert server.state.uploads[data["file_path"]].path is not None


def test_without_storage_the_bytes_are_discarded(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    assert put(qwen_server, data, b"payload").status_code == 200
    missing = httpx.get(data["file_url"])
    assert missing.status_code == 404 and oss_error(missing) == "NoSuchKey"


# ---------------------------------------------------------------------------------------------- negative


def test_wrong_secret_is_signature_does_not_match(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    for version in ("v4", "v1"):
        response = put(qwen_server, data, b"x", version=version, secret="not-the-secret")
        assert response.status_code == 403 and oss_error(response) == "SignatureDoesNotMatch"
    assert data["file_path"] not in qwen_server.state.uploads
    assert qwen_server.state.oss_requests[-1].verdict == "SignatureDoesNotMatch"


def test_changed_content_type_is_signature_does_not_match(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    response = put(qwen_server, data, b"x", after_signing={"Content-Type": "image/png"})
    assert response.status_code == 403 and oss_error(response) == "SignatureDoesNotMatch"
    assert "<CanonicalRequest>" in response.text and "<StringToSign>" in response.text


def test_stale_date_is_request_time_too_skewed(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    for version in ("v4", "v1"):
        response = put(qwen_server, data, b"x", version=version, now=datetime.now(UTC) - timedelta(minutes=20))
        assert response.status_code == 403 and oss_error(response) == "RequestTimeTooSkewed"


def test_missing_or_wrong_security_token(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    missing = put(qwen_server, data, b"x", token=None)
    assert missing.status_code == 403 and oss_error(missing) == "InvalidAccessKeyId"
    wrong = put(qwen_server, data, b"x", token="CAISforged")
    assert wrong.status_code == 403 and oss_error(wrong) == "InvalidSecurityToken"


def test_unknown_key_id_and_anonymous_put(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    unknown = put(qwen_server, {**data, "access_key_id": "STS.unknown"}, b"x")
    assert unknown.status_code == 403 and oss_error(unknown) == "InvalidAccessKeyId"
    anonymous = httpx.put(f"http://{data['endpoint']}/{data['bucketname']}/{data['file_path']}", content=b"x")
    assert anonymous.status_code == 403 and oss_error(anonymous) == "AccessDenied"


def test_object_outside_the_grant_is_denied(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    response = put(qwen_server, data, b"x", key=data["file_path"] + ".other")
    assert response.status_code == 403 and oss_error(response) == "AccessDenied"


def test_content_md5_mismatch_is_invalid_digest(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    wrong_md5 = base64.b64encode(hashlib.md5(b"something else").digest()).decode()
    response = put(qwen_server, data, b"x", extra={"Content-MD5": wrong_md5})
    assert response.status_code == 400 and oss_error(response) == "InvalidDigest"
    sha = put(qwen_server, data, b"x", extra={"x-oss-content-sha256": hashlib.sha256(b"y").hexdigest()})
    assert sha.status_code == 400 and oss_error(sha) == "InvalidDigest"


def test_chat_credentials_sent_to_storage_are_noticed(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    assert put(qwen_server, data, b"x").status_code == 200
    assert qwen_server.state.oss_saw_chat_credentials is False
    put(qwen_server, data, b"x", extra={"bx-ua": "231!abc"})
    assert qwen_server.state.oss_saw_chat_credentials is True


def test_object_path_is_decoded_after_splitting() -> None:
    assert split_object_path("/qwen-webui-prod/user%2Fid/a%20b%28c%29.png") == ("qwen-webui-prod", "user/id/a b(c).png")


# ---------------------------------------------------------------------------------------------- parse


def test_document_parse_runs_then_succeeds(qwen_server_factory: Any) -> None:
    server: RunningServer = qwen_server_factory(ServerConfig(parse_polls=2))
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as http:
        file_id = grant(server)["file_id"]
        assert http.post("/api/v2/files/parse", json={"file_id": file_id}).json()["data"] == {"file_id": file_id}
        statuses = [
            http.post("/api/v2/files/parse/status", json={"file_id_list": [file_id]}).json()["data"][0]["status"]
            for _ in range(4)
        ]
        unknown = http.post("/api/v2/files/parse/status", json={"file_id_list": ["nope"]}).json()["data"][0]
    assert statuses == ["running", "running", "success", "success"]
    assert unknown["status"] == "failed"


def test_header_faults_never_reach_storage_but_path_rules_do(qwen_server: RunningServer) -> None:
    data = grant(qwen_server)
    assert put(qwen_server, data, b"x", extra={"x-qwen-mock-fault": "http_503"}).status_code == 200
    qwen_server.add_fault("http_503", times=1, path="/qwen-webui-prod/*")
    assert put(qwen_server, data, b"x").status_code == 503
    assert put(qwen_server, data, b"x").status_code == 200
