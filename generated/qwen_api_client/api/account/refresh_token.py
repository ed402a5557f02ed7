from typing import Any

from ...models.token_pair_envelope import TokenPairEnvelope
from ...types import UNSET, Request, Unset


def build_request(
    *,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> Request:
    """Exchange the refresh_token cookie for a new token pair

    Source: AIChatfire docs §2.7 (2026-09). Access tokens live about 15 minutes; the 30-day
    `refresh_token` cookie renews them, and the answer rotates both tokens.

    ``GET /api/v2/auths/refresh``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    return Request(
        method="GET",
        path="/api/v2/auths/refresh",
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> TokenPairEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = TokenPairEnvelope.from_dict(data)

    return response_200
