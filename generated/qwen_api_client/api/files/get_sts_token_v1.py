from typing import Any

from ...models.sts_token import StsToken
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
    """Older alias of getStsToken

    Sources: Qwen2API, Qwen2API_Go, FreeQwenApi, qwen-api 1.4.16, rogator (which still tries it
    first). Older deployments answered the grant flat, without the envelope; accept both.

    ``POST /api/v1/files/getstsToken``, built without sending it.

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
        path="/api/v1/files/getstsToken",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> StsToken | StsTokenEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """

    def _parse_response_200(data: object) -> StsToken | StsTokenEnvelope:
        try:
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_0 = StsTokenEnvelope.from_dict(data)

            return response_200_type_0
        except (TypeError, ValueError, AttributeError, KeyError):
            pass
        if not isinstance(data, dict):
            raise TypeError()
        response_200_type_1 = StsToken.from_dict(data)

        return response_200_type_1

    response_200 = _parse_response_200(data)

    return response_200
