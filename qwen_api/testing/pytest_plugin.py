"""pytest plugin registered through the ``pytest11`` entry point (fixtures ``qwen_server`` and
``qwen_server_factory``).

It imports nothing heavy at load time, so installing qwen-api without the ``server`` extra never
breaks a user's test run: Starlette and uvicorn are imported inside the fixtures, and a test that
uses one without the extra fails with one line that says what to install (no traceback).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .config import ServerConfig
    from .server import RunningServer


def _serve() -> Callable[..., contextlib.AbstractContextManager[RunningServer]]:
    """``serve``, or a one-line failure of the test that names the missing extra."""
    from .._extras import MissingExtraError, is_missing_dependency

    try:
        from .server import serve
    except ImportError as exc:
        if not is_missing_dependency(exc):
            raise
        missing = MissingExtraError("the qwen_server fixture", "server", exc.name)
    else:
        return serve
    pytest.fail(str(missing), pytrace=False)  # outside the except: no "During handling of..." chain


@pytest.fixture
def qwen_server() -> Iterator[RunningServer]:
    """A local Qwen-compatible server on a free port (default config), stopped after the test."""
    with _serve()() as server:
        yield server


@pytest.fixture
def qwen_server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start servers with custom settings: ``qwen_server_factory(ServerConfig(token="t"))``.

    Keyword arguments are passed to ``serve`` (``host``, ``port``); every server is stopped after the test.
    """
    serve = _serve()
    with contextlib.ExitStack() as stack:

        def factory(config: ServerConfig | None = None, **options: Any) -> RunningServer:
            return stack.enter_context(serve(config, **options))

        yield factory
