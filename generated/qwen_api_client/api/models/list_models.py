from typing import Any

from ...models.model_list import ModelList
from ...types import Request


def build_request() -> Request:
    """List models (OpenAI-like, unwrapped)

    Sources: Qwen2API, qwen2api-rs, qwengate, AIChatfire (2026). Answers `{"data": [Model]}`
    without the envelope; reported to work without authentication.

    ``GET /api/models``, built without sending it.
    """
    headers: dict[str, str] = {}
    return Request(
        method="GET",
        path="/api/models",
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> ModelList:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ModelList.from_dict(data)

    return response_200
