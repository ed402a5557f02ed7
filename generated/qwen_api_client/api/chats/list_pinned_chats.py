from typing import Any

from ...models.chat_list_envelope import ChatListEnvelope
from ...types import UNSET, Request, Unset


def build_request(
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """The pinned conversations

    Source: browser capture 2026-09-25 (the web client asks for it when it opens). Same
    summaries as the chat list, unpaged.

    ``GET /api/v2/chats/pinned``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    return Request(
        method="GET",
        path="/api/v2/chats/pinned",
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> ChatListEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = ChatListEnvelope.from_dict(data)

    return response_200
