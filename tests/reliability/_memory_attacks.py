"""Run in a child process by test_hostile_server.py: every memory attack, then print the results.

Peak RSS (``ru_maxrss``) is read before the first attack and after the last, so the growth covers
the worst of them; each attack's outcome (exception class and ``code``) is printed as JSON.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from typing import Any

from qwen_api import Qwen
from tests.reliability.hostile import (
    CREATED,
    SSE_HEAD,
    forever,
    gzip_bomb,
    hostile,
    new_chat,
)

MiB = 1024 * 1024
BOMB = gzip_bomb(256 * MiB)
GZIP_HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: %s\r\ncontent-encoding: gzip\r\nconnection: close\r\n\r\n"


def _bomb(head: bytes) -> Any:
    def route(request: Any, conn: Any) -> None:
        conn.sendall(head + BOMB)

    return route


ATTACKS: dict[str, tuple[dict[str, Any], bool]] = {
    # name: (routes, whether the attack is on the answer stream: then stream and non-stream both run)
    "endless_sse_line": (
        {
            "/api/v2/chats/new": new_chat,
            "/api/v2/chat/completions": forever(SSE_HEAD + CREATED + b'data: {"x":"', b"x" * 65536),
        },
        True,
    ),
    "gzip_bomb_stream": (
        {
            "/api/v2/chats/new": new_chat,
            "/api/v2/chat/completions": _bomb(GZIP_HEAD % b"text/event-stream"),
        },
        True,
    ),
    "huge_json_declared": (
        {
            "/api/v2/chats/new": forever(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1073741824\r\n\r\n" + b"[",
                b" " * 65536,
            )
        },
        False,
    ),
    "huge_json_undeclared": (
        {
            "/api/v2/chats/new": forever(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[", b" " * 65536
            )
        },
        False,
    ),
    "gzip_bomb_json": (
        {"/api/v2/chats/new": _bomb(GZIP_HEAD % b"application/json")},
        False,
    ),
}


def outcome(error: BaseException | None) -> list[Any]:
    return [None, None] if error is None else [type(error).__name__, getattr(error, "code", None)]


def run_sync(url: str, stream: bool) -> list[Any]:
    with Qwen(api_key="tok", base_url=url, max_retries=0, timeout=20) as client:
        try:
            result = client.chat.create([{"role": "user", "content": "hi"}], model="qwen3.7-plus", stream=stream)
            if stream:
                for _ in result:  # type: ignore[union-attr]
                    pass
        except Exception as error:
            return outcome(error)
    return outcome(None)


async def run_async(url: str, stream: bool) -> list[Any]:
    async with Qwen(api_key="tok", base_url=url, max_retries=0, timeout=20) as client:
        try:
            result = await client.chat.acreate([{"role": "user", "content": "hi"}], model="qwen3.7-plus", stream=stream)
            if stream:
                async for _ in result:  # type: ignore[union-attr]
                    pass
        except Exception as error:
            return outcome(error)
    return outcome(None)


def main() -> None:
    results: dict[str, list[Any]] = {}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name, (routes, on_stream) in ATTACKS.items():
        with hostile(routes) as server:
            for stream in (False, True) if on_stream else (False,):
                kind = "stream" if stream else "non-stream"
                results[f"{name}/sync/{kind}"] = run_sync(server.url, stream)
                results[f"{name}/async/{kind}"] = asyncio.run(run_async(server.url, stream))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"results": results, "growth_kib": after - before}))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
