from typing import Any

from ...models.parse_envelope import ParseEnvelope
from ...models.parse_request import ParseRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: ParseRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Start server-side parsing of an uploaded document

    Source: browser capture 2026-09-14 (a .md document).

    ``POST /api/v2/files/parse``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (ParseRequest):
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
        path="/api/v2/files/parse",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> ParseEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ParseEnvelope.from_dict(data)

    return response_200
