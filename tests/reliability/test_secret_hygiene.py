"""Secrets stay secret over a full run: examples, every resource, failures, the CLI, redirects, TLS.

``tests/e2e/test_secrets.py`` checks one upload-and-chat run. Here the whole surface runs with
DEBUG logging and ``save_logs=True`` -- every example program, every resource sync and async
(uploads of images and documents, a token refresh, conversations, chats, images), a dozen injected
failures, and the CLI -- and no token (any JWT at all, including the ones the refresh minted),
cookie value, refresh token, STS key, security token or signature may appear in any log line, the
saved log file (mode 0600), a repr, ``str()`` or pickle of an exception, or CLI output. The storage
host never sees chat credentials, redirects are never followed (so they cannot carry credentials to
another host), and TLS certificates are verified unless the caller passes their own client.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import os
import pickle
import re
import shutil
import ssl
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import qwen_api._upload as upload_module
from qwen_api import Qwen
from qwen_api.core.exceptions import QwenAPIError, QwenConnectionError, QwenUploadError
from qwen_api.testing import FAULT_HEADER, RunningServer, ServerConfig, serve
from qwen_api.types.chat import ChatMessage, ImageBlock, TextBlock
from tests.e2e.test_examples import tutorial_image  # noqa: F401  (fixture: the upload tutorial's image)
from tests.e2e.test_upload import png_bytes
from tests.reliability.conftest import COMPLETIONS, MODEL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
RUNNER = Path(__file__).with_name("_run_example.py")
COOKIE_SECRETS = ("cookiesecretvalue1", "anothersecret22")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}")
# A credential-bearing name followed by anything but the redaction marker.
LABELLED = re.compile(
    r"(?i)(x-oss-security-token|x-oss-signature|security_?token|access_?key_?secret|signature"
    r"|refresh_token|\btoken)[\"']?\s*[=:]\s*[\"']?(?!<redacted>)[A-Za-z0-9+/_.%-]{12,}"
)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    # Minted tokens expire, so a client given a nearly expired one must refresh it.
    with serve(ServerConfig(token_lifetime=600)) as running:
        yield running


@pytest.fixture(scope="module")
def open_server() -> Iterator[RunningServer]:
    """A server that accepts any token: the examples hard-code one (``Qwen(api_key="your_api_key")``)."""
    with serve() as running:
        yield running


@attrs.define
class Secrets:
    """Every credential that existed during a run; filled from the run and the server's records."""

    literals: set[str] = attrs.field(factory=set)

    def add(self, *values: str | None) -> None:
        self.literals.update(v for v in values if v and len(v) >= 8)

    def harvest(self, server: RunningServer) -> None:
        """STS grants and every storage signature the server saw."""
        for grant in server.state.grants.values():
            self.add(grant.access_key_secret, grant.security_token)
        for request in server.state.oss_requests:
            authorization = request.headers.get("authorization", "")
            if "Signature=" in authorization:
                self.add(authorization.rsplit("Signature=", 1)[1])
            elif authorization.startswith("OSS "):
                self.add(authorization.rsplit(":", 1)[1])
            self.add(request.headers.get("x-oss-security-token"))
        for request in server.state.requests:
            self.add(*re.findall(r"refresh_token=([^;\s]+)", request.headers.get("cookie", "")))

    def assert_absent(self, where: str, text: str) -> None:
        for secret in self.literals:
            assert secret not in text, f"{secret[:6]}... leaked in {where}"
        token = JWT.search(text)
        assert token is None, f"a JWT ({token.group()[:10]}...) leaked in {where}"
        labelled = LABELLED.search(text)
        assert labelled is None, f"{labelled.group()[:40]}... leaked in {where}"


