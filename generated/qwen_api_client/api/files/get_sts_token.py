from typing import Any

from ...models.sts_token_envelope import StsTokenEnvelope
from ...models.sts_token_request import StsTokenRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: StsTokenRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Get short-lived OSS credentials for one upload

    Source: browser capture 2026-09-14 (audio, video and file uploads). `filesize` is sent as a
    string by the browser; integers are accepted. Without `filetype` the service answers
    `Bad_Request "Invalid file information!"`. The grant is used to PUT the file to
    `https://{bucketname}.{endpoint}/{file_path}` with an OSS V4 signature.

    ``POST /api/v2/files/getstsToken``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):
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
        path="/api/v2/files/getstsToken",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> StsTokenEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = StsTokenEnvelope.from_dict(data)

    return response_200
