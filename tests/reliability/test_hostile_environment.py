"""Issue 16, hostile environment: a planted ``.env``, poisoned credentials, bad text and ids, a
hostile image answer for the CLI, and a local server pushed beyond its bounds."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from qwen_api import Qwen, QwenInputTypeError, QwenInputValueError, QwenInvalidRequestError
from qwen_api._config import DEFAULT_AUTH_BASE_URL, DEFAULT_BASE_URL
from qwen_api.testing import RunningServer, serve
from tests.reliability.hostile import CREATED, FINISHED, RESPONSE_ID, SSE_HEAD, Request, event, hostile, new_chat

ROOT = Path(__file__).resolve().parents[2]
HOSTS = (
    "QWEN_BASE_URL=http://127.0.0.1:9\nQWEN_AUTH_BASE_URL=http://127.0.0.1:9\nQWEN_OSS_ENDPOINT=http://127.0.0.1:9\n"
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("QWEN_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- .env --------------------------------------------------------------------------------------------


def test_a_parent_dotenv_is_never_read(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text("QWEN_AUTH_TOKEN=planted\n" + HOSTS)
    below = clean_env / "project"
    below.mkdir()
    monkeypatch.chdir(below)
    qwen = Qwen(api_key="mine")
    assert (qwen.base_url, qwen._config.auth_base_url, qwen._config.oss_endpoint) == (
        DEFAULT_BASE_URL,
        DEFAULT_AUTH_BASE_URL,
        None,
    )
    with pytest.raises(Exception, match="no Qwen token"):
        Qwen()  # nor its token


@pytest.mark.parametrize("source", ["code", "environment"])
def test_a_dotenv_never_names_hosts_for_credentials_it_did_not_supply(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    (clean_env / ".env").write_text(HOSTS)
    if source == "environment":
        monkeypatch.setenv("QWEN_AUTH_TOKEN", "from-env")
    qwen = Qwen(api_key="mine") if source == "code" else Qwen()
    assert qwen.base_url == DEFAULT_BASE_URL and qwen._config.auth_base_url == DEFAULT_AUTH_BASE_URL
    assert qwen._config.oss_endpoint is None


@pytest.mark.parametrize(
    ("credential", "source"),
    [("cookie", "code"), ("cookie", "environment"), ("refresh_token", "code"), ("refresh_token", "environment")],
)
def test_a_dotenv_token_does_not_take_other_credentials_to_its_hosts(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, credential: str, source: str
) -> None:
    (clean_env / ".env").write_text("QWEN_AUTH_TOKEN=planted\n" + HOSTS)
    if source == "environment":
        monkeypatch.setenv(f"QWEN_{credential.upper()}", "mine")
    qwen = Qwen(**{credential: "mine"}) if source == "code" else Qwen()
    assert qwen.base_url == DEFAULT_BASE_URL and qwen._config.auth_base_url == DEFAULT_AUTH_BASE_URL
    assert qwen._config.oss_endpoint is None


def test_a_dotenv_with_its_own_token_may_name_its_hosts_and_env_file_names_the_file(clean_env: Path) -> None:
    (clean_env / ".env").write_text("QWEN_AUTH_TOKEN=from-file\n" + HOSTS)
    assert Qwen().base_url == "http://127.0.0.1:9"
    elsewhere = clean_env / "creds.env"
    elsewhere.write_text("QWEN_AUTH_TOKEN=named\nQWEN_BASE_URL=http://127.0.0.1:8\n")
    named = Qwen(env_file=elsewhere)
    assert named._config.api_key == "named" and named.base_url == "http://127.0.0.1:8"
    with pytest.raises(ValueError, match="env_file"):
        Qwen(env_file=clean_env / "missing.env")


# Every CLI command that builds a client, with what it needs to get that far.
CLI_CLIENT_COMMANDS = (
    ("models",),
    ("chats", "list"),
    ("chat", "hi"),
    ("image", "a harbour"),
    ("upload", "notes.txt"),
    ("auth", "status"),
    ("doctor",),
)


def _cli_env(**extra: str) -> dict[str, str]:
    """The test's environment without any QWEN_* or proxy setting of the developer's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QWEN_") and not k.lower().endswith("_proxy")}
    env.update({"PYTHONPATH": str(ROOT), **extra})
    return env


