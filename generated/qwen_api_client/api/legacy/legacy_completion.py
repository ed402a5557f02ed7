from ...models.legacy_completion_request import LegacyCompletionRequest
from ...types import Request


def build_request(
    *,
    body: LegacyCompletionRequest,
) -> Request:
    """Retired v1 chat completion (full history, random ids)

    The v1 protocol used until 2025-09-29 (Qwen2API before 7df4823; qwen-api 1.4.16). Kept only
    so that the retirement is documented; the SDK never calls it.

    ``POST /api/chat/completions``, built without sending it.

    Args:
        body (LegacyCompletionRequest):
    """
    headers: dict[str, str] = {}
    json_body = body.to_dict()
    headers["Content-Type"] = "application/json"
    return Request(
        method="POST",
        path="/api/chat/completions",
        query="",
        headers=headers,
        json=json_body,
    )
