from typing import Any

from ...models.chat_list_envelope import ChatListEnvelope
from ...types import UNSET, Request, Unset, encode_query


def build_request(
    *,
    page: int | Unset = 1,
    exclude_project: bool | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """List conversations, newest first, one page at a time

    Source: browser capture 2026-09-14 (`?page=1&exclude_project=true`). An empty `data`
    array means the last page has been passed.

    ``GET /api/v2/chats/``, built without sending it.

    Args:
        page (int | Unset):  Default: 1.
        exclude_project (bool | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}
    params["page"] = page
    params["exclude_project"] = exclude_project
    return Request(
        method="GET",
        path="/api/v2/chats/",
        query=encode_query(params),
        headers=headers,
    )


def parse_response(data: Any) -> ChatListEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ChatListEnvelope.from_dict(data)

    return response_200
