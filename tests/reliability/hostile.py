"""A hostile HTTP/1.1 server on a raw loopback socket, for the attacks of issue 16.

The local server (``qwen_api.testing``) is a well-behaved Qwen; an attacker's server is not: it
sends a line that never ends, a body larger than it says, a gzip bomb, one byte a second, or a
grant that points somewhere else. This one does exactly what its ``routes`` say, byte for byte,
one thread per connection, and records every request it receives (method, path, headers, body
size) so a test can prove that nothing was sent.

A route is ``handler(request, conn)``: it writes raw bytes to ``conn`` (a socket) and returns when
it is done; the connection is then closed. Helpers build the usual answers.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import attrs

CHAT_ID = "11111111-2222-4333-8444-555555555555"
RESPONSE_ID = "99999999-8888-4777-8666-555555555555"
SSE_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"


@attrs.define
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Route = Callable[[Request, socket.socket], None]


class HostileServer:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[Request] = []
        self.connections = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def paths(self) -> list[str]:
        return [r.path.split("?")[0] for r in self.requests]

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                self.requests.append(request)
                route = self.routes.get(request.path.split("?")[0]) or self.routes.get("*")
                if route is None:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    return
                route(request, conn)
            except OSError:  # the client went away: that is what most attacks end with
                return

    def stop(self) -> None:
        self.stopped.set()
        with suppress(OSError):
            self._listener.close()


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        if not piece:
            return None
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            break
        body += piece
    return Request(method, path, headers, body)


@contextmanager
def hostile(routes: dict[str, Route]) -> Iterator[HostileServer]:
    server = HostileServer(routes)
    try:
        yield server
    finally:
        server.stop()


# -- answers -----------------------------------------------------------------------------------------


def send_json(conn: socket.socket, payload: Any, status: str = "200 OK", extra: str = "") -> None:
    body = json.dumps(payload).encode()
    conn.sendall(
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n{extra}"
        "connection: close\r\n\r\n".encode()
        + body
    )


def new_chat(request: Request, conn: socket.socket) -> None:
    send_json(conn, {"success": True, "data": {"id": CHAT_ID}})


def event(delta: dict[str, Any]) -> bytes:
    payload = {"choices": [{"delta": delta}], "response_id": RESPONSE_ID}
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


CREATED = b'data: {"response.created":{"chat_id":"%s","response_id":"%s"}}\n\n' % (
    CHAT_ID.encode(),
    RESPONSE_ID.encode(),
)


def answer(text: str, status: str = "typing") -> bytes:
    return event({"role": "assistant", "content": text, "phase": "answer", "status": status})


FINISHED = answer("", "finished")


def stream(*frames: bytes) -> Route:
    def route(request: Request, conn: socket.socket) -> None:
        conn.sendall(SSE_HEAD + b"".join(frames))

    return route


def forever(head: bytes, piece: bytes, pause: float = 0.0) -> Route:
    """Headers, then ``piece`` again and again until the client leaves (or the server stops)."""

    def route(request: Request, conn: socket.socket) -> None:
        conn.sendall(head)
        while True:
            conn.sendall(piece)
            if pause:
                time.sleep(pause)

    return route


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


def jwt(exp: float) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part({'exp': exp, 'iat': exp - 900})}.c2ln"
