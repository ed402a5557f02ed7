"""A Qwen-compatible local server for offline development and tests (extra ``server``).

It speaks the chat.qwen.ai v2 wire protocol as recorded in 2026 (framing, field names, event order),
keeps conversations, verifies OSS upload signatures and injects faults on request::

    from qwen_api.testing import ServerConfig, expected_answer, serve

    with serve(ServerConfig(chunk_size=4)) as server:
        ...  # point the SDK at server.url; assert expected_answer("hi") == streamed text

Other ways to run it: ``python -m qwen_api.testing --port 0`` (prints ``Listening on URL``), in process
with ``httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()))``, or the pytest fixtures
``qwen_server`` / ``qwen_server_factory`` (registered by the ``pytest11`` entry point).

Per-request controls (plain headers, so an SDK user can set them through ``default_headers``):

* ``x-qwen-mock-fault: <name>[; times=N][; after=N][; seconds=S][; retry_after=S][; id=X]``: one of
  :data:`FAULTS` (see :mod:`qwen_api.testing.faults`); ``RunningServer.add_fault`` sets the same per server.
* ``x-qwen-mock-answer-length``, ``x-qwen-mock-chunk-size``, ``x-qwen-mock-delay`` (seconds),
  ``x-qwen-mock-image-count``: override the config for one answer.
* ``x-qwen-mock-script`` (+ ``x-qwen-mock-script-reasoning``): stream exactly this answer text (and
  reasoning) instead of the echo; ``RunningServer.script(...)`` and ``ServerConfig(script=...)`` queue
  scripted answers per server (see :mod:`qwen_api.testing.script`, used to drive tool calls end to end).
* ``x-qwen-mock-drift: rename=OLD:NEW; drop=KEY``: answer with a changed protocol (:mod:`.drift`).

A malformed control header -- an unknown ``x-qwen-mock-*`` name (a misspelling), one given twice
(even with valid values), an empty one, or a bad value -- gets a plain HTTP 400 (``text/plain``,
``qwen mock server: <what is wrong>``; an unknown name lists the known ones) on every endpoint,
before auth and before the handler runs (:mod:`.controls`); the HTTP-200 envelope with
``x-actual-status-code`` is kept for the errors the service itself reports.

Only the pure parts (config, answers, faults, models, state) load eagerly: the Starlette/uvicorn
parts are imported on first use, so ``import qwen_api.testing`` (and the pytest plugin) work
without the ``server`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import ServerConfig
from .faults import FAULT_HEADER, FAULTS, FaultRule, FaultSpec
from .models_catalog import MODELS
from .script import SCRIPT_HEADER, SCRIPT_REASONING_HEADER, ScriptedAnswer, script_headers
from .state import RecordedRequest, ServerState
from .streams import expected_answer, expected_reasoning, thinking_paragraphs

if TYPE_CHECKING:
    from .app import create_app
    from .server import RunningServer, serve

__all__ = [
    "FAULTS",
    "FAULT_HEADER",
    "MODELS",
    "SCRIPT_HEADER",
    "SCRIPT_REASONING_HEADER",
    "FaultRule",
    "FaultSpec",
    "RecordedRequest",
    "RunningServer",
    "ScriptedAnswer",
    "ServerConfig",
    "ServerState",
    "create_app",
    "expected_answer",
    "expected_reasoning",
    "script_headers",
    "serve",
    "thinking_paragraphs",
]

_LAZY = {"create_app": ".app", "RunningServer": ".server", "serve": ".server"}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    try:
        module = importlib.import_module(module_name, __name__)
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        from .._extras import MissingExtraError, is_missing_dependency

        if not is_missing_dependency(exc):
            raise
        raise MissingExtraError(f"qwen_api.testing.{name}", "server", exc.name) from None
    value = getattr(module, name)
    globals()[name] = value
    return value
