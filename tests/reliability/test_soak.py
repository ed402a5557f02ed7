"""Soak: mixed sync and async calls against the local server, 5 % of them with an injected fault.

``QWEN_SOAK_SECONDS`` sets the length (``make soak``: 60 s; ``make test``: a 10 s default). Two
threads make synchronous calls through one shared client while an event loop in a third thread
runs four tasks through one shared async client. About one call in twenty instead goes through a
short-lived client whose ``x-qwen-mock-fault`` header injects a random fault -- into ``chats/new``
(a stateless call) or into the completion itself (a turn in a chat the clean client created). The
run is split into phases; between phases nothing is in flight, the server's records are dropped
and memory is measured.

Every clean call must succeed with the exact answer; every faulty call must either succeed with
the exact answer or raise a ``QwenAPIError`` subclass; memory must be flat and no connection may
stay in use.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Iterator

import attrs
import pytest

from qwen_api import Qwen
from qwen_api.core.exceptions import QwenAPIError
from qwen_api.testing import FAULT_HEADER, FAULTS, RunningServer, expected_answer
from tests.reliability.conftest import (
    MODEL,
    busy_connections,
    make_client,
    reset_server,
    soak_seconds,
    traced_memory,
    wait_until,
)

SOAK_SECONDS = soak_seconds()
PHASES = 4
SYNC_WORKERS = 2
ASYNC_TASKS = 4
FAULT_RATE = 0.05
FAULTY_TIMEOUT = 0.5
KINDS = ("chat", "chat_stream", "chat_stream_break", "completion", "completion_stream")
MEMORY_SLACK = 2 * 1024 * 1024
SEED = int(os.environ.get("QWEN_SOAK_SEED") or random.SystemRandom().randrange(2**32))


@attrs.define
class Tally:
    """What happened, shared by every worker (guarded by ``lock``)."""

    lock: threading.Lock = attrs.field(factory=threading.Lock)
    calls: Counter[str] = attrs.field(factory=Counter)
    errors: Counter[str] = attrs.field(factory=Counter)
    problems: list[str] = attrs.field(factory=list)

    def record(self, what: str, error: BaseException | None = None, problem: str | None = None) -> None:
        with self.lock:
            self.calls[what] += 1
            if error is not None:
                self.errors[type(error).__name__] += 1
            if problem is not None:
                self.problems.append(problem)


def fault_header(rng: random.Random) -> str:
    fault = rng.choice(FAULTS)
    parts = [fault, f"id={uuid.uuid4().hex}"]
    if rng.random() < 0.5:
        parts.append("times=1")  # retried to success when the fault is retryable and retries are on
    if fault.startswith("stall"):
        parts.append("seconds=30")
    return "; ".join(parts)


def check(
    tally: Tally, label: str, prompt: str, kind: str, faulty: bool, answer: str | None, error: BaseException | None
) -> None:
    """A clean call must give the exact answer; a faulty one the exact answer or a typed error."""
    expected = expected_answer(prompt)
    if kind == "chat_stream_break":
        expected = expected[:8]
    problem = None
    if error is not None and not isinstance(error, QwenAPIError):
        problem = f"{label}: untyped {type(error).__name__}: {error!r}"
    elif error is not None and not faulty:
        problem = f"{label}: a clean call failed: {error!r}"
    elif error is None and answer != expected:
        problem = f"{label}: wrong answer {answer!r}, expected {expected!r}"
    tally.record(("faulty " if faulty else "clean ") + ("error" if error else "ok"), error, problem)


# --------------------------------------------------------------------------------------------------
# sync


def sync_answer(client: Qwen, kind: str, prompt: str, chat_id: str | None) -> str:
    messages = [{"role": "user", "content": prompt}]
    conversation = client.chats.resume(chat_id, model=MODEL) if chat_id else None
    if kind == "chat":
        if conversation is not None:
            return conversation.send(prompt).choices[0].message.content
        return client.chat.create(messages, model=MODEL).choices[0].message.content
    if kind in ("chat_stream", "chat_stream_break"):
        stream = (
            conversation.send(prompt, stream=True)
            if conversation is not None
            else client.chat.create(messages, model=MODEL, stream=True)
        )
        with stream:
            parts = []
            for chunk in stream:
                parts.append(chunk.choices[0].delta.content)
                if kind == "chat_stream_break" and parts[-1]:
                    break
            return "".join(parts)
    if kind == "completion":
        return client.completion.create(prompt=prompt, model=MODEL).choices[0].text
    stream = client.completion.create(prompt=prompt, model=MODEL, stream=True)
    return "".join(chunk.choices[0].delta.content for chunk in stream)


def sync_worker(server: RunningServer, clean: Qwen, deadline: float, rng: random.Random, tally: Tally) -> None:
    while time.monotonic() < deadline:
        kind = rng.choice(KINDS)
        prompt = f"soak {kind} {rng.randrange(10**6)}"
        faulty = rng.random() < FAULT_RATE
        answer = error = None
        try:
            if not faulty:
                answer = sync_answer(clean, kind, prompt, None)
            else:
                # Half the faulty calls hit chats/new; the others a turn in a chat created cleanly.
                chat_id = clean.chats.new(model=MODEL).chat_id if rng.random() < 0.5 else None
                if chat_id is not None and kind.startswith("completion"):
                    kind = "chat"
                headers = {FAULT_HEADER: fault_header(rng)}
                retries = rng.choice([0, 1, 2])
                with make_client(
                    server, default_headers=headers, max_retries=retries, timeout=FAULTY_TIMEOUT
                ) as client:
                    answer = sync_answer(client, kind, prompt, chat_id)
        except BaseException as exc:  # everything is judged by check()
            error = exc
        check(tally, f"sync {kind}", prompt, kind, faulty, answer, error)


# --------------------------------------------------------------------------------------------------
# async


async def async_answer(client: Qwen, kind: str, prompt: str, chat_id: str | None) -> str:
    messages = [{"role": "user", "content": prompt}]
    conversation = client.chats.resume(chat_id, model=MODEL) if chat_id else None
    if kind == "chat":
        if conversation is not None:
            return (await conversation.asend(prompt)).choices[0].message.content
        return (await client.chat.acreate(messages, model=MODEL)).choices[0].message.content
    if kind in ("chat_stream", "chat_stream_break"):
        stream = (
            await conversation.asend(prompt, stream=True)
            if conversation is not None
            else await client.chat.acreate(messages, model=MODEL, stream=True)
        )
        async with stream:
            parts = []
            async for chunk in stream:
                parts.append(chunk.choices[0].delta.content)
                if kind == "chat_stream_break" and parts[-1]:
                    break
            return "".join(parts)
    if kind == "completion":
        return (await client.completion.acreate(prompt=prompt, model=MODEL)).choices[0].text
    stream = await client.completion.acreate(prompt=prompt, model=MODEL, stream=True)
    return "".join([c.choices[0].delta.content async for c in stream])


async def async_task(server: RunningServer, clean: Qwen, deadline: float, rng: random.Random, tally: Tally) -> None:
    while time.monotonic() < deadline:
        kind = rng.choice(KINDS)
        prompt = f"soak {kind} {rng.randrange(10**6)}"
        faulty = rng.random() < FAULT_RATE
        answer = error = None
        try:
            if not faulty:
                answer = await async_answer(clean, kind, prompt, None)
            else:
                chat_id = (await clean.chats.anew(model=MODEL)).chat_id if rng.random() < 0.5 else None
                if chat_id is not None and kind.startswith("completion"):
                    kind = "chat"
                headers = {FAULT_HEADER: fault_header(rng)}
                retries = rng.choice([0, 1, 2])
                async with make_client(
                    server, default_headers=headers, max_retries=retries, timeout=FAULTY_TIMEOUT
                ) as client:
                    answer = await async_answer(client, kind, prompt, chat_id)
        except Exception as exc:
            error = exc
        check(tally, f"async {kind}", prompt, kind, faulty, answer, error)


def async_worker(server: RunningServer, deadline: float, rng: random.Random, tally: Tally, busy: list[int]) -> None:
    async def main() -> None:
        async with make_client(server) as clean:
            rngs = [random.Random(rng.random()) for _ in range(ASYNC_TASKS)]
            await asyncio.gather(*(async_task(server, clean, deadline, r, tally) for r in rngs))
            busy.append(busy_connections(clean))

    try:
        asyncio.run(main())
    except BaseException as exc:
        tally.record("async worker crashed", exc, f"async worker crashed: {exc!r}")


# --------------------------------------------------------------------------------------------------


@pytest.fixture
def tracing() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


@pytest.mark.timeout(SOAK_SECONDS + 120)
@pytest.mark.usefixtures("tracing")
def test_soak_mixed_sync_and_async_calls_with_faults(clean_server: RunningServer) -> None:
    server = clean_server
    rng = random.Random(SEED)
    tally = Tally()
    memory: list[int] = []
    busy_after: list[int] = []
    phase_seconds = SOAK_SECONDS / PHASES
    with make_client(server) as clean:
        for _ in range(PHASES):
            deadline = time.monotonic() + phase_seconds
            threads = [
                threading.Thread(target=sync_worker, args=(server, clean, deadline, random.Random(rng.random()), tally))
                for _ in range(SYNC_WORKERS)
            ]
            threads.append(
                threading.Thread(
                    target=async_worker, args=(server, deadline, random.Random(rng.random()), tally, busy_after)
                )
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                # A call is bounded by its timeout and retries; a thread still alive long after the
                # deadline means something hung.
                thread.join(timeout=phase_seconds + 60)
            hung = [thread.name for thread in threads if thread.is_alive()]
            assert not hung, f"workers hung: {hung} (seed {SEED})"
            busy_after.append(busy_connections(clean))
            reset_server(server)
            memory.append(traced_memory())
    assert wait_until(lambda: server.open_connections() == 0, timeout=5)

    summary = f"seed {SEED}, {dict(tally.calls)}, errors {dict(tally.errors)}, memory {memory}"
    assert not tally.problems, f"{len(tally.problems)} problem(s), first: {tally.problems[:5]}; {summary}"
    assert set(busy_after) == {0}, f"connections left in use: {busy_after}; {summary}"
    assert tally.calls["clean ok"] > 0 and sum(tally.calls.values()) > 0
    if SOAK_SECONDS >= 10:
        assert tally.calls["faulty ok"] + tally.calls["faulty error"] > 0, summary
    # Flat memory: the second half of the run may not grow more than the first half did (plus noise).
    first_half = memory[1] - memory[0]
    second_half = memory[-1] - memory[PHASES // 2 - 1]
    assert second_half <= max(first_half, 0) + MEMORY_SLACK, summary
    print(summary)
