"""Fixtures for the LlamaIndex adapter: one local Qwen-compatible server per module, reached over a socket."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qwen_api.llama_index import QwenLlamaIndex
from qwen_api.testing import serve

TOKEN = "llama-index-test-token-5f1c2a"
COOKIE = "ssxmod_itna=cookie-secret-77aa; other=cookie-secret-88bb"


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    with serve() as running:
        yield running


@pytest.fixture
def make_llm(server: Any) -> Iterator[Callable[..., QwenLlamaIndex]]:
    """Build LLMs against the local server; each one's client is closed after the test."""
    made: list[QwenLlamaIndex] = []

    def make(**kwargs: Any) -> QwenLlamaIndex:
        kwargs.setdefault("auth_token", TOKEN)
        kwargs.setdefault("base_url", server.url)
        kwargs.setdefault("max_retries", 0)
        kwargs.setdefault("timeout", 10)
        llm = QwenLlamaIndex(**kwargs)
        made.append(llm)
        return llm

    yield make
    for llm in made:
        llm.close()


@pytest.fixture
def llm(make_llm: Callable[..., QwenLlamaIndex]) -> QwenLlamaIndex:
    return make_llm()


@pytest.fixture
def restore_settings() -> Iterator[None]:
    """LlamaIndex's ``Settings`` is process-global: put back whatever a test changed."""
    from llama_index.core import Settings

    saved = copy.copy(vars(Settings))
    try:
        yield
    finally:
        vars(Settings).clear()
        vars(Settings).update(saved)


@pytest.fixture
def llama_index_event_loop() -> Iterator[None]:
    """A current event loop for LlamaIndex's ``asyncio_run``, closed after the test.

    Synchronous LlamaIndex code (token counting in a query engine, for one) runs coroutines with
    ``asyncio.get_event_loop()``, which in the main thread creates a loop, makes it current and never
    closes it: its self-pipe sockets then warn (``ResourceWarning``) when the loop is collected.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()
