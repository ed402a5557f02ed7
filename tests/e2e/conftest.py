"""End-to-end fixtures: the local Qwen-compatible server over a real loopback socket.

Scenarios run in both modes through :func:`call`, so sync and async are tested alike.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api.testing import RunningServer, serve

TOKEN = "e2e-test-token-1234567890"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.fixture
def client(server: RunningServer) -> Iterator[Qwen]:
    with Qwen(api_key=TOKEN, base_url=server.url, max_retries=0, timeout=10) as qwen:
        yield qwen


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(mode: str, client: Qwen, method: str, *args: Any, **kwargs: Any) -> Any:
    """Run ``resource.method`` (sync) or ``resource.amethod``/``acreate`` (async) and return the result.

    For streams, the async side is drained into a list so both modes return comparable values.
    """
    resource_name, name = method.split(".")
    resource = getattr(client, resource_name)
    if mode == "sync":
        result = getattr(resource, name)(*args, **kwargs)
        if kwargs.get("stream"):
            return list(result), result
        return result
    async_name = {"create": "acreate", "upload_file": "async_upload_file"}.get(name, "a" + name)

    async def run() -> Any:
        result = await getattr(resource, async_name)(*args, **kwargs)
        if kwargs.get("stream"):
            chunks = [chunk async for chunk in result]
            return chunks, result
        return result

    return asyncio.run(run())


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` until true or the deadline passes (a readiness wait, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def busy_connections(client: Qwen) -> int:
    """Connections of the client's pools that are not idle (a released stream leaves none)."""
    count = 0
    for http in (client._sync_client, client._async_client):
        if http is None:
            continue
        pool = http._transport._pool  # type: ignore[union-attr]
        count += sum(1 for connection in pool.connections if not connection.is_idle() and not connection.is_closed())
    return count
