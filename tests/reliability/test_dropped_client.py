"""A ``Qwen`` dropped without ``close()`` releases its connections, without a ``ResourceWarning``.

The test configuration turns ``ResourceWarning`` (and the "exception ignored" it becomes in a
finalizer) into an error, so a socket left to the garbage collector fails these tests outright;
they also check, on the server's side, that the connections are really gone.
"""

from __future__ import annotations

import asyncio
import gc
import weakref

from qwen_api.testing import RunningServer
from tests.reliability.conftest import MODEL, make_client, wait_until

MESSAGES_HI = [{"role": "user", "content": "hi"}]


def test_a_sync_client_dropped_without_close_closes_its_pools(clean_server: RunningServer) -> None:
    client = make_client(clean_server)
    client.chat.create(MESSAGES_HI, model=MODEL)
    assert clean_server.open_connections() >= 1  # the keep-alive connection stays pooled while the client lives
    pool = client._sync_client
    assert pool is not None
    gone = weakref.ref(client)
    del client
    gc.collect()
    assert gone() is None, "something keeps the client alive"
    assert pool.is_closed
    assert wait_until(lambda: clean_server.open_connections() == 0, timeout=5)


def test_an_async_client_dropped_inside_its_loop_closes_its_pool(clean_server: RunningServer) -> None:
    async def use_and_drop() -> None:
        client = make_client(clean_server)
        await client.chat.acreate(MESSAGES_HI, model=MODEL)
        pool = client._async_client
        assert pool is not None
        del client
        gc.collect()
        for _ in range(10):  # the close is scheduled on this loop: let it run
            if pool.is_closed:
                break
            await asyncio.sleep(0)
        assert pool.is_closed

    asyncio.run(use_and_drop())
    assert wait_until(lambda: clean_server.open_connections() == 0, timeout=5)


def test_a_copy_of_the_lifetime_keeps_the_pools_open(clean_server: RunningServer) -> None:
    """Whatever shares the client's lifetime token (a copy of the client) keeps the shared pools usable."""
    client = make_client(clean_server)
    client.chat.create(MESSAGES_HI, model=MODEL)
    pool, lifetime = client._sync_client, client._lifetime
    assert pool is not None
    del client
    gc.collect()
    assert not pool.is_closed
    del lifetime
    gc.collect()
    assert pool.is_closed


def test_close_then_drop_is_quiet(clean_server: RunningServer) -> None:
    client = make_client(clean_server)
    client.chat.create(MESSAGES_HI, model=MODEL)
    client.close()
    del client
    gc.collect()
    assert wait_until(lambda: clean_server.open_connections() == 0, timeout=5)
