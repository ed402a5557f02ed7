from typing import Any

from ...models.parse_status_envelope import ParseStatusEnvelope
from ...models.parse_status_request import ParseStatusRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: ParseStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Poll the parse status of uploaded documents

    Sources: browser capture 2026-09-14, rogator parse.py (polls every 2 s, 120 s cap), qwengate.
    `status` goes `running` then `success` or `failed` (with `error_msg` / `error_code`).

    ``POST /api/v2/files/parse/status``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (ParseStatusRequest):
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
        path="/api/v2/files/parse/status",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> ParseStatusEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ParseStatusEnvelope.from_dict(data)

    return response_200
