"""What every resource shares: access to its client's config, headers and I/O drivers."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .._core import Plan

if TYPE_CHECKING:
    from ..client import Qwen

T = TypeVar("T")


class Resource:
    def __init__(self, client: Qwen) -> None:
        self._client = client

    def _run(self, plan: Plan[T]) -> T:
        return self._client._run_sync(plan)

    async def _arun(self, plan: Plan[T]) -> T:
        return await self._client._run_async(plan)
