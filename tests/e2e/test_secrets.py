"""Secrets never leak: not in logs, saved log files, reprs, exception texts or pickles."""

from __future__ import annotations

import logging
import pickle
import stat
from pathlib import Path

import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenAPIError
from qwen_api.testing import RunningServer
from qwen_api.types.chat import ChatMessage, ImageBlock, TextBlock
from tests.e2e.test_upload import png_bytes

TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InNlY3JldC11c2VyIn0.c2lnbmF0dXJlLXNlY3JldA"
COOKIE = f"cna=cookiesecretvalue1; token={TOKEN}; ssxmod_itna=anothersecret22"


def test_full_run_leaks_nothing(server: RunningServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api")
    image = tmp_path / "cat.png"
    image.write_bytes(png_bytes())
    client = Qwen(
        api_key=TOKEN,
        cookie=COOKIE,
        base_url=server.url,
        logging_level="DEBUG",
        save_logs=True,
        log_dir=str(tmp_path / "logs"),
        max_retries=1,
    )
    uploaded = client.chat.upload_file(file_path=str(image))
    message = ChatMessage(role="user", blocks=[TextBlock(text="what?"), ImageBlock(url=uploaded.file_url)])
    for _ in client.chat.create([message], stream=True):
        pass
    server.add_fault("envelope_unauthorized", path="/api/v2/chat/completions")
    try:
        with pytest.raises(QwenAPIError) as info:
            client.completion.create(model="qwen3.7-plus", prompt="x")
    finally:
        server.clear_faults()
    secrets = ["cookiesecretvalue1", "anothersecret22", TOKEN, "c2lnbmF0dXJlLXNlY3JldA"]
    assert server.state.grants
    for grant in server.state.grants.values():
        secrets += [grant.access_key_secret, grant.security_token]
    put = [r for r in server.state.oss_requests if r.method == "PUT"][-1]
    secrets.append(put.headers["authorization"].rsplit("Signature=", 1)[1])
    assert "x-oss-signature=" in uploaded.file_url
    secrets.append(uploaded.file_url.split("x-oss-signature=", 1)[1].split("&")[0])

    log_file = tmp_path / "logs" / "qwen_api.log"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    texts = {
        "saved log": log_file.read_text(),
        "captured log": "\n".join(r.getMessage() for r in caplog.records),
        "client repr": repr(client),
        "config repr": repr(client._config),
        "upload repr": repr(uploaded),
        "exception str": str(info.value),
        "exception repr": repr(info.value),
        "exception pickle": pickle.dumps(info.value).decode("latin-1"),
    }
    assert texts["saved log"] and "-> POST" in texts["saved log"]
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret[:6]}… leaked in {where}"


def test_storage_host_never_sees_chat_credentials(server: RunningServer, tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(png_bytes())
    with Qwen(api_key=TOKEN, cookie=COOKIE, base_url=server.url, default_headers={"x-trace": "1"}) as client:
        client.chat.upload_file(file_path=str(image))
    put = [r for r in server.state.oss_requests if r.method == "PUT"][-1]
    assert put.saw_chat_credentials is False
    assert "cookie" not in put.headers and "x-trace" not in put.headers
    assert put.headers["authorization"].startswith("OSS4-HMAC-SHA256 ")


def test_redirects_are_not_followed_with_credentials(server: RunningServer) -> None:
    client = Qwen(api_key=TOKEN, base_url=server.url)
    assert client._http().follow_redirects is False
    assert client._storage_http().follow_redirects is False
    assert client._http()._transport._pool._ssl_context.verify_mode.name == "CERT_REQUIRED"  # type: ignore[attr-defined]