def client_for(server: RunningServer, secrets: Secrets, tmp_path: Path, **kwargs: Any) -> Qwen:
    access = server.mint_token(lifetime=1.0)  # renewed before the first call
    refresh = server.mint_refresh_token()
    cookie = f"cna={COOKIE_SECRETS[0]}; ssxmod_itna={COOKIE_SECRETS[1]}; token={access}"
    secrets.add(access, refresh, *COOKIE_SECRETS)

    def on_refresh(new_access: str, new_refresh: str | None) -> None:
        secrets.add(new_access, new_refresh)

    options: dict[str, Any] = {
        "api_key": access,
        "cookie": cookie,
        "refresh_token": refresh,
        "base_url": server.url,
        "auth_base_url": server.url,
        "logging_level": "DEBUG",
        "save_logs": True,
        "log_dir": str(tmp_path / "logs"),
        "max_retries": 1,
        "timeout": 2.0,
        "on_token_refresh": on_refresh,
    }
    options.update(kwargs)
    return Qwen(**options)


FAILURES: list[tuple[str, dict[str, Any], bool]] = [
    # (fault, rule parameters, streamed)
    ("envelope_unauthorized", {}, False),
    ("envelope_token_expired", {}, True),
    ("waf_json", {}, False),
    ("waf_html", {}, True),
    ("http_429", {"retry_after": 0}, False),
    ("envelope_rate_limited", {}, True),
    ("http_503", {"retry_after": 0}, False),
    ("drop_after_events", {"after": 3}, True),
    ("stall_between_events", {"after": 3, "seconds": 30}, False),
    ("malformed_event", {"after": 2}, True),
    ("stream_error", {"after": 2}, False),
    ("invalid_utf8", {}, True),
]


def sync_tour(client: Qwen, files: dict[str, Path], server: RunningServer, seen: list[Any]) -> None:
    seen.append(list(client.models.list()))
    seen.append(client.chat.create([{"role": "user", "content": "hello"}], model=MODEL))
    stream = client.chat.create([{"role": "user", "content": "stream"}], model=MODEL, stream=True)
    seen.append(stream)
    seen.extend(list(stream))
    seen.append(client.completion.create(prompt="complete", model=MODEL))
    image = client.chat.upload_file(file_path=str(files["png"]))
    document = client.chat.upload_file(file_path=str(files["pdf"]))
    seen.extend([image, document, image.file_url, document.file_url])
    message = ChatMessage(role="user", blocks=[TextBlock(text="what is it?"), ImageBlock(url=image.file_url)])
    seen.append(client.chat.create([message], model=MODEL, files=[document]))
    attached = ChatMessage(role="user", content="a", blocks=[ImageBlock(path=str(files["png"]))])
    seen.append(client.chat.create([attached]))
    conversation = client.chats.new(model=MODEL)
    seen.extend([conversation, conversation.send("turn one"), conversation.send("turn two"), conversation])
    seen.append(list(client.chats.list()))
    seen.append(client.chats.get(conversation.chat_id))
    seen.append(client.images.generate("a lighthouse", model=MODEL))
    seen.append(client.chats.delete(conversation.chat_id))


async def async_tour(client: Qwen, files: dict[str, Path], seen: list[Any]) -> None:
    seen.append(await client.chat.acreate([{"role": "user", "content": "hello"}], model=MODEL))
    stream = await client.chat.acreate([{"role": "user", "content": "stream"}], model=MODEL, stream=True)
    seen.append(stream)
    seen.extend([chunk async for chunk in stream])
    upload = await client.chat.async_upload_file(file_path=str(files["pdf"]))
    seen.extend([upload, upload.file_url])
    conversation = await client.chats.anew(model=MODEL)
    seen.extend([conversation, await conversation.asend("async turn"), [c async for c in client.chats.alist()]])


