"""Issue 16, hostile server: each attack against a raw-socket loopback server (``hostile.py``).

Every scenario runs sync and async, stream and non-stream where both apply, and ends in bounded
time (``pytest.mark.timeout``): an attack that hangs fails the test instead of the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from qwen_api import (
    Qwen,
    QwenAPIError,
    QwenClientClosedError,
    QwenResponseTooLargeError,
    QwenStreamInterruptedError,
    QwenTimeoutError,
    QwenUploadError,
    ResponseLimits,
)
from qwen_api._limits import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_EVENT_BYTES
from tests.reliability.hostile import (
    CREATED,
    FINISHED,
    SSE_HEAD,
    HostileServer,
    Request,
    answer,
    forever,
    hostile,
    jwt,
    new_chat,
    send_json,
    stream,
)

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [{"role": "user", "content": "hi"}]
MODEL = "qwen3.7-plus"
MODES = [("sync", False), ("sync", True), ("async", False), ("async", True)]
MODE_IDS = ["sync", "sync-stream", "async", "async-stream"]


def client(server: HostileServer, **kwargs: Any) -> Qwen:
    options: dict[str, Any] = {"api_key": "tok", "base_url": server.url, "max_retries": 0, "timeout": 10}
    options.update(kwargs)
    return Qwen(**options)


def ask(qwen: Qwen, mode: str, stream: bool) -> tuple[str, BaseException | None]:
    """One turn read to the end; returns the text received and the error that ended it, if any."""
    received: list[str] = []

    async def run_async() -> None:
        result = await qwen.chat.acreate(MESSAGES, model=MODEL, stream=stream)
        if stream:
            async for chunk in result:  # type: ignore[union-attr]
                received.append(chunk.choices[0].delta.content or "")
        else:
            received.append(result.choices[0].message.content)  # type: ignore[union-attr]

    try:
        if mode == "async":
            asyncio.run(run_async())
        else:
            result = qwen.chat.create(MESSAGES, model=MODEL, stream=stream)
            if stream:
                received.extend(chunk.choices[0].delta.content or "" for chunk in result)  # type: ignore[union-attr]
            else:
                received.append(result.choices[0].message.content)  # type: ignore[union-attr]
    except Exception as error:
        return "".join(received), error
    return "".join(received), None


# -- memory ------------------------------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_memory_attacks_stay_bounded_in_a_child_process() -> None:
    """Endless SSE line, 1 GiB JSON body (declared and not), gzip bombs on JSON and on the stream:
    each raises ``QwenResponseTooLargeError`` naming its limit, and the child's peak RSS grows < 256 MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability._memory_attacks"],
        capture_output=True,
        text=True,
        timeout=110,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    expected = {
        "endless_sse_line": {"max_event_bytes"},
        # inflated in bounded steps, the bomb's zeros form one endless line: whichever limit comes first
        "gzip_bomb_stream": {"max_event_bytes", "max_decompressed_bytes"},
        "huge_json_declared": {"max_body_bytes"},
        "huge_json_undeclared": {"max_body_bytes"},
        "gzip_bomb_json": {"max_body_bytes", "max_decompressed_bytes"},
    }
    assert len(report["results"]) == 14  # every attack in every mode that applies
    for key, (kind, code) in report["results"].items():
        assert kind == "QwenResponseTooLargeError" and code in expected[key.split("/")[0]], key
    assert report["growth_kib"] * 1024 < 256 * 1000 * 1000


def test_limits_are_documented_defaults_and_overridable() -> None:
    limits = ResponseLimits()
    assert (limits.max_event_bytes, limits.max_body_bytes, limits.max_decompressed_bytes) == (
        DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_DECOMPRESSED_BYTES,
    )
    with pytest.raises(ValueError, match="max_event_bytes"):
        ResponseLimits(max_event_bytes=0)
    big_chat = {"success": True, "data": {"id": "c" * 8, "pad": "x" * 5000}}
    routes = {"/api/v2/chats/new": lambda request, conn: send_json(conn, big_chat)}
    with hostile(routes) as server:
        for mode in ("sync", "async"):
            qwen = client(server, limits=ResponseLimits(max_body_bytes=4096))
            _, error = ask(qwen, mode, False)
            assert isinstance(error, QwenResponseTooLargeError) and error.code == "max_body_bytes"
            assert "max_body_bytes=4096" in str(error)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("mode", "use_stream"), MODES, ids=MODE_IDS)
