"""A tiny HTTP/1.1 server that streams recorded-shape events, for the comparison with qwen-api 1.4.16.

qwen-api 1.4.16 posts to the retired v1 ``/api/chat/completions`` and crashes on anything but a
choice event that carries ``usage`` (``response.created`` is a KeyError, the final ``finished``
event fails pydantic validation). The local server's v1 endpoint answers in the v1 shape (short
events without ``usage``), so it cannot give 1.4.16 the same events as the current SDK. This server
gives every contender the same bytes: N typing frames of the recording, framed the way uvicorn
frames the local server's streams (chunked transfer encoding, one chunk per event). It answers::

    POST .../chats/new          {"success": true, "data": {"id": ...}}
    POST .../completions...     the event stream (``x-bench-events`` events, default from argv)

Run: ``python wire_server.py EVENTS`` prints ``Listening on http://127.0.0.1:PORT``. Stdlib only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid

from workloads import typing_frames

_BATCH = 64  # frames per write; each frame is still its own HTTP chunk


class WireServer:
    def __init__(self, events: int) -> None:
        self.default_events = events
        self.frames = typing_frames(events)
        self.chunks: dict[int, list[bytes]] = {}

    def chunked(self, events: int) -> list[bytes]:
        cached = self.chunks.get(events)
        if cached is None:
            frames = self.frames if events <= len(self.frames) else typing_frames(events)
            cached = [b"%x\r\n%s\r\n" % (len(frame), frame) for frame in frames[:events]]
            self.chunks[events] = cached
        return cached

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _method, target, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                if length:
                    await reader.readexactly(length)
                path = target.split("?", 1)[0]
                if path.endswith("/chats/new"):
                    body = json.dumps(
                        {"success": True, "request_id": str(uuid.uuid4()), "data": {"id": str(uuid.uuid4())}}
                    )
                    self.respond(writer, "200 OK", "application/json", body.encode())
                elif path.endswith("/completions"):
                    events = int(headers.get("x-bench-events", self.default_events))
                    writer.write(
                        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
                        b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
                    )
                    chunks = self.chunked(events)
                    for start in range(0, len(chunks), _BATCH):
                        writer.write(b"".join(chunks[start : start + _BATCH]))
                        await writer.drain()
                    writer.write(b"0\r\n\r\n")
                else:
                    self.respond(writer, "404 Not Found", "application/json", b'{"detail":"Not Found"}')
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @staticmethod
    def respond(writer: asyncio.StreamWriter, status: str, content_type: str, body: bytes) -> None:
        writer.write(
            f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n".encode() + body
        )


async def main(events: int) -> None:
    server = WireServer(events)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", 0, limit=1 << 20)
    port = listener.sockets[0].getsockname()[1]
    print(f"Listening on http://127.0.0.1:{port}", flush=True)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
