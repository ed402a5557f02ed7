"""What every resource shares: access to its client's config, headers and I/O drivers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .._core import Plan
from .._request_options import RequestOptions, build_options

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
