from typing import Any

from ...models.library_list_envelope import LibraryListEnvelope
from ...types import UNSET, Request, Unset, encode_query


def build_request(
    *,
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """The user's file library, cursor-paged

    Source: browser capture 2026-09-25 (`?type=all`). Answers `{has_more, items, cursor}` in
    the envelope; the item shape has not been recorded (the library was empty).

    ``GET /api/v2/library/list``, built without sending it.

    Args:
        type_ (str | Unset):  Default: 'all'.
        cursor (str | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}
    params["type"] = type_
    params["cursor"] = cursor
    return Request(
        method="GET",
        path="/api/v2/library/list",
        query=encode_query(params),
        headers=headers,
    )


def parse_response(data: Any) -> LibraryListEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = LibraryListEnvelope.from_dict(data)

    return response_200