def failing_calls(client: Qwen, server: RunningServer, errors: list[QwenAPIError]) -> None:
    for fault, params, streamed in FAILURES:
        server.add_fault(fault, path=COMPLETIONS, **params)
        try:
            if streamed:
                for _ in client.chat.create([{"role": "user", "content": "fail"}], model=MODEL, stream=True):
                    pass
            else:
                client.completion.create(prompt="fail", model=MODEL)
        except QwenAPIError as error:
            errors.append(error)
        finally:
            server.clear_faults()
    # A storage failure during an upload (the PUT goes to the local server's OSS endpoint).
    server.add_fault("http_503", path="/qwen-webui-prod/*", retry_after=0)
    try:
        client.chat.upload_file(base64_data="data:text/plain;base64,aGVsbG8gd29ybGQ=", filename="note.txt")
    except QwenAPIError as error:
        errors.append(error)
    finally:
        server.clear_faults()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    png, pdf = tmp_path / "photo.png", tmp_path / "report.pdf"
    png.write_bytes(png_bytes())
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n")
    return {"png": png, "pdf": pdf}


def test_full_python_run_leaks_nothing(
    server: RunningServer, tmp_path: Path, files: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="qwen_api")
    secrets = Secrets()
    seen: list[Any] = []
    errors: list[QwenAPIError] = []
    with client_for(server, secrets, tmp_path) as client:
        sync_tour(client, files, server, seen)
        failing_calls(client, server, errors)
        seen.extend([client, client._config])

    async def run_async() -> None:
        async with client_for(server, secrets, tmp_path) as aclient:
            await async_tour(aclient, files, seen)

    asyncio.run(run_async())
    secrets.harvest(server)
    assert len(errors) == len(FAILURES) + 1, [type(e).__name__ for e in errors]
    assert server.state.refresh_count >= 2  # both clients renewed their token
    assert server.state.oss_saw_chat_credentials is False

    log_file = tmp_path / "logs" / "qwen_api.log"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    saved = log_file.read_text(encoding="utf-8")
    assert "-> POST" in saved and "getstsToken" in saved and "refresh" in saved
    secrets.assert_absent("the saved log file", saved)
    for record in caplog.records:
        secrets.assert_absent(f"log line {record.getMessage()[:40]!r}", record.getMessage() + (record.exc_text or ""))
    for value in seen:
        if isinstance(value, str):
            continue  # the presigned URLs themselves are what the caller asked for
        secrets.assert_absent(f"repr of {type(value).__name__}", repr(value))
        secrets.assert_absent(f"str of {type(value).__name__}", str(value))
    for error in errors:
        name = type(error).__name__
        secrets.assert_absent(f"str({name})", str(error))
        secrets.assert_absent(f"repr({name})", repr(error))
        secrets.assert_absent(f"pickle of {name}", pickle.dumps(error).decode("latin-1"))
        secrets.assert_absent(f"{name}.request", repr(error.request))


