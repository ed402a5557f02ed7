"""Write qwen_api/resources/_raw.py: the ``with_raw_response`` twins of the resource methods.

Each twin repeats its method's signature (overloads included) with ``RawResponse[...]`` around the
return type, so a type checker knows every raw result. Run it after changing a resource method's
signature; ``--check`` (run by tests/typing/test_raw_response_signatures.py) fails when the file is stale.

    python scripts/generate_raw_response.py [--check]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from _generated import main, ruff_formatted

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "qwen_api" / "resources"
TARGET = RESOURCES / "_raw.py"

SPEC = {
    "chat": ("Chat", ["create", "acreate", "upload_file", "async_upload_file"]),
    "completion": ("Completion", ["create", "acreate"]),
    "images": ("Images", ["generate", "agenerate"]),
    "models": ("Models", ["list", "alist", "retrieve", "aretrieve"]),
    "chats": ("Chats", ["new", "anew", "get", "aget", "delete", "adelete", "stop", "astop"]),
    "account": ("AccountResource", ["retrieve", "aretrieve"]),
}
TURN = {"create", "acreate", "generate", "agenerate"}
"""Methods whose main request is the completion request (the one a raw response reports)."""

HEAD = '''"""``with_raw_response`` on every resource: the same methods, returning a :class:`~qwen_api.RawResponse`.

``client.chat.with_raw_response.create(...)`` runs ``client.chat.create(...)`` unchanged and also
records the HTTP status and headers of its main request (for a chat turn, the completion request);
``.parse()`` gives what the plain method returns. The signatures repeat the plain methods' so a type
checker knows each result (``stream=True`` gives ``RawResponse[Stream[...]]``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar, Unpack, overload

from .._raw_response import RawResponse
from .._request_options import TURN_OPERATIONS, RequestOptions, ResponseRecorder
from ._base import Resource

if TYPE_CHECKING:
    from .._streaming import AsyncStream, Stream
    from ..types.account import Account
    from ..types.chat import ChatResponse, ChatResponseStream
    from ..types.chats import ChatDetail
    from ..types.completion import CompletionResponse
    from ..types.files import FileResult
    from ..types.images import ImagesResponse
    from ..types.models import Model
    from ..types.params import (
        ChatType,
        ImageSize,
        MessagesInput,
        PathInput,
        ProgressCallback,
        RequestOptionsParam,
        SignatureVersion,
        ThinkingMode,
    )
    from ..types.tools import ResponseFormat, ToolChoice, ToolParam
    from .account import AccountResource
    from .chat import Chat
    from .chats import Chats, Conversation
    from .completion import Completion
    from .images import Images
    from .models import ModelList, Models

ResourceT = TypeVar("ResourceT", bound=Resource)
Scope = Callable[[RequestOptions | None], AbstractContextManager[None]]
"""The client's per-call option scope (``Runtime.scope``), handed over by the resource."""


def _raw(
    resource: ResourceT, scope: Scope, operations: frozenset[str] | None, call: Callable[[Any], object]
) -> RawResponse[Any]:
    recorder = ResponseRecorder(operations)
    with scope(RequestOptions(recorder=recorder)):
        result = call(resource)
    return RawResponse(result, recorder)


async def _araw(
    resource: ResourceT, scope: Scope, operations: frozenset[str] | None, call: Callable[[Any], Awaitable[object]]
) -> RawResponse[Any]:
    recorder = ResponseRecorder(operations)
    with scope(RequestOptions(recorder=recorder)):
        result = await call(resource)
    return RawResponse(result, recorder)


'''


def twins(module: str, cls: str, methods: list[str]) -> str:
    src = (RESOURCES / f"{module}.py").read_text()
    klass = next(n for n in ast.parse(src).body if isinstance(n, ast.ClassDef) and n.name == cls)
    body = [
        f"class {cls}WithRawResponse:",
        f'    """``client.{module}.with_raw_response``: the same methods, returning :class:`~qwen_api.RawResponse`."""',
        "",
        f"    def __init__(self, resource: {cls}, scope: Scope) -> None:",
        "        self._resource, self._scope = resource, scope",
        "",
    ]
    for node in klass.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name not in methods:
            continue
        overload = any(isinstance(d, ast.Name) and d.id == "overload" for d in node.decorator_list)
        overloaded = any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n.name == node.name
            and any(isinstance(d, ast.Name) and d.id == "overload" for d in n.decorator_list)
            for n in klass.body
        )
        segment = ast.get_source_segment(src, node) or ""
        returns = ast.get_source_segment(src, node.returns) if node.returns else None
        assert returns is not None, f"{cls}.{node.name} has no return annotation"
        signature = segment[segment.index(("async " if isinstance(node, ast.AsyncFunctionDef) else "") + "def ") :]
        signature = signature[: signature.index(") -> " + returns) + len(") -> " + returns)]
        signature = signature.replace(f"-> {returns}", f"-> RawResponse[{returns}]")
        if overload:
            body.append("    @overload\n    " + signature + ": ...")
        else:
            names = [a.arg for a in node.args.args[1:]] + [a.arg for a in node.args.kwonlyargs]
            if overloaded:  # the overloads above are what a type checker sees; the implementation forwards
                keyword = "async def " if isinstance(node, ast.AsyncFunctionDef) else "def "
                signature = f"{keyword}{node.name}(self, *args: Any, **kwargs: Any) -> RawResponse[{returns}]"
                names = []
            passed = [f"{name}={name}" for name in names]
            if overloaded:
                passed = ["*args", "**kwargs"]
            elif node.args.kwarg is not None:  # passed on: the per-call options, checked by the wrapped method
                passed.append(f"**{node.args.kwarg.arg}")
            kwargs = ", ".join(passed)
            operations = "TURN_OPERATIONS" if node.name in TURN else "None"
            doc = f'        """:meth:`{cls}.{node.name}`, with the HTTP status and headers of its main request."""'
            driver = "await _araw" if isinstance(node, ast.AsyncFunctionDef) else "_raw"
            call = (
                f"        return {driver}(self._resource, self._scope, {operations}, lambda r: r.{node.name}({kwargs}))"
            )
            body.append("    " + signature + ":\n" + doc + "\n" + call)
        body.append("")
    if module == "chat":
        body.append("    aupload_file = async_upload_file\n")
    return "\n".join(body)


def render() -> str:
    """The module's text, formatted with the project's ruff settings."""
    return ruff_formatted(HEAD + "\n\n".join(twins(module, cls, methods) for module, (cls, methods) in SPEC.items()))


if __name__ == "__main__":
    sys.exit(main(__doc__, TARGET, render))
