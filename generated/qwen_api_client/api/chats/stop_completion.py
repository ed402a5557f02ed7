from typing import Any

from ...models.envelope import Envelope
from ...models.stop_request import StopRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: StopRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Stop an answer that is still being generated

    Sources: DanyAPI client.py and rogator payload.py (2026-08). After a stop the stream may
    carry a `response.stopped` event.

    ``POST /api/v2/chat/completions/stop``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StopRequest):
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
        path="/api/v2/chat/completions/stop",
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
