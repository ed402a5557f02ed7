"""pytest plugin registered through the ``pytest11`` entry point (fixtures ``qwen_server`` and
``qwen_server_factory``).

It imports nothing heavy at load time, so installing qwen-api without the ``server`` extra never
breaks a user's test run: Starlette and uvicorn are imported inside the fixtures.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .config import ServerConfig
    from .server import RunningServer


@pytest.fixture
def qwen_server() -> Iterator[RunningServer]:
    """A local Qwen-compatible server on a free port (default config), stopped after the test."""
    from .server import serve

    with serve() as server:
        yield server


@pytest.fixture
def qwen_server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start servers with custom settings: ``qwen_server_factory(ServerConfig(token="t"))``.

    Keyword arguments are passed to ``serve`` (``host``, ``port``); every server is stopped after the test.
    """
    from .server import serve

    with contextlib.ExitStack() as stack:

        def factory(config: ServerConfig | None = None, **options: Any) -> RunningServer:
            return stack.enter_context(serve(config, **options))

        yield factory
