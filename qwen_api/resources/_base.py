"""What every resource shares: its client's :class:`~qwen_api._runtime.Runtime` (settings, headers, drivers)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

from .._engine import Plan
from .._exceptions import QwenInputTypeError
from .._request_options import TURN_OPERATIONS, RequestOptions, build_options
from .._runtime import runtime_of
from ..types.params import RequestOptionsParam

if TYPE_CHECKING:
    from .._runtime import Runtime
    from ..client import Qwen

T = TypeVar("T")


class Resource:
    """A group of methods on a :class:`~qwen_api.Qwen` client (``client.chat``, ``client.models``...)."""

    def __init__(self, client: Runtime | Qwen) -> None:
        self._runtime = runtime_of(client)

    def _run(self, plan: Plan[T], options: RequestOptions | None = None) -> T:
        with self._runtime.scope(options):
            return self._runtime.run(plan)

    async def _arun(self, plan: Plan[T], options: RequestOptions | None = None) -> T:
        with self._runtime.scope(options):
            return await self._runtime.arun(plan)


def options(
    request_options: Mapping[str, object], *, body_operations: frozenset[str] | None = None
) -> RequestOptions | None:
    """A call's ``**request_options`` (``timeout=``, ``extra_headers=``, ``extra_query=``, ``extra_body=``)
    validated, or None when it gave none. A keyword the method does not take lands here too (typed
    ``Unpack[RequestOptionsParam]``, the type checker flags it); at run time it is a ``TypeError``."""
    if not request_options:  # the common call: no options, nothing to check or build
        return None
    unknown = sorted(request_options.keys() - _OPTION_NAMES)
    if unknown:
        raise QwenInputTypeError(
            f"got unexpected keyword argument(s): {', '.join(unknown)} (besides its own parameters, a call "
            "takes timeout=, extra_headers=, extra_query= and extra_body=)"
        )
    return build_options(**request_options, body_operations=body_operations)


_OPTION_NAMES = frozenset(RequestOptionsParam.__annotations__)


def turn_scope(runtime: Runtime, request_options: Mapping[str, object]) -> contextlib.AbstractContextManager[None]:
    """The per-call options of a chat turn: ``extra_body`` goes into the completion request only."""
    return runtime.scope(options(request_options, body_operations=TURN_OPERATIONS))