def test_an_event_larger_than_max_event_bytes_is_refused_when_it_arrives_whole(mode: str, use_stream: bool) -> None:
    """One 4 KB event in a single write (so usually in a single read): it used to pass, since only
    an event spanning reads was measured."""
    routes = {"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": stream(CREATED, answer("x" * 4000), FINISHED)}
    with hostile(routes) as server:
        received, error = ask(client(server, limits=ResponseLimits(max_event_bytes=1024)), mode, use_stream)
    assert isinstance(error, QwenResponseTooLargeError), error
    assert error.code == "max_event_bytes" and "max_event_bytes=1024" in str(error)
    assert received == ""


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("mode", "use_stream"), MODES, ids=MODE_IDS)
def test_the_answer_before_a_too_large_event_in_the_same_read_is_handed_out_first(mode: str, use_stream: bool) -> None:
    """The events that arrived whole before the too-large one (here in the same write, so usually
    the same read) reach the caller, then the error, carrying them as the partial answer."""
    frames = (CREATED, answer("hello "), answer("world "), answer("x" * 4000), answer("never"), FINISHED)
    routes = {"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": stream(*frames)}
    with hostile(routes) as server:
        received, error = ask(client(server, limits=ResponseLimits(max_event_bytes=1024)), mode, use_stream)
    assert isinstance(error, QwenResponseTooLargeError), error
    assert error.code == "max_event_bytes"
    assert error.partial_content == "hello world "
    assert received == ("hello world " if use_stream else "")


@pytest.mark.timeout(30)
def test_identity_encoding_is_asked_for_unless_the_user_asks_otherwise() -> None:
    routes = {"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": stream(CREATED, answer("ok"), FINISHED)}
    with hostile(routes) as server:
        assert ask(client(server), "sync", False) == ("ok", None)
        assert ask(client(server), "async", True) == ("ok", None)
        with client(server, default_headers={"Accept-Encoding": "gzip"}) as custom:
            custom.chat.create(MESSAGES, model=MODEL)
    encodings = [request.headers.get("accept-encoding") for request in server.requests]
    assert encodings == ["identity"] * 4 + ["gzip"] * 2


# -- total time --------------------------------------------------------------------------------------


def _trickle(request: Request, conn: Any) -> None:
    conn.sendall(SSE_HEAD + CREATED + answer("first"))
    while True:  # one byte a second, inside an event that never ends
        conn.sendall(b"x" if conn.fileno() >= 0 else b"")
        time.sleep(0.2)


def _stall(request: Request, conn: Any) -> None:
    conn.sendall(SSE_HEAD + CREATED + answer("first"))
    while conn.fileno() >= 0:  # then nothing at all: the next read waits until the deadline
        time.sleep(0.05)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("mode", "use_stream"), MODES, ids=MODE_IDS)
