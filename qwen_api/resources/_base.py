"""What every resource shares: access to its client's config, headers and I/O drivers."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, TypeVar

import httpx

from .._core import Plan
from .._request_options import TURN_OPERATIONS, RequestOptions, build_options
from ..types.params import Body, Headers, Query

if TYPE_CHECKING:
    from ..client import Qwen

T = TypeVar("T")


class Resource:
    """A group of methods on a :class:`~qwen_api.Qwen` client (``client.chat``, ``client.models``...)."""

    def __init__(self, client: Qwen) -> None:
        self._client = client

    def _run(self, plan: Plan[T], options: RequestOptions | None = None) -> T:
        with self._client._scope(options):
            return self._client._run_sync(plan)

    async def _arun(self, plan: Plan[T], options: RequestOptions | None = None) -> T:
        with self._client._scope(options):
            return await self._client._run_async(plan)


options = build_options
"""``options(timeout=..., extra_headers=..., extra_query=..., extra_body=...)``: a call's options or None."""


def turn_scope(
    client: Qwen,
    timeout: float | httpx.Timeout | None,
    extra_headers: Headers | None,
    extra_query: Query | None,
    extra_body: Body | None,
) -> contextlib.AbstractContextManager[None]:
    """The per-call options of a chat turn: ``extra_body`` goes into the completion request only."""
    return client._scope(
        build_options(
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            body_operations=TURN_OPERATIONS,
        )
    )
