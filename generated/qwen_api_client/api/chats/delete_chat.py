from typing import Any
from urllib.parse import quote

from ...models.delete_chat_envelope import DeleteChatEnvelope
from ...types import UNSET, Request, Unset


def build_request(
    chat_id: str,
    *,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Delete a conversation

    Sources: Qwen2API_Go, qwen2api-rs, rogator (2026); answers `data.status: true`.

    ``DELETE /api/v2/chats/{chat_id}``, built without sending it.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    return Request(
        method="DELETE",
        path="/api/v2/chats/{chat_id}".format(
            chat_id=quote(str(chat_id), safe=""),
        ),
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> DeleteChatEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = DeleteChatEnvelope.from_dict(data)

    return response_200
