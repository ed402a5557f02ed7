"""What every resource shares: its client's :class:`~qwen_api._runtime.Runtime` (settings, headers, drivers)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, TypeVar

from .._core import Plan
from .._request_options import TURN_OPERATIONS, RequestOptions, build_options
from .._runtime import runtime_of
from ..types.params import Body, Headers, Query

if TYPE_CHECKING:
    import httpx

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


options = build_options
"""``options(timeout=..., extra_headers=..., extra_query=..., extra_body=...)``: a call's options or None."""


def turn_scope(
    runtime: Runtime,
    timeout: float | httpx.Timeout | None,
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: Body | None,
) -> contextlib.AbstractContextManager[None]:
    """The per-call options of a chat turn: ``extra_body`` goes into the completion request only."""
    return runtime.scope(
        build_options(
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            body_operations=TURN_OPERATIONS,
        )
    )
