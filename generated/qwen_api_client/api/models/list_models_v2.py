from typing import Any

from ...models.model_list_envelope import ModelListEnvelope
from ...types import UNSET, Request, Unset


def build_request(
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """List models (enveloped)

    Source: capability report 2026-08-25 (medium trust; excerpt of 1 of 6 models), Qwen2API_Go,
    DanyAPI, rogator. The list sits at `data.data`.

    ``GET /api/v2/models/``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    return Request(
        method="GET",
        path="/api/v2/models/",
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> ModelListEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ModelListEnvelope.from_dict(data)

    return response_200
