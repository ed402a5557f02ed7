from typing import Any
from urllib.parse import quote

from ...models.chat_detail_envelope import ChatDetailEnvelope
from ...types import UNSET, Request, Unset, encode_query


def build_request(
    chat_id: str,
    *,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Read one conversation with its message tree

    Source: browser capture 2026-09-25 (`GET /api/v2/chats/{id}?direction=up&limit=10`).
    Messages are keyed by id under `chat.history.messages` and linked by `parentId` /
    `childrenIds`. An unknown id answers HTTP 200 with `x-actual-status-code: 404` and a
    `Not_Found` / `CHAT_NOT_FOUND` error envelope.

    ``GET /api/v2/chats/{chat_id}``, built without sending it.

    Args:
        chat_id (str):
        direction (str | Unset):
        limit (int | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}
    params["direction"] = direction
    params["limit"] = limit
    return Request(
        method="GET",
        path="/api/v2/chats/{chat_id}".format(
            chat_id=quote(str(chat_id), safe=""),
        ),
        query=encode_query(params),
        headers=headers,
    )


def parse_response(data: Any) -> ChatDetailEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ChatDetailEnvelope.from_dict(data)

    return response_200
