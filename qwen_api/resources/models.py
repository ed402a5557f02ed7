"""``client.models``: the model catalogue, cached per client for alias resolution."""

from __future__ import annotations

import _thread
import threading
import time
from typing import TYPE_CHECKING, Any, Unpack

from qwen_api_client.api.models import list_models_v2

from .. import _aliases
from .._engine import Plan, json_call
from .._exceptions import QwenAPIError, QwenAuthenticationError, QwenClientClosedError, QwenNotFoundError
from .._logging import logger
from .._request_specs import request_spec
from ..types.models import Model, ModelList
from ..types.params import RequestOptionsParam
from ._base import Resource, options

if TYPE_CHECKING:
    from ._raw import ModelsWithRawResponse


__all__ = ["ModelCache", "ModelList", "Models", "resolve_model_plan"]


def _parse_models(body: Any) -> ModelList:
    """Parsed once, from the JSON: each :class:`Model` keeps its whole item in ``raw``."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ValueError("models answered no data")
    items = data["data"]
    if not isinstance(items, list):
        raise TypeError(f"the model list is {type(items).__name__}, not a list")
    return ModelList(Model.from_wire(item) for item in items)


class ModelCache:
    """The model list, fetched once per client (the first time an alias is used).

    When fetching fails, aliases use the fallback table, and the list is asked for again only after
    :attr:`RETRY_AFTER` seconds: a service hiccup must not pin the table for the client's lifetime,
    nor make every call pay for a failing request.
    """

    RETRY_AFTER = 300.0

    def __init__(self) -> None:
        self.models: ModelList | None = None
        self.failed_at: float | None = None
        self.lock: _thread.LockType = threading.Lock()

    def should_fetch(self) -> bool:
        """True when the list is unknown and was not refused in the last :attr:`RETRY_AFTER` seconds."""
        if self.models is not None:
            return False
        return self.failed_at is None or time.monotonic() - self.failed_at >= self.RETRY_AFTER


class Models(Resource):
    """``client.models``: the models the service offers, their capabilities and limits."""

    @property
    def with_raw_response(self) -> ModelsWithRawResponse:
        """These methods returning a :class:`~qwen_api.RawResponse` (HTTP status, headers, ``.parse()``)."""
        from ._raw import ModelsWithRawResponse

        return ModelsWithRawResponse(self, self._runtime.scope)

    def _list_plan(self) -> Plan[ModelList]:
        runtime = self._runtime
        request = list_models_v2.build_request()
        spec = request_spec(request, runtime.config.base_url, runtime.headers.for_request("/"), "models.list")
        models = yield from json_call(spec, _parse_models, runtime.policy)
        runtime.model_cache.models = models
        return models

    def list(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ModelList:
        """Every model the service offers, with capabilities and limits."""
        return self._run(
            self._list_plan(),
            options(request_options),
        )

    async def alist(
        self,
        **request_options: Unpack[RequestOptionsParam],
    ) -> ModelList:
        """Async :meth:`list`."""
        return await self._arun(
            self._list_plan(),
            options(request_options),
        )

    def _pick(self, models: ModelList, model_id: str) -> Model:
        resolved = _aliases.resolve(model_id, [m.id for m in models])
        for model in models:
            if model.id == resolved:
                return model
        raise QwenNotFoundError(f"no model {model_id!r}; available: {', '.join(m.id for m in models)}", status_code=404)

    def retrieve(
        self,
        model_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Model:
        """One model by id (aliases such as ``qwen-max-latest`` resolve first); uses the cached list if
        any, unless per-request options are given (they are sent, with a fresh list request)."""
        cached = self._runtime.model_cache.models
        return self._pick(
            cached if cached is not None and not request_options else self.list(**request_options),
            model_id,
        )

    async def aretrieve(
        self,
        model_id: str,
        **request_options: Unpack[RequestOptionsParam],
    ) -> Model:
        """Async :meth:`retrieve`."""
        cached = self._runtime.model_cache.models
        return self._pick(
            cached if cached is not None and not request_options else await self.alist(**request_options),
            model_id,
        )


def resolve_model_plan(resource: Models, model: str) -> Plan[str]:
    """The model id to send: aliases go through the (cached) model list, other ids pass as they are."""
    if not _aliases.is_alias(model):
        return model
    cache = resource._runtime.model_cache
    if cache.should_fetch():
        try:
            yield from resource._list_plan()
        except (QwenAuthenticationError, QwenClientClosedError):
            # The call itself would fail the same way, after sending a single-use refresh token again.
            raise
        except QwenAPIError as error:
            cache.failed_at = time.monotonic()
            logger.debug("model list unavailable (%s); using the fallback alias table", type(error).__name__)
    ids = [m.id for m in cache.models] if cache.models is not None else None
    resolved = _aliases.resolve(model, ids)
    logger.debug("model alias %s -> %s", model, resolved)
    return resolved
