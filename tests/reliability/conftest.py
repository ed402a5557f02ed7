"""Reliability fixtures: a local server per module, and helpers to watch connections and memory.

The scenario helpers of the end-to-end suite are reused (``call`` runs one method sync or async,
``busy_connections`` counts pool connections in use, ``wait_until`` polls with a deadline); this
file adds what the reliability tests need on top: a guaranteed-clean server between tests, a
memory probe, and live-object counts for leak checks.
"""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from qwen_api import Qwen
from qwen_api.testing import RunningServer, serve
from tests.e2e.conftest import busy_connections, call, wait_until

__all__ = [
    "COMPLETIONS",
    "MODEL",
    "TOKEN",
    "busy_connections",
    "call",
    "live_objects",
    "reset_server",
    "soak_seconds",
    "traced_memory",
    "wait_until",
]

COMPLETIONS = "/api/v2/chat/completions"
MODEL = "qwen3.7-plus"
TOKEN = "reliability-token-1234567890"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


@pytest.fixture
def clean_server(server: RunningServer) -> Iterator[RunningServer]:
    """The module's server with no fault rules and no recorded requests (faults cleared even on failure)."""
    server.clear_faults()
    reset_server(server)
    yield server
    server.clear_faults()


def reset_server(server: RunningServer) -> None:
    """Forget what the server recorded (only between calls: nothing may be in flight)."""
    state = server.state
    state.requests.clear()
    state.chats.clear()
    state.attempts.clear()
    state.stopped_responses.clear()


def make_client(server: RunningServer, **kwargs: Any) -> Qwen:
    options: dict[str, Any] = {"api_key": TOKEN, "base_url": server.url, "max_retries": 0, "timeout": 5.0}
    options.update(kwargs)
    return Qwen(**options)


def traced_memory() -> int:
    """Bytes currently allocated by Python (tracemalloc must be tracing), after a full collection."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0


_LEAK_TYPES = ("Response", "Stream", "AsyncStream", "StreamState", "HTTPConnection", "AsyncHTTPConnection")


def live_objects() -> dict[str, int]:
    """How many HTTP responses, streams, parser states and pooled connections are still alive."""
    gc.collect()
    counts = dict.fromkeys(_LEAK_TYPES, 0)
    for obj in gc.get_objects():
        cls = type(obj)
        name = cls.__name__
        if name in counts and cls.__module__.split(".")[0] in ("httpx", "httpcore", "qwen_api"):
            counts[name] += 1
    return counts


def soak_seconds(default: float = 10.0) -> float:
    """``QWEN_SOAK_SECONDS`` (``make soak`` sets 60); the short default keeps ``make test`` quick."""
    raw = os.environ.get("QWEN_SOAK_SECONDS")
    return float(raw) if raw else default
