from typing import Any

from ...models.new_chat_envelope import NewChatEnvelope
from ...models.new_chat_request import NewChatRequest
from ...types import UNSET, Request, Unset


def build_request(
    *,
    body: NewChatRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Create a conversation

    Creates an empty chat; `data.id` is the `chat_id` every later turn must reference.
    Source: browser capture 2026-09-14 (frontend 0.2.91). `timestamp` is in milliseconds here,
    unlike completions. Older clients also send `title` and omit `chatId`.

    ``POST /api/v2/chats/new``, built without sending it.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (NewChatRequest):
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
        path="/api/v2/chats/new",
        query="",
        headers=headers,
        json=json_body,
    )


def parse_response(data: Any) -> NewChatEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = NewChatEnvelope.from_dict(data)

    return response_200
