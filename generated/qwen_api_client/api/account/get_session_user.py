from typing import Any

from ...models.session_user import SessionUser
from ...types import UNSET, Request, Unset


def build_request(
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """The signed-in user (checks the token)

    Open WebUI heritage; used by DanyAPI, rogator and Qwen2API_Go to check a token (2026).
    The answer is not enveloped.

    ``GET /api/v1/auths/``, built without sending it.

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
        path="/api/v1/auths/",
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> SessionUser:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = SessionUser.from_dict(data)

    return response_200
