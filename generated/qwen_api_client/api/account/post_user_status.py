from typing import Any

from ...models.envelope import Envelope
from ...models.user_status_request import UserStatusRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: UserStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """The web client's activity beacon

    Source: browser capture 2026-09-25: sent right after a completion with analytics
    parameters (`session_id` is the chat id, `typarm2` the user id). Not needed by the SDK;
    described so that the local server's answer is checked too.

    ``POST /api/v2/users/status``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (UserStatusRequest):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    json_body = body.to_dict()
    headers["Content-Type"] = "application/json"
    return Request(
        method="POST",
        path="/api/v2/users/status",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> Envelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = Envelope.from_dict(data)

    return response_200
