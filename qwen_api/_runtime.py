"""What a resource needs of its client, and nothing more: a small object handed to every resource.

``client.chat``, ``client.models``... and the upload helpers work through this object -- the
settings, the header factory, the retry policy, the two drivers (``run`` for sync code, ``arun``
for async), the per-call option scope, model-alias resolution and the recent uploads -- instead of
the whole :class:`~qwen_api.Qwen`. The client builds one per configuration (``with_options`` builds
another), so no module reads the client's private attributes, and a resource can be driven in a
test by a runtime whose drivers are fakes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import attrs

from ._auth import TokenManager
from ._config import ClientConfig
from ._engine import Plan, Policy
from ._headers import HeaderFactory
from ._messages import RecentUploads
from ._request_options import RequestOptions
from ._turns import TurnContext

if TYPE_CHECKING:
    from .resources.models import ModelCache

__all__ = ["AsyncRunner", "Runtime", "SyncRunner", "runtime_of"]

T = TypeVar("T")


class SyncRunner(Protocol):
    """Runs a plan to its result on this thread (the client's sync driver and pool)."""

    def __call__(self, plan: Plan[T], /) -> T: ...


class AsyncRunner(Protocol):
    """Runs a plan to its result on the running event loop (the client's async driver and pool)."""

    def __call__(self, plan: Plan[T], /) -> Coroutine[Any, Any, T]: ...


@attrs.define(eq=False)
class Runtime:
    """One client configuration as the resources see it (see the module docstring).

    ``turn_ctx`` is set by the client once its ``models`` resource exists, because resolving a
    model alias lists the models through that resource.
    """

    config: ClientConfig
    headers: HeaderFactory
    policy: Policy
    auth: TokenManager
    model_cache: ModelCache
    recent_uploads: RecentUploads
    run: SyncRunner
    arun: AsyncRunner
    scope: Callable[[RequestOptions | None], contextlib.AbstractContextManager[None]]
    turn_ctx: TurnContext = attrs.field(init=False)


class _HasRuntime(Protocol):
    @property
    def _runtime(self) -> Runtime: ...


def runtime_of(owner: Runtime | _HasRuntime) -> Runtime:
    """``owner``'s runtime: resources built the older SDK's way (``Completion(client)``) and the
    package's own tools (``qwen doctor``) reach a client's engine through this one seam."""
    return owner if isinstance(owner, Runtime) else owner._runtime