def test_storage_signature_mismatch_error_carries_no_credentials(
    server: RunningServer, tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_sign = upload_module.sign_v4

    def wrong_signature(**kwargs: Any) -> dict[str, str]:
        headers = dict(real_sign(**kwargs))
        authorization = headers["Authorization"]
        headers["Authorization"] = authorization[:-4] + ("0000" if not authorization.endswith("0000") else "1111")
        return headers

    monkeypatch.setattr(upload_module, "sign_v4", wrong_signature)
    secrets = Secrets()
    with client_for(server, secrets, tmp_path, max_retries=0) as client, pytest.raises(QwenUploadError) as info:
        client.chat.upload_file(file_path=str(files["png"]))
    secrets.harvest(server)
    assert info.value.code == "SignatureDoesNotMatch"
    grant = list(server.state.grants.values())[-1]
    secrets.add(grant.security_token[:24])  # even a prefix of the STS token is too much
    for where, text in {
        "str": str(info.value),
        "repr": repr(info.value),
        "body": str(info.value.body),
        "pickle": pickle.dumps(info.value).decode("latin-1"),
    }.items():
        secrets.assert_absent(f"QwenUploadError {where}", text)


# --------------------------------------------------------------------------------------------------
# The example programs and the CLI, as subprocesses


def subprocess_env(server: RunningServer, tmp_path: Path, secrets: Secrets) -> dict[str, str]:
    access = server.mint_token(lifetime=600)
    cookie = f"cna={COOKIE_SECRETS[0]}; ssxmod_itna={COOKIE_SECRETS[1]}"
    secrets.add(access, *COOKIE_SECRETS)
    env = {key: value for key, value in os.environ.items() if not key.startswith("QWEN_")}
    env.update(
        QWEN_AUTH_TOKEN=access,
        QWEN_COOKIE=cookie,
        QWEN_BASE_URL=server.url,
        QWEN_LOG_DIR=str(tmp_path / "logs"),
        PYTHONPATH=str(ROOT),
        NO_COLOR="1",
    )
    return env


@pytest.mark.usefixtures("tutorial_image")
def test_every_example_with_debug_logs_and_saved_logs_leaks_nothing(open_server: RunningServer, tmp_path: Path) -> None:
    server = open_server
    secrets = Secrets()
    env = subprocess_env(server, tmp_path, secrets)
    outputs: dict[str, str] = {}
    uploads_before = len(server.state.uploads)
    for example in EXAMPLES:
        result = subprocess.run(
            [sys.executable, str(RUNNER), str(example)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"{example.name}: {result.stderr[-2000:]}"
        outputs[example.name] = result.stdout + result.stderr
    assert len(server.state.uploads) >= uploads_before + 2  # the image tutorial and the document example
    assert any("DEBUG qwen_api: -> POST" in text for text in outputs.values())
    secrets.harvest(server)
    log_file = tmp_path / "logs" / "qwen_api.log"
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    secrets.assert_absent("the examples' saved log file", log_file.read_text(encoding="utf-8"))
    for name, text in outputs.items():
        secrets.assert_absent(f"the output and DEBUG log of {name}", text)


CLI_RUNS: list[Any] = [
    pytest.param(["chat", "hello from the cli"], 0, id="chat"),
    pytest.param(["chat", "--json", "json please"], 0, id="chat-json"),
    pytest.param(["models"], 0, id="models"),
    pytest.param(["chats", "list", "--json"], 0, id="chats-list"),
    pytest.param(["image", "a lighthouse", "--json"], 0, id="image"),
    pytest.param(["auth", "status", "--json"], 0, id="auth-status"),
    pytest.param(["-H", f"{FAULT_HEADER}: envelope_unauthorized", "chat", "refused"], 1, id="chat-refused"),
    pytest.param(["-H", f"{FAULT_HEADER}: waf_html", "models", "--json"], 1, id="models-blocked"),
    pytest.param(["upload", "{png}"], 0, id="upload"),
    pytest.param(["upload", "--json", "{png}"], 0, id="upload-json"),
]


@pytest.mark.parametrize(("argv", "status"), CLI_RUNS)
def test_cli_output_leaks_nothing(
    argv: list[str], status: int, open_server: RunningServer, tmp_path: Path, files: dict[str, Path]
) -> None:
    server = open_server
    secrets = Secrets()
    env = subprocess_env(server, tmp_path, secrets)
    command = [sys.executable, "-m", "qwen_api", "-v", "--plain", *(a.format(png=files["png"]) for a in argv)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == status, result.stderr[-2000:]
    if argv[:2] != ["auth", "status"]:  # -v: the SDK's debug log is part of what is checked
        assert "DEBUG" in result.stderr
    secrets.harvest(server)
    secrets.assert_absent(f"`qwen {' '.join(argv)}` stdout", result.stdout)
    secrets.assert_absent(f"`qwen {' '.join(argv)}` stderr", result.stderr)


# --------------------------------------------------------------------------------------------------
# Redirects are never followed, so credentials never reach another host


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with a fixed status and headers, and remembers what it was sent."""

    status = 200
    extra_headers: dict[str, str] = {}
    body = b""
    seen: list[tuple[str, str, dict[str, str]]]

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(self.status)
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@attrs.define
class LittleServer:
    httpd: http.server.ThreadingHTTPServer
    seen: list[tuple[str, str, dict[str, str]]]
    url: str


@pytest.fixture
def little_servers() -> Iterator[Any]:
    started: list[LittleServer] = []

    def start(status: int = 200, headers: dict[str, str] | None = None, body: bytes = b"", tls: Any = None) -> Any:
        seen: list[tuple[str, str, dict[str, str]]] = []
        handler = type(
            "Handler", (Recorder,), {"status": status, "extra_headers": headers or {}, "body": body, "seen": seen}
        )
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = True
        scheme = "http"
        if tls is not None:
            httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
            scheme = "https"
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        little = LittleServer(httpd, seen, f"{scheme}://127.0.0.1:{httpd.server_address[1]}")
        started.append(little)
        return little

    yield start
    for little in started:
        little.httpd.shutdown()
        little.httpd.server_close()


TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6InJlZGlyZWN0In0.cmVkaXJlY3Qtc2lnbmF0dXJl"


def test_chat_redirect_to_another_host_is_not_followed(little_servers: Any) -> None:
    thief = little_servers()
    redirector = little_servers(307, {"location": thief.url.replace("127.0.0.1", "localhost") + "/steal"})
    with (
        Qwen(api_key=TOKEN, cookie="token=" + TOKEN, base_url=redirector.url, max_retries=0, timeout=2) as client,
        pytest.raises(QwenAPIError),
    ):
        client.chat.create([{"role": "user", "content": "hi"}], model=MODEL)

    async def run() -> None:
        async with Qwen(api_key=TOKEN, base_url=redirector.url, max_retries=0, timeout=2) as aclient:
            with pytest.raises(QwenAPIError):
                await aclient.completion.acreate(prompt="hi", model=MODEL)

    asyncio.run(run())
    assert len(redirector.seen) == 2
    assert thief.seen == []


def test_token_refresh_redirect_is_not_followed(little_servers: Any) -> None:
    thief = little_servers()
    redirector = little_servers(302, {"location": thief.url + "/steal"})
    client = Qwen(api_key=TOKEN, refresh_token="refresh-secret-value", auth_base_url=redirector.url, max_retries=0)
    with client, pytest.raises(QwenAPIError):
        client._run_sync(_force_refresh(client))
    assert [path for _, path, _ in redirector.seen] and thief.seen == []


def _force_refresh(client: Qwen) -> Any:
    from qwen_api._engine import RefreshToken

    yield RefreshToken(client._auth, client._auth.generation)


def test_storage_redirect_is_not_followed_and_storage_sees_no_chat_credentials(
    server: RunningServer, little_servers: Any, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    thief = little_servers()
    storage = little_servers(307, {"location": thief.url + "/steal"})
    monkeypatch.setenv("QWEN_OSS_ENDPOINT", storage.url)
    token = server.mint_token(lifetime=600)
    with (
        Qwen(api_key=token, cookie=f"token={token}; cna=x1y2z3", base_url=server.url, max_retries=0) as client,
        pytest.raises(QwenUploadError) as info,
    ):
        client.chat.upload_file(file_path=str(files["png"]))
    assert info.value.status_code == 307
    assert [method for method, _, _ in storage.seen] == ["PUT"]
    headers = storage.seen[0][2]
    assert "cookie" not in headers and not headers.get("authorization", "").lower().startswith("bearer")
    assert not any(name.startswith("bx-") for name in headers) and token not in json.dumps(headers)
    assert thief.seen == []


# --------------------------------------------------------------------------------------------------
# TLS verification


def _pool_context(client: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    return client._transport._pool._ssl_context  # type: ignore[union-attr]


def test_every_default_transport_verifies_certificates() -> None:
    client = Qwen(api_key=TOKEN)
    contexts = [_pool_context(client._http()), _pool_context(client._storage_http())]

    async def async_contexts() -> None:
        contexts.extend([_pool_context(client._ahttp()), _pool_context(client._astorage_http())])
        await client.aclose()

    asyncio.run(async_contexts())
    for context in contexts:
        assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname is True


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_a_self_signed_server_is_refused_by_default(little_servers: Any, self_signed: ssl.SSLContext) -> None:
    models = json.dumps({"success": True, "data": {"data": []}}).encode()
    tls = little_servers(200, {"content-type": "application/json"}, models, tls=self_signed)
    with Qwen(api_key=TOKEN, base_url=tls.url, max_retries=0, timeout=5) as client:
        with pytest.raises(QwenConnectionError, match=r"(?i)certificate"):
            list(client.models.list())

    async def run() -> None:
        async with Qwen(api_key=TOKEN, base_url=tls.url, max_retries=0, timeout=5) as aclient:
            with pytest.raises(QwenConnectionError, match=r"(?i)certificate"):
                await aclient.chat.acreate([{"role": "user", "content": "hi"}], model=MODEL)

    asyncio.run(run())
    assert tls.seen == []  # no request got through the failed handshake

    # Turning verification off takes an explicit choice: the caller's own client.
    with Qwen(api_key=TOKEN, base_url=tls.url, http_client=httpx.Client(verify=False), max_retries=0) as insecure:
        insecure.models.list()
    assert len(tls.seen) == 1


def test_storage_over_tls_is_verified(
    server: RunningServer,
    little_servers: Any,
    self_signed: ssl.SSLContext,
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    storage = little_servers(200, tls=self_signed)
    monkeypatch.setenv("QWEN_OSS_ENDPOINT", storage.url)
    with (
        Qwen(api_key=server.mint_token(lifetime=600), base_url=server.url, max_retries=0) as client,
        pytest.raises(QwenConnectionError, match=r"(?i)certificate"),
    ):
        client.chat.upload_file(file_path=str(files["png"]))
    assert storage.seen == []


ECHOED_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImVjaG8ifQ.c2lnbmF0dXJlLWVjaG9lZA"
ECHOED_COOKIE = "ssxmod_itna=echoed-cookie-value-123"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_credentials_echoed_by_the_service_are_not_kept_on_the_exception(mode: str, httpx_mock: Any) -> None:
    """A service (or a proxy) that echoes the request's credentials in its error answer -- text, JSON
    body, headers -- must not put them into the exception, which is printed, logged and pickled."""
    echoed = f"bad request from Authorization: Bearer {ECHOED_TOKEN}; Cookie: {ECHOED_COOKIE}"
    httpx_mock.add_response(
        status_code=400,
        json={"success": False, "code": "Bad_Request", "details": echoed, "data": {"echo": [echoed]}},
        headers={"set-cookie": f"token={ECHOED_TOKEN}; Path=/", "x-debug": f"token={ECHOED_TOKEN}"},
    )
    kwargs: dict[str, Any] = {
        "api_key": ECHOED_TOKEN,
        "cookie": ECHOED_COOKIE,
        "base_url": "https://chat.example.test",
        "max_retries": 0,
    }

    async def call_async() -> None:
        async with Qwen(**kwargs) as client:
            await client.chats.anew(model="qwen3.7-plus")

    with pytest.raises(QwenAPIError) as info:
        if mode == "sync":
            with Qwen(**kwargs) as client:
                client.chats.new(model="qwen3.7-plus")
        else:
            asyncio.run(call_async())
    error = info.value
    texts = [str(error), repr(error), json.dumps(error.body), json.dumps(error.headers), error.message]
    texts.append(repr(pickle.loads(pickle.dumps(error)).__dict__))
    for text in texts:
        assert ECHOED_TOKEN not in text and "echoed-cookie-value-123" not in text, text
    assert "bad request from" in error.message and error.headers["set-cookie"] == "<redacted>"
