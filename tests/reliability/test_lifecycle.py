"""Lifecycle under load, over a real socket: broken streams, cancellation, abandoned streams.

* 1,000 streams broken after their first chunk (half by the caller leaving the loop, half by the
  server dropping the connection) leave no connection in use, none piling up on the server, no
  surviving response/stream objects, and no growing memory (second half vs first half).
* Cancelling an async stream -- ``task.cancel()``, ``asyncio.wait_for`` / ``asyncio.timeout`` --
  while it waits for bytes releases its connection at once, and the client stays usable.
* A stream dropped without ``close()`` is released when it is garbage collected.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qwen_api import Qwen, _transport
from qwen_api.core.exceptions import QwenClientClosedError, QwenStreamInterruptedError
from qwen_api.testing import RunningServer, expected_answer
from tests.reliability.conftest import (
    COMPLETIONS,
    MODEL,
    busy_connections,
    live_objects,
    make_client,
    reset_server,
    traced_memory,
    wait_until,
)

STREAMS = 1000
CHECKPOINTS = 4
MEMORY_SLACK = 3 * 1024 * 1024
"""Allowed growth of traced memory over the second half of the run (allocator and cache noise).

The local server runs in this process, so its thread's transient buffers are traced too (a CI run
once saw 1.3 MiB at the last checkpoint); a leak of SDK objects is caught exactly by the
live-object count, and a leak of more than ~6 KiB per stream still fails this bound."""
PROMPT = "stream and break"
MESSAGES = [{"role": "user", "content": PROMPT}]
FIRST_CHUNK = expected_answer(PROMPT)[:8]


@pytest.fixture
def tracing() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


def drop_rule(server: RunningServer) -> None:
    """Every completion sends ``response.created`` and one answer chunk, then the connection is cut."""
    server.clear_faults()
    server.add_fault("drop_after_events", path=COMPLETIONS, after=2)


class LoadProbe:
    """Samples the server's open connections and, at checkpoints, memory and live objects."""

    def __init__(self, server: RunningServer, client: Qwen) -> None:
        self.server = server
        self.client = client
        self.max_open = 0
        self.max_busy = 0
        self.memory: list[int] = []

    def sample(self) -> None:
        self.max_open = max(self.max_open, self.server.open_connections())
        self.max_busy = max(self.max_busy, busy_connections(self.client))

    def checkpoint(self) -> None:
        # Nothing is in flight at a checkpoint, so the server's records can go (they grow per request
        # by design); what remains must be the client's own steady state.
        faults = list(self.server.state.fault_rules)
        reset_server(self.server)
        self.server.state.fault_rules[:] = faults
        self.memory.append(traced_memory())

    def assert_flat(self) -> None:
        quarter = self.memory
        first_half = quarter[1] - quarter[0]
        second_half = quarter[-1] - quarter[len(quarter) // 2 - 1]
        assert second_half <= max(first_half, 0) + MEMORY_SLACK, f"traced memory at checkpoints: {quarter}"


def one_sync_stream(conversation: Any, server: RunningServer, index: int) -> None:
    """One turn streamed in ``conversation`` (one request each), broken after its first chunk."""
    if index % 2:
        with conversation.send(PROMPT, stream=True) as stream:
            for chunk in stream:
                assert chunk.choices[0].delta.content == FIRST_CHUNK
                break
    else:
        drop_rule(server)
        try:
            with pytest.raises(QwenStreamInterruptedError) as info:
                for _ in conversation.send(PROMPT, stream=True):
                    pass
        finally:
            server.clear_faults()
        assert info.value.partial_content == FIRST_CHUNK


async def one_async_stream(conversation: Any, server: RunningServer, index: int) -> None:
    if index % 2:
        async with await conversation.asend(PROMPT, stream=True) as stream:
            async for chunk in stream:
                assert chunk.choices[0].delta.content == FIRST_CHUNK
                break
    else:
        drop_rule(server)
        try:
            with pytest.raises(QwenStreamInterruptedError) as info:
                async for _ in await conversation.asend(PROMPT, stream=True):
                    pass
        finally:
            server.clear_faults()
        assert info.value.partial_content == FIRST_CHUNK


def assert_nothing_left(probe: LoadProbe, before: dict[str, int]) -> None:
    server, client = probe.server, probe.client
    assert probe.max_busy == 0, "a broken stream kept its connection checked out"
    # Broken streams close their connection; only the pooled keep-alive of chats/new may stay open.
    assert probe.max_open <= 3, f"up to {probe.max_open} connections were open on the server at once"
    assert busy_connections(client) == 0
    assert wait_until(lambda: server.open_connections() <= 1, timeout=5)
    after = live_objects()
    grown = {name: after[name] - before[name] for name in after if after[name] - before[name] > 1}
    assert not grown, f"objects survived the run: {grown}"
    probe.assert_flat()


@pytest.mark.usefixtures("tracing")
def test_thousand_broken_sync_streams_leave_nothing_behind(clean_server: RunningServer) -> None:
    server = clean_server
    before = live_objects()
    with make_client(server) as client:
        probe = LoadProbe(server, client)
        for index in range(STREAMS):
            if index % (STREAMS // CHECKPOINTS) == 0:
                probe.checkpoint()  # forgets the server's chats: start a new one
                conversation = client.chats.new(model=MODEL)
            one_sync_stream(conversation, server, index)
            if index % 10 == 0:
                probe.sample()
        probe.checkpoint()
        assert_nothing_left(probe, before)
    assert wait_until(lambda: server.open_connections() == 0, timeout=30)


@pytest.mark.usefixtures("tracing")
async def test_thousand_broken_async_streams_leave_nothing_behind(clean_server: RunningServer) -> None:
    server = clean_server
    before = live_objects()
    async with make_client(server) as client:
        probe = LoadProbe(server, client)
        for index in range(STREAMS):
            if index % (STREAMS // CHECKPOINTS) == 0:
                probe.checkpoint()
                conversation = await client.chats.anew(model=MODEL)
            await one_async_stream(conversation, server, index)
            if index % 10 == 0:
                probe.sample()
        probe.checkpoint()
        assert_nothing_left(probe, before)
    assert await async_wait_until(lambda: server.open_connections() == 0)


async def async_wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    """``wait_until`` for coroutines: polls without blocking the event loop."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


# --------------------------------------------------------------------------------------------------
# Cancellation releases the connection


STALL_AFTER_FIRST_CHUNK = {"after": 2, "seconds": 60}


async def first_chunk_then_wait(client: Qwen) -> None:
    """Read the first chunk of a stream whose next bytes never come, then wait for them."""
    stream = await client.chat.acreate(MESSAGES, model=MODEL, stream=True)
    iterator = aiter(stream)
    first = await anext(iterator)
    assert first.choices[0].delta.content == FIRST_CHUNK
    await anext(iterator)  # stalls until cancelled


async def assert_released_and_usable(client: Qwen, server: RunningServer) -> None:
    assert busy_connections(client) == 0
    # The cancelled response was not read to its end, so its connection must be closed, not pooled.
    assert await async_wait_until(lambda: server.open_connections() <= 1)
    server.clear_faults()
    answer = await client.chat.acreate([{"role": "user", "content": "still there?"}], model=MODEL)
    assert answer.choices[0].message.content == expected_answer("still there?")


async def wait_for_completion_request(server: RunningServer) -> None:
    assert await async_wait_until(lambda: len(server.state.requests_to(COMPLETIONS)) >= 1)
    await asyncio.sleep(0.05)  # let the request reach the stall (bounded; the stall lasts 60 s)


async def test_task_cancel_mid_stream_releases_the_connection(clean_server: RunningServer) -> None:
    server = clean_server
    server.add_fault("stall_between_events", path=COMPLETIONS, **STALL_AFTER_FIRST_CHUNK)
    async with make_client(server, timeout=30) as client:
        task = asyncio.create_task(first_chunk_then_wait(client))
        await wait_for_completion_request(server)
        assert busy_connections(client) == 1
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await assert_released_and_usable(client, server)


@pytest.mark.parametrize("how", ["wait_for", "timeout_context"])
async def test_timeout_mid_stream_releases_the_connection(how: str, clean_server: RunningServer) -> None:
    server = clean_server
    server.add_fault("stall_between_events", path=COMPLETIONS, **STALL_AFTER_FIRST_CHUNK)
    async with make_client(server, timeout=30) as client:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            if how == "wait_for":
                await asyncio.wait_for(first_chunk_then_wait(client), timeout=0.5)
            else:
                async with asyncio.timeout(0.5):
                    await first_chunk_then_wait(client)
        assert time.monotonic() - started < 5
        await assert_released_and_usable(client, server)


@pytest.mark.parametrize("fault", ["stall_before_headers", "stall_between_events"])
async def test_cancelling_a_whole_call_releases_the_connection(fault: str, clean_server: RunningServer) -> None:
    server = clean_server
    server.add_fault(fault, path=COMPLETIONS, seconds=60)
    async with make_client(server, timeout=30, max_retries=2) as client:
        task = asyncio.create_task(client.chat.acreate(MESSAGES, model=MODEL))
        await wait_for_completion_request(server)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await assert_released_and_usable(client, server)
    assert len(server.state.requests_to(COMPLETIONS)) == 2  # the cancelled one was not retried


async def test_cancelling_while_opening_a_stream_releases_the_connection(clean_server: RunningServer) -> None:
    server = clean_server
    server.add_fault("stall_before_headers", path=COMPLETIONS, seconds=60)
    async with make_client(server, timeout=30) as client:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.chat.acreate(MESSAGES, model=MODEL, stream=True), timeout=0.5)
        await assert_released_and_usable(client, server)


# --------------------------------------------------------------------------------------------------
# Abandoned streams


def test_sync_stream_dropped_without_close_is_released(clean_server: RunningServer) -> None:
    server = clean_server
    with make_client(server) as client:
        stream: Any = client.chat.create(MESSAGES, model=MODEL, stream=True)
        assert next(stream).choices[0].delta.content == FIRST_CHUNK
        assert busy_connections(client) == 1
        del stream
        gc.collect()
        assert busy_connections(client) == 0
        assert wait_until(lambda: server.open_connections() <= 1, timeout=5)


async def test_async_stream_dropped_without_aclose_is_released(clean_server: RunningServer) -> None:
    server = clean_server
    async with make_client(server) as client:
        stream: Any = await client.chat.acreate(MESSAGES, model=MODEL, stream=True)
        first = await anext(aiter(stream))
        assert first.choices[0].delta.content == FIRST_CHUNK
        assert busy_connections(client) == 1
        del stream, first
        gc.collect()
        assert await async_wait_until(lambda: busy_connections(client) == 0)
        assert await async_wait_until(lambda: server.open_connections() <= 1)


def test_closing_the_client_closes_everything(clean_server: RunningServer) -> None:
    server = clean_server
    client = make_client(server)
    streams = [client.chat.create(MESSAGES, model=MODEL, stream=True) for _ in range(5)]
    for stream in streams:
        next(stream)
    assert busy_connections(client) == 5
    client.close()
    with pytest.raises(QwenClientClosedError):
        client.chat.create(MESSAGES, model=MODEL)
    # close() never pulls a socket from under a stream (see _lifecycle): a stream hands out what it
    # already read, stops at its next socket read with the closed-client error, and the last one out
    # releases the pools. Until then the streams' connections stay open; afterwards none is.
    assert server.open_connections() == 5
    outcomes = []
    for stream in streams:
        try:
            for _ in stream:
                pass
            outcomes.append("ended")
        except QwenClientClosedError:
            outcomes.append("closed")
    assert wait_until(lambda: server.open_connections() == 0, timeout=30), outcomes


@pytest.mark.parametrize("where", ["inside-the-loop", "after-the-loop-stopped"])
def test_sync_close_also_closes_the_async_pools(where: str, clean_server: RunningServer, tmp_path: Any) -> None:
    """``close()`` (not only ``aclose()``) releases the async chat pool and the async storage pool."""
    server = clean_server
    image = tmp_path / "pixel.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    client = make_client(server)

    async def use_both_pools(close_inside: bool) -> None:
        await client.chat.acreate(MESSAGES, model=MODEL)
        await client.chat.async_upload_file(file_path=str(image))
        if close_inside:
            client.close()
            await asyncio.sleep(0)  # let the scheduled closes run
            await asyncio.gather(*_transport._BACKGROUND)

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(use_both_pools(where == "inside-the-loop"))
        if where == "after-the-loop-stopped":
            client.close()
        assert client._async_client is not None and client._async_client.is_closed
        assert client._astorage_client is not None and client._astorage_client.is_closed
    finally:
        loop.close()
    assert wait_until(lambda: server.open_connections() == 0, timeout=30)


def test_a_client_used_across_several_asyncio_runs_leaves_no_connection_behind(clean_server: RunningServer) -> None:
    """Each ``asyncio.run`` gets its own pool (one cannot cross loops); the loop's shutdown closes it."""
    server = clean_server
    client = make_client(server)

    async def one_call() -> Any:
        await client.chat.acreate(MESSAGES, model=MODEL)
        return client._async_client

    pools = []
    for _ in range(3):
        pools.append(asyncio.run(one_call()))
        assert pools[-1].is_closed  # closed by the loop's shutdown, not left to the garbage collector
        assert wait_until(lambda: server.open_connections() == 0, timeout=30)
    assert len({id(pool) for pool in pools}) == 3
    client.close()


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_stream_open_when_its_client_closes_reads_nothing_more(mode: str) -> None:
    """After the first chunk, ``close()``: the next read would be the client's no longer. The sync
    stream used to read once more before checking, and handed out that chunk."""
    from qwen_api.testing import ServerConfig, serve

    messages = [{"role": "user", "content": "x " * 200}]
    with serve(ServerConfig(chunk_size=3)) as server:
        client = Qwen(api_key="t", base_url=server.url)
        if mode == "sync":
            stream = client.chat.create(messages=messages, stream=True)
            first = next(stream).choices[0].delta.content
            client.close()
            with pytest.raises(QwenClientClosedError) as info:
                list(stream)
        else:

            async def scenario() -> tuple[str, pytest.ExceptionInfo[QwenClientClosedError]]:
                stream = await client.chat.acreate(messages=messages, stream=True)
                first = (await stream.__anext__()).choices[0].delta.content
                await client.aclose()
                with pytest.raises(QwenClientClosedError) as info:
                    [chunk async for chunk in stream]
                return first, info

            first, info = asyncio.run(scenario())
    assert info.value.partial_content == first  # nothing handed out after the close