@pytest.mark.timeout(180)
def test_cli_env_file_never_names_hosts_for_a_token_from_the_environment(tmp_path: Path) -> None:
    """``qwen --env-file creds.env`` whose file names only a host, the token being in the process
    environment: the token must not go to the file's host (the CLI once copied the file into
    ``os.environ``, where the SDK took the host for the user's own setting)."""
    with hostile({"*": lambda r, c: c.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")}) as proxy:
        with hostile({"/api/v2/chats/new": new_chat}) as evil:
            (tmp_path / "notes.txt").write_text("a file to upload\n")
            creds = tmp_path / "creds.env"
            creds.write_text(f"QWEN_BASE_URL={evil.url}\nQWEN_AUTH_BASE_URL={evil.url}\nQWEN_OSS_ENDPOINT={evil.url}\n")
            # the production host is reached through a "proxy" that refuses, so nothing leaves the machine
            env = _cli_env(QWEN_AUTH_TOKEN="SECRET-ENV-TOKEN", HTTPS_PROXY=proxy.url, https_proxy=proxy.url)
            for command in CLI_CLIENT_COMMANDS:
                done = _qwen(tmp_path, env, "--env-file", str(creds), "--max-retries", "0", *command)
                assert evil.requests == [], (command, done.stderr)
                assert done.returncode == 1, (command, done.returncode, done.stderr)
                assert "SECRET-ENV-TOKEN" not in done.stdout + done.stderr
            # each command aimed at production (through the proxy), not at the file's host
            assert proxy.requests and {r.path for r in proxy.requests} == {"chat.qwen.ai:443"}


def test_cli_env_file_is_handed_to_the_sdk_not_copied_into_the_environment(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qwen_api.cli import _common

    creds = clean_env / "creds.env"
    creds.write_text("QWEN_BASE_URL=http://127.0.0.1:9\nQWEN_MODEL=from-file\nQWEN_EXTRA_HEADERS=X-From: file\n")
    monkeypatch.setenv("QWEN_AUTH_TOKEN", "from-env")
    monkeypatch.setattr(_common._EnvFile, "path", None)
    _common.use_env_file(str(creds))
    try:
        assert "QWEN_BASE_URL" not in os.environ and "QWEN_MODEL" not in os.environ
        assert _common.env_file() == creds
        # the command's own settings still come from the file; hosts only under the SDK's rule
        assert _common.default_model() == "from-file" and _common.extra_headers(None) == {"X-From": "file"}
        from qwen_api.cli._parser import build_parser

        parsed = build_parser().parse_args(["models"])
        assert _common.config_from_args(parsed).base_url == DEFAULT_BASE_URL
        with _common.make_client(parsed) as client:
            assert client.base_url == DEFAULT_BASE_URL
        from qwen_api.gateway.server import ServeOptions, _accounts

        (account,) = _accounts(ServeOptions(env_file=_common.env_file()))
        assert account.client.base_url == DEFAULT_BASE_URL
        # with its own token, the named file may name its host (as Qwen(env_file=...) does)
        monkeypatch.delenv("QWEN_AUTH_TOKEN")
        creds.write_text("QWEN_AUTH_TOKEN=from-file\nQWEN_BASE_URL=http://127.0.0.1:9\n")
        assert _common.config_from_args(parsed).base_url == "http://127.0.0.1:9"
        assert _common.credentials_file() == creds
    finally:
        _common.use_env_file(None)
    assert _common.env_file() is None


def test_off_production_refreshes_go_to_base_url(clean_env: Path) -> None:
    assert Qwen(api_key="t", base_url="http://127.0.0.1:7")._config.auth_base_url == "http://127.0.0.1:7"
    assert Qwen(api_key="t")._config.auth_base_url == DEFAULT_AUTH_BASE_URL
    custom = Qwen(api_key="t", base_url="http://127.0.0.1:7", auth_base_url="http://127.0.0.1:6")
    assert custom._config.auth_base_url == "http://127.0.0.1:6"


# -- credentials -------------------------------------------------------------------------------------

POISON = {"cr": "abc\rdef", "lf": "abc\ndef", "nul": "abc\x00def", "latin1": "abcédef", "emoji": "abc🙂def"}


@pytest.mark.parametrize("kind", sorted(POISON))
@pytest.mark.parametrize("argument", ["api_key", "cookie", "refresh_token", "default_headers"])
def test_header_values_that_http_cannot_carry_are_refused_naming_the_argument(
    clean_env: Path, argument: str, kind: str
) -> None:
    value = POISON[kind]
    kwargs: dict[str, Any] = {"api_key": "good-token"}
    kwargs[argument] = {"x-extra": value} if argument == "default_headers" else value
    with pytest.raises(ValueError, match=argument) as info:
        Qwen(**kwargs)
    assert value not in str(info.value) and "abc" not in str(info.value)


SECRET = "sk-abcdef123456"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", sorted(POISON))
@pytest.mark.parametrize("route", ["extra_headers", "with_options"])
def test_per_call_and_copied_headers_get_the_constructors_check(route: str, kind: str, mode: str) -> None:
    """A poisoned value given per call or to ``with_options`` used to reach h11, whose error quoted it
    (a secret, in ``str(e)``), and the call was retried; now it is refused before any request."""
    value = SECRET + POISON[kind]
    with hostile({"*": new_chat}) as server, Qwen(api_key="t", base_url=server.url, max_retries=2) as qwen:
        argument = "extra_headers" if route == "extra_headers" else "default_headers"
        with pytest.raises(ValueError, match=rf"^{argument}\['X-Auth'\] contains a character") as info:
            extra: dict[str, Any] = {}
            target = qwen
            if route == "extra_headers":
                extra["extra_headers"] = {"X-Auth": value}
            else:
                target = qwen.with_options(default_headers={"X-Auth": value})
            messages = [{"role": "user", "content": "hi"}]
            if mode == "sync":
                target.chat.create(messages, model="qwen3.7-plus", **extra)
            else:
                asyncio.run(target.chat.acreate(messages, model="qwen3.7-plus", **extra))
        assert SECRET not in str(info.value) and SECRET not in repr(info.value)
        assert server.requests == []


@pytest.mark.parametrize("route", ["extra_headers", "with_options"])
def test_header_names_and_value_types_are_checked_without_echoing_the_value(route: str) -> None:
    with Qwen(api_key="t", base_url="http://127.0.0.1:9", max_retries=0) as qwen:
        for headers, error in (({"X Bad": "v"}, ValueError), ({"X-Auth": [SECRET]}, TypeError)):
            with pytest.raises(error) as info:
                if route == "extra_headers":
                    qwen.models.list(extra_headers=headers)  # type: ignore[arg-type]
                else:
                    qwen.with_options(default_headers=headers)  # type: ignore[arg-type]
            assert SECRET not in str(info.value)
        with pytest.raises(TypeError, match="extra_query") as query:
            qwen.models.list(extra_query={"sig": [SECRET]})  # type: ignore[dict-item]
        assert SECRET not in str(query.value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_request_the_http_layer_cannot_encode_is_not_retried_and_not_quoted(mode: str) -> None:
    """Defence in depth: a header no check saw (here, on an injected httpx client) makes h11 raise
    ``LocalProtocolError`` quoting the value. That is our request's fault: one attempt, a typed
    ``QwenInvalidRequestError``, and the exception text (the value) is not repeated."""
    attempts: list[str] = []
    poisoned = {"X-Auth": SECRET + "\nInjected: yes"}
    messages = [{"role": "user", "content": "hi"}]

    def call_sync(url: str) -> None:
        http = httpx.Client(headers=poisoned, event_hooks={"request": [lambda r: attempts.append(r.url.path)]})
        with http, Qwen(api_key="t", base_url=url, max_retries=3, http_client=http) as qwen:
            qwen.chat.create(messages, model="qwen3.7-plus")

    async def call_async(url: str) -> None:
        async def hook(request: httpx.Request) -> None:
            attempts.append(request.url.path)

        http = httpx.AsyncClient(headers=poisoned, event_hooks={"request": [hook]})
        async with http, Qwen(api_key="t", base_url=url, max_retries=3, async_http_client=http) as qwen:
            await qwen.chat.acreate(messages, model="qwen3.7-plus")

    with hostile({"*": new_chat}) as server:
        with pytest.raises(QwenInvalidRequestError) as info:
            call_sync(server.url) if mode == "sync" else asyncio.run(call_async(server.url))
        assert server.requests == []
    error = info.value
    assert attempts == ["/api/v2/chats/new"]  # once: not retried with backoff
    assert "LocalProtocolError" in str(error) and "cannot be sent" in str(error)
    assert SECRET not in str(error) and "Injected" not in str(error)


# -- text and ids ------------------------------------------------------------------------------------

BAD_INPUT = {
    "lone_surrogate": ({"text": "hi \ud800"}, "lone surrogate"),
    "huge_chat_id": ({"chat_id": "c" * 5_000_000}, "chat_id"),
    "chat_id_with_query": ({"chat_id": "abc?chat_id=other"}, "chat_id"),
    "parent_id_with_newline": ({"parent_id": "p\r\nx: y"}, "parent_id"),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("stream", [False, True], ids=["non-stream", "stream"])
@pytest.mark.parametrize("case", sorted(BAD_INPUT))
def test_bad_text_and_ids_are_refused_before_any_request(mode: str, stream: bool, case: str) -> None:
    given, match = BAD_INPUT[case]
    with hostile({"*": new_chat}) as server, Qwen(api_key="t", base_url=server.url, max_retries=0) as qwen:
        with pytest.raises(QwenInvalidRequestError, match=match) as info:
            if "text" in given:  # the documented stateless call: a chat would be created first
                messages = [{"role": "user", "content": given["text"]}]
                if mode == "sync":
                    qwen.chat.create(messages, model="qwen3.7-plus", stream=stream)
                else:
                    asyncio.run(qwen.chat.acreate(messages, model="qwen3.7-plus", stream=stream))
            else:
                chat = qwen.chats.resume(given.get("chat_id", "c-1"), "qwen3.7-plus", given.get("parent_id"))
                if mode == "sync":
                    chat.send("hi", stream=stream)
                else:
                    asyncio.run(chat.asend("hi", stream=stream))
        assert server.requests == []  # not even the chat was created
        assert len(str(info.value)) < 500
        assert isinstance(info.value, QwenInputValueError) and isinstance(info.value, ValueError)


BAD_CHAT_IDS: dict[str, tuple[object, type[Exception]]] = {
    "huge": ("x" * 5_000_000, QwenInputValueError),
    "long": ("x" * 1000, QwenInputValueError),
    "path": ("../../x", QwenInputValueError),
    "dot_dot": ("..", QwenInputValueError),
    "query": ("abc?x=1", QwenInputValueError),
    "newline": ("abc\r\nx: y", QwenInputValueError),
    "empty": ("", QwenInputValueError),
    "number": (42, QwenInputTypeError),
    "none": (None, QwenInputTypeError),
}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("case", sorted(BAD_CHAT_IDS))
def test_chat_ids_are_checked_for_every_chats_call(mode: str, case: str) -> None:
    """Each a ``QwenInputValueError`` (a ``ValueError``) or ``QwenInputTypeError`` (a ``TypeError``),
    naming ``chat_id`` and quoting at most a short excerpt of the value."""
    value, error = BAD_CHAT_IDS[case]
    with hostile({"*": new_chat}) as server, Qwen(api_key="t", base_url=server.url, max_retries=0) as qwen:
        for name in ("get", "delete", "stop", "resume"):
            with pytest.raises(error, match=r"^chat_id ") as info:
                if mode == "sync" or name == "resume":  # resume does no I/O: one method for both
                    getattr(qwen.chats, name)(value)
                else:
                    asyncio.run(getattr(qwen.chats, "a" + name)(value))
            assert isinstance(info.value, QwenInvalidRequestError)  # the documented hierarchy still holds
            assert isinstance(info.value, ValueError if error is QwenInputValueError else TypeError)
            assert len(str(info.value)) < 200
        assert server.requests == []


# -- the CLI's image downloads -----------------------------------------------------------------------


def _image_answer(urls: list[str], response_id: str) -> Any:
    def route(request: Request, conn: Any) -> None:
        created = CREATED.replace(RESPONSE_ID.encode(), response_id.encode())
        frames = [created]
        for url in urls:
            delta = {"role": "assistant", "content": url, "phase": "image_gen", "status": "typing"}
            frames.append(event(delta))
        frames.append(event({"role": "assistant", "content": "", "phase": "image_gen", "status": "finished"}))
        conn.sendall(SSE_HEAD + b"".join(frames))

    return route


def _png(request: Request, conn: Any) -> None:
    body = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: %d\r\n\r\n" % len(body) + body)


def _redirect(target: str) -> Any:
    def route(request: Request, conn: Any) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\n\r\n".encode())

    return route


def _huge(request: Request, conn: Any) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: image/png\r\nconnection: close\r\n\r\n")
    while True:
        conn.sendall(b"0" * 65536)


def _qwen(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m qwen_api ARGS`` in ``cwd`` with exactly ``env``."""
    command = [sys.executable, "-m", "qwen_api", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, timeout=60, check=False)


def _cli(tmp_path: Path, server_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QWEN_")}
    env.update({"QWEN_AUTH_TOKEN": "t", "PYTHONPATH": str(ROOT)})
    return _qwen(tmp_path, env, "--base-url", server_url, "--max-retries", "0", "image", *args)


@pytest.mark.timeout(120)
def test_cli_image_downloads_only_inside_the_folder_from_legitimate_hosts(tmp_path: Path) -> None:
    outside = tmp_path / "holiday.png"
    outside.write_bytes(b"keep me")
    hostile_id = str(tmp_path / "holiday")  # a response_id that names a path outside --output-dir
    for response_id in (hostile_id, "../holiday"):
        with hostile({"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": None}) as server:  # type: ignore[dict-item]
            server.routes["/api/v2/chat/completions"] = _image_answer([server.url + "/img.png"], response_id)
            server.routes["/img.png"] = _png
            done = _cli(tmp_path, server.url, "-o", "out", "--json", "a harbour")
            assert done.returncode == 0, done.stderr
            saved = Path(json.loads(done.stdout)["images"][0]["path"])
            assert (tmp_path / saved).resolve().parent == (tmp_path / "out").resolve()
            assert saved.name == "a-harbour-1.png" and outside.read_bytes() == b"keep me"
            again = _cli(tmp_path, server.url, "-o", "out", "a harbour")
            assert again.returncode != 0 and "--force" in again.stderr  # never overwrites silently
            forced = _cli(tmp_path, server.url, "-o", "out", "--force", "a harbour")
            assert forced.returncode == 0, forced.stderr
            (tmp_path / "out" / "a-harbour-1.png").unlink()
    for name, image_url, extra_routes in (
        ("foreign host", "http://169.254.169.254/latest/meta-data", {}),
        ("file scheme", "file:///etc/passwd", {}),
        ("redirect elsewhere", "{url}/r.png", {"/r.png": _redirect("http://169.254.169.254/x.png")}),
        ("too big", "{url}/huge.png", {"/huge.png": _huge}),
    ):
        with hostile({"/api/v2/chats/new": new_chat}) as server:
            server.routes["/api/v2/chat/completions"] = _image_answer([image_url.format(url=server.url)], "r-1")
            server.routes.update(extra_routes)
            done = _cli(tmp_path, server.url, "-o", "out2", "a harbour")
            assert done.returncode != 0, name
            assert not list((tmp_path / "out2").glob("*")), name
            if name == "file scheme":
                assert "a file URL without a host" in done.stderr and "None" not in done.stderr


def _trickle(request: Request, conn: Any) -> None:
    """An image host that never lets a read time out: one byte every 0.2 s of a declared 100 kB."""
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 100000\r\n\r\n")
    while True:
        conn.sendall(b"0")
        time.sleep(0.2)


@pytest.mark.timeout(60)
def test_cli_image_download_has_a_total_deadline(tmp_path: Path) -> None:
    """Each read is bounded by --timeout; the whole download by DOWNLOAD_TIME_FACTOR times it."""
    from qwen_api.cli._download import DOWNLOAD_TIME_FACTOR

    with hostile({"/api/v2/chats/new": new_chat, "/tr.png": _trickle}) as server:
        server.routes["/api/v2/chat/completions"] = _image_answer([server.url + "/tr.png"], "r-1")
        done = _cli(tmp_path, server.url, "--timeout", "1", "-o", "out", "a harbour")
    assert done.returncode == 1, done.stderr  # the CLI's exit status for a failure on the service's side
    note, error = done.stderr.splitlines()
    assert error.startswith("qwen: DownloadError: downloading image 1 did not finish within ")
    assert f"{DOWNLOAD_TIME_FACTOR:g} s ({DOWNLOAD_TIME_FACTOR} times --timeout)" in error
    assert note.endswith("their URLs: " + server.url + "/tr.png")  # generated, so not lost
    assert "Traceback" not in done.stderr and not list((tmp_path / "out").glob("*"))


@pytest.mark.timeout(60)
def test_cli_image_download_failure_names_the_status_and_keeps_the_urls(tmp_path: Path) -> None:
    def broken(request: Request, conn: Any) -> None:
        conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")

    with hostile({"/api/v2/chats/new": new_chat, "/x.png": broken}) as server:
        server.routes["/api/v2/chat/completions"] = _image_answer([server.url + "/x.png"], "r-1")
        done = _cli(tmp_path, server.url, "-o", "out", "a harbour")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "qwen: the images were generated but not all saved; their URLs: " + server.url + "/x.png",
        "qwen: DownloadError: downloading image 1 failed: HTTP 500",
    ]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("output", [["-o", "out"], [], ["--json"]], ids=["output-dir", "urls", "json"])
def test_cli_image_answer_without_an_image_is_an_error(tmp_path: Path, output: list[str]) -> None:
    with hostile({"/api/v2/chats/new": new_chat}) as server:
        server.routes["/api/v2/chat/completions"] = _image_answer([""], "r-1")  # an empty image URL
        done = _cli(tmp_path, server.url, *output, "a harbour")
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.startswith("qwen: NoImageError: ") and "no image" in done.stderr
    assert done.stdout == ""


# -- the local server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local() -> Any:
    with serve() as running:
        yield running


def _auth(server: RunningServer) -> dict[str, str]:
    return {"authorization": f"Bearer {server.mint_token()}"}


@pytest.mark.timeout(60)
def test_local_server_refuses_oversized_bodies_and_bounds_what_it_records(local: RunningServer) -> None:
    from qwen_api.testing.app import MAX_REQUEST_BODY
    from qwen_api.testing.state import RECORD_BODY_LIMIT, RECORD_BYTES_LIMIT

    with httpx.Client(base_url=local.url, headers=_auth(local), timeout=30) as http:
        big = http.post("/api/v2/chats/new", content=b"x" * (MAX_REQUEST_BODY + 1))
        assert big.status_code == 413
        body = json.dumps({"models": ["qwen3.7-plus"], "pad": "x" * (RECORD_BODY_LIMIT + 10)}).encode()
        for _ in range(3):
            http.post("/api/v2/chats/new", content=body, headers={"content-type": "application/json"})
    recorded = [r for r in local.state.requests if r.size > RECORD_BODY_LIMIT]
    assert recorded and all(r.json is None for r in recorded)
    assert sum(r.size for r in local.state.requests if r.json is not None) <= RECORD_BYTES_LIMIT


@pytest.mark.timeout(60)
def test_local_server_forgets_the_oldest_chats_beyond_its_chat_limit(local: RunningServer) -> None:
    limit = 4 * 1024 * 1024
    local.state.chats_bytes_limit = limit
    big = "t" * (512 * 1024)  # long titles and long messages, as an attacker would send
    with httpx.Client(base_url=local.url, headers=_auth(local), timeout=30) as http:
        ids = [http.post("/api/v2/chats/new", json={"title": big}).json()["data"]["id"] for _ in range(12)]
        assert local.state.chat_bytes <= limit and len(local.state.chats) == 7
        body = {"stream": True, "model": "qwen3.7-plus", "messages": [{"role": "user", "content": big}]}
        for _ in range(2):  # the chat being written to is never the one forgotten
            turn = http.post(f"/api/v2/chat/completions?chat_id={ids[-1]}", json={**body, "chat_id": ids[-1]})
            assert turn.status_code == 200 and b"response.created" in turn.content
        assert local.state.chat_bytes <= limit and len(local.state.chats) < 7
        assert local.state.chat_bytes == sum(chat.size for chat in local.state.chats.values())
        assert ids[0] not in local.state.chats and ids[-1] in local.state.chats  # the oldest went first
        assert http.get(f"/api/v2/chats/{ids[0]}").json()["success"] is False  # as if deleted elsewhere
        assert http.get(f"/api/v2/chats/{ids[-1]}").json()["success"] is True
        assert http.delete(f"/api/v2/chats/{ids[-1]}").json()["success"] is True
    assert local.state.chat_bytes == sum(chat.size for chat in local.state.chats.values())


MALFORMED: list[Any] = [
    {"x-qwen-mock-fault": "http_429; retry_after=nan"},
    {"x-qwen-mock-fault": "stall_between_events; seconds=inf"},
    {"x-qwen-mock-fault": "envelope_rate_limited; num=abc"},
    {"x-qwen-mock-fault": "waf_html; status=99"},
    {"x-qwen-mock-fault": "malformed_event; after=99999999999999999999"},
    {"x-qwen-mock-fault": "malformed_event; bogus=1"},
    {"x-qwen-mock-fault": "drop_after_events; id="},
    {"x-qwen-mock-answer-length": "99999999999"},
    {"x-qwen-mock-delay": "1e30"},
    {"x-qwen-mock-image-count": "1e9"},
    {"x-qwen-mock-chunk-size": "nan"},
    {"x-qwen-mock-chunk-size": "abc"},
    {"x-qwen-mock-delay": "nan"},
    {"x-qwen-mock-delay": "-1"},
    {"x-qwen-mock-delay": "inf"},
    {"x-qwen-mock-answer-length": "-3"},
    {"x-qwen-mock-image-count": "abc"},
    {"x-qwen-mock-script": '"unterminated'},
    {"x-qwen-mock-script": "base64:!!!"},
    {"x-qwen-mock-script-reasoning": '"x'},
    {"x-qwen-mock-drift": "rename=a"},
    # statuses the fault's page cannot be sent with (informational, or no body)
    {"x-qwen-mock-fault": "waf_html; status=100"},
    {"x-qwen-mock-fault": "waf_html; status=199"},
    {"x-qwen-mock-fault": "waf_html; status=204"},
    {"x-qwen-mock-fault": "waf_html; status=304"},
    # present but saying nothing, or said twice
    {"x-qwen-mock-fault": ""},
    {"x-qwen-mock-fault": ";"},
    {"x-qwen-mock-drift": ";;;"},
    [("x-qwen-mock-fault", "http_429"), ("x-qwen-mock-fault", "bogus")],
    [("x-qwen-mock-drift", "drop=usage"), ("x-qwen-mock-drift", "drop=data")],
    # the same rule for every control header: twice (even with valid values), empty, an invalid copy
    [("x-qwen-mock-script", "first answer"), ("x-qwen-mock-script", "second answer")],
    [("x-qwen-mock-answer-length", "5"), ("x-qwen-mock-answer-length", "500")],
    [("x-qwen-mock-image-count", "1"), ("x-qwen-mock-image-count", "9")],
    [("x-qwen-mock-chunk-size", "5"), ("x-qwen-mock-chunk-size", "0")],
    [("x-qwen-mock-delay", "0"), ("x-qwen-mock-delay", "0")],
    [("x-qwen-mock-script", "a"), ("x-qwen-mock-script-reasoning", '"b"'), ("x-qwen-mock-script-reasoning", '"c"')],
    {"x-qwen-mock-script": ""},
    {"x-qwen-mock-chunk-size": ""},
    {"x-qwen-mock-delay": ""},
    # a misspelt (unknown) control header
    {"x-qwen-mock-dealy": "5"},
    {"x-qwen-mock-chunksize": "5"},
]


@pytest.mark.timeout(60)
def test_local_server_answers_every_malformed_control_header_with_400(local: RunningServer) -> None:
    with httpx.Client(base_url=local.url, headers=_auth(local), timeout=10) as http:
        chat = http.post("/api/v2/chats/new", json={"models": ["qwen3.7-plus"]}).json()["data"]["id"]
        body = {
            "stream": True,
            "chat_id": chat,
            "model": "qwen3.7-plus",
            "messages": [{"role": "user", "content": "hi", "chat_type": "t2t"}],
        }
        for headers in MALFORMED:
            # A real HTTP 400: an HTTP 200 with x-actual-status-code is the service's error form,
            # and control headers are the local server's own API.
            answer = http.post(f"/api/v2/chat/completions?chat_id={chat}", json=body, headers=headers)
            assert answer.status_code == 400, (headers, answer.status_code, answer.text[:200])
            assert "x-actual-status-code" not in answer.headers, headers
            if "x-qwen-mock-dealy" in dict(headers):
                assert "unknown control header" in answer.text and "x-qwen-mock-delay" in answer.text
            for other in (
                http.post("/api/v2/chats/new", json={}, headers=headers),
                http.get("/api/v2/models/", headers=headers),
            ):
                assert other.status_code == 400, (headers, other.request.url.path, other.status_code)
    assert FINISHED  # (the well-formed answers are covered by the e2e suite)


def test_tokens_are_attached_only_to_the_api_host(clean_env: Path) -> None:
    qwen = Qwen(api_key="tok-123", base_url="http://127.0.0.1:7")
    assert qwen._auth.headers_for("http://127.0.0.1:7/api/v2/chats/new")["Authorization"] == "Bearer tok-123"
    for elsewhere in ("http://127.0.0.1:8/api", "http://127.0.0.1:7.evil.com/api", "https://oss-x.aliyuncs.com/b/k"):
        assert qwen._auth.headers_for(elsewhere) == {}