@pytest.mark.parametrize("attack", ["trickle", "stall", "keepalive", "json_trickle", "header_trickle"])
def test_total_timeout_bounds_a_call_against_trickles_and_keepalives(attack: str, mode: str, use_stream: bool) -> None:
    completions = (
        _trickle
        if attack == "trickle"
        else _stall
        if attack == "stall"
        # the status line and headers a byte at a time: httpx reads them in one call, each read well
        # within timeout=, so only the deadline can end it
        else forever(b"", b"H", pause=0.2)
        if attack == "header_trickle"
        else forever(SSE_HEAD + CREATED, b": ping\n\n", pause=0.05)  # keep-alives forever, no chunk
    )
    chats_new = (  # a JSON body one byte at a time
        forever(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n", b" ", 0.2)
        if attack == "json_trickle"
        else new_chat
    )
    with hostile({"/api/v2/chats/new": chats_new, "/api/v2/chat/completions": completions}) as server:
        started = time.monotonic()
        received, error = ask(client(server, total_timeout=1.0, timeout=5), mode, use_stream)
        elapsed = time.monotonic() - started
    assert isinstance(error, QwenTimeoutError) and error.code == "total_timeout", error
    assert "total_timeout=1s" in str(error)
    assert error.method == "POST" and error.url and error.url.startswith(server.url)  # sync and async alike
    assert elapsed < 5  # bounded by total_timeout, not by timeout= or the server
    if attack in ("trickle", "stall") and use_stream:
        assert received == "first" and error.partial_content == "first"


# -- truncation --------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("mode", "use_stream"), MODES, ids=MODE_IDS)
def test_an_answer_without_its_end_marker_is_interrupted_not_complete(mode: str, use_stream: bool) -> None:
    routes = {"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": stream(CREATED, answer("Hel"), answer("lo"))}
    with hostile(routes) as server:
        received, error = ask(client(server), mode, use_stream)
    assert isinstance(error, QwenStreamInterruptedError)
    assert error.partial_content == "Hello" and "end-of-answer marker" in str(error)
    assert received == ("Hello" if use_stream else "")


@pytest.mark.timeout(30)
def test_truncated_stream_never_reports_stop() -> None:
    routes = {"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": stream(CREATED, answer("Hel"), answer("lo"))}
    with hostile(routes) as server, client(server) as qwen:
        chunks = qwen.chat.create(MESSAGES, model=MODEL, stream=True)
        reasons = []
        with pytest.raises(QwenStreamInterruptedError):
            for chunk in chunks:
                reasons.append(chunk.choices[0].finish_reason)
        assert "stop" not in reasons and chunks.final_response().choices[0].finish_reason is None


# -- refresh -----------------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_one_refresh_in_flight_across_threads_and_event_loops_and_it_goes_to_base_url() -> None:
    fresh = jwt(time.time() + 3600)
    refreshes: list[str] = []

    def refresh(request: Request, conn: Any) -> None:
        refreshes.append(request.headers.get("cookie", ""))
        time.sleep(0.5)  # long enough for every caller to arrive while it is in flight
        send_json(conn, {"success": True, "data": {"access_token": fresh, "refresh_token": "rt-2"}})

    routes = {
        "/api/v2/auths/refresh": refresh,
        "/api/v2/chats/new": new_chat,
        "/api/v2/chat/completions": stream(CREATED, answer("ok"), FINISHED),
    }
    with hostile(routes) as server:
        qwen = client(server, api_key=jwt(time.time() - 10), refresh_token="rt-1")
        results: list[Any] = []
        barrier = threading.Barrier(3)

        def in_thread() -> None:
            barrier.wait()
            results.append(ask(qwen, "sync", False))

        async def two_tasks() -> list[str]:
            async def one() -> str:
                answer = await qwen.chat.acreate(MESSAGES, model=MODEL)
                return answer.choices[0].message.content

            return list(await asyncio.gather(one(), one()))

        def in_loop() -> None:
            barrier.wait()
            results.extend((text, None) for text in asyncio.run(two_tasks()))

        threads = [threading.Thread(target=t) for t in (in_thread, in_thread, in_loop)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        qwen.close()
    assert results == [("ok", None)] * 4
    assert refreshes == ["refresh_token=rt-1"]  # once, and to base_url: no auth host was configured


# -- close -------------------------------------------------------------------------------------------


def _slow_stream(request: Request, conn: Any) -> None:
    conn.sendall(SSE_HEAD + CREATED)
    for index in range(400):
        conn.sendall(answer(f"{index} "))
        time.sleep(0.01)
    conn.sendall(FINISHED)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("server_state", ["streaming", "stalled"])
def test_close_during_many_streams_gives_one_typed_error(mode: str, server_state: str) -> None:
    release = threading.Event()

    def stalled(request: Request, conn: Any) -> None:  # one piece, then silence: every read waits
        conn.sendall(SSE_HEAD + CREATED + answer("first "))
        release.wait(30)

    completions = _slow_stream if server_state == "streaming" else stalled
    with hostile({"/api/v2/chats/new": new_chat, "/api/v2/chat/completions": completions}) as server:
        # stalled: reads blocked when close() comes end with their read timeout, and must say "closed"
        qwen = client(server, timeout=1.0) if server_state == "stalled" else client(server)
        errors: list[BaseException | None] = []
        started = threading.Barrier(21 if mode == "sync" else 2)

        def one() -> None:
            started.wait()
            errors.append(ask(qwen, "sync", True)[1])

        async def many() -> None:
            async def task() -> None:
                try:
                    result = await qwen.chat.acreate(MESSAGES, model=MODEL, stream=True)
                    async for _ in result:
                        pass
                    errors.append(None)
                except Exception as error:
                    errors.append(error)

            tasks = [asyncio.ensure_future(task()) for _ in range(20)]
            await asyncio.sleep(0)
            await asyncio.get_running_loop().run_in_executor(None, started.wait)
            await asyncio.sleep(0.3)
            await qwen.aclose()
            await asyncio.gather(*tasks)

        if mode == "sync":
            threads = [threading.Thread(target=one) for _ in range(20)]
            for thread in threads:
                thread.start()
            started.wait()
            time.sleep(0.3)
            qwen.close()
            for thread in threads:
                thread.join(30)
        else:
            runner = threading.Thread(target=lambda: asyncio.run(many()))
            runner.start()
            started.wait()
            runner.join(30)
        release.set()
        assert len(errors) == 20
        assert all(isinstance(error, QwenClientClosedError) for error in errors), errors
        with pytest.raises(QwenClientClosedError):
            qwen.chat.create(MESSAGES, model=MODEL)
        with pytest.raises(QwenClientClosedError):
            asyncio.run(qwen.chat.acreate(MESSAGES, model=MODEL))


# -- uploads -----------------------------------------------------------------------------------------

GRANTS = {
    "loopback_other_port": {"endpoint": "http://127.0.0.1:9"},
    "metadata_service": {"endpoint": "http://169.254.169.254"},
    "userinfo": {"endpoint": "http://user:pw@oss-x.aliyuncs.com"},
    "plain_http_storage": {"endpoint": "http://oss-x.aliyuncs.com"},
    "bare_foreign_host": {"endpoint": "evil.example.com"},
    "bucket_with_host": {"bucketname": "evil.com/x", "endpoint": "oss-x.aliyuncs.com"},
    "bucket_with_dot_host": {"bucketname": "a.evil.com", "endpoint": "oss-x.aliyuncs.com"},
    "endpoint_not_text": {"endpoint": 5},
    "bucket_not_text": {"bucketname": ["qwen-webui-prod"], "endpoint": "oss-x.aliyuncs.com"},
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_upload_grants_pointing_elsewhere_are_refused_before_a_byte_is_sent(mode: str, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("hello")
    for name, overrides in GRANTS.items():
        grant = {
            "access_key_id": "STS.k",
            "access_key_secret": "secret-value",
            "security_token": "sts-token-value",
            "file_url": "https://x/y",
            "file_path": "u/note.txt",
            "file_id": "f-1",
            "bucketname": "qwen-webui-prod",
            "region": "oss-ap-southeast-1",
            **overrides,
        }
        routes = {
            "/api/v2/files/getstsToken": lambda request, conn, g=grant: send_json(conn, {"success": True, "data": g})
        }
        with hostile(routes) as server, client(server) as qwen:
            with pytest.raises(QwenUploadError, match="nothing was sent") as info:
                if mode == "sync":
                    qwen.chat.upload_file(file_path=str(path))
                else:
                    asyncio.run(qwen.chat.async_upload_file(file_path=str(path)))
            assert info.value.code == "untrusted_storage_endpoint", name
            assert server.paths() == ["/api/v2/files/getstsToken"], name  # no PUT anywhere
            assert "sts-token-value" not in str(info.value)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_file_swapped_for_a_fifo_after_the_check_does_not_hang(mode: str, tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    path = tmp_path / "note.txt"
    path.write_text("hello")

    def grant(request: Request, conn: Any) -> None:
        path.unlink()
        os.mkfifo(path)  # between the SDK's check and its PUT
        host = request.headers["host"]
        data = {
            "access_key_id": "STS.k",
            "access_key_secret": "s",
            "security_token": "t",
            "file_url": "https://x/y",
            "file_path": "u/note.txt",
            "file_id": "f-1",
            "bucketname": "qwen-webui-prod",
            "region": "oss-ap-southeast-1",
            "endpoint": host,
        }
        send_json(conn, {"success": True, "data": data})

    with hostile({"/api/v2/files/getstsToken": grant, "*": new_chat}) as server, client(server) as qwen:
        with pytest.raises(QwenAPIError, match="regular file"):
            if mode == "sync":
                qwen.chat.upload_file(file_path=str(path))
            else:
                asyncio.run(qwen.chat.async_upload_file(file_path=str(path)))
        assert all(not request.body for request in server.requests if request.method == "PUT")


# -- retries -----------------------------------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_only_failures_that_can_succeed_are_retried(mode: str) -> None:
    def not_implemented(request: Request, conn: Any) -> None:
        conn.sendall(b"HTTP/1.1 501 Not Implemented\r\ncontent-type: text/html\r\ncontent-length: 3\r\n\r\nno!")

    with hostile({"/api/v2/chats/new": not_implemented}) as server:
        _, error = ask(client(server, max_retries=2), mode, False)
        assert isinstance(error, QwenAPIError) and error.status_code == 501
        assert server.paths() == ["/api/v2/chats/new"]  # asked once: a 501 does not change on retry
