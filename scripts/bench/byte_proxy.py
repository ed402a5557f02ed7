"""The floor for the gateway benchmark: a Starlette app that passes bytes through to the local server.

``python byte_proxy.py UPSTREAM_URL`` prints ``Listening on URL``. Every request is forwarded as it is
(method, path, query, headers, body) with one pooled ``httpx.AsyncClient``, and the answer streams
back chunk by chunk, untouched: the least any Python ASGI process in the middle can cost.
"""

from __future__ import annotations

import sys

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

_HOP = {"host", "content-length", "transfer-encoding", "connection"}


def make_app(upstream: str) -> Starlette:
    client = httpx.AsyncClient(base_url=upstream, timeout=60, limits=httpx.Limits(max_connections=None))

    async def forward(request: Request) -> StreamingResponse:
        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _HOP]
        outgoing = client.build_request(
            request.method, request.url.path, params=request.url.query, headers=headers, content=await request.body()
        )
        reply = await client.send(outgoing, stream=True)
        out_headers = {k: v for k, v in reply.headers.items() if k.lower() not in _HOP}
        return StreamingResponse(
            reply.aiter_raw(),
            status_code=reply.status_code,
            headers=out_headers,
            background=BackgroundTask(reply.aclose),
        )

    return Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST", "PUT", "DELETE"])])


class _Announcing(uvicorn.Server):
    async def startup(self, sockets=None):  # type: ignore[no-untyped-def]
        await super().startup(sockets=sockets)
        port = self.servers[0].sockets[0].getsockname()[1]
        print(f"Listening on http://127.0.0.1:{port}", flush=True)


if __name__ == "__main__":
    config = uvicorn.Config(
        make_app(sys.argv[1]), host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="off"
    )
    _Announcing(config).run()
