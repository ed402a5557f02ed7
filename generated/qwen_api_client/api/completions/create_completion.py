from typing import Any

from ...models.chat_completion_request import ChatCompletionRequest
from ...types import UNSET, Request, Unset, encode_query


def build_request(
    *,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> Request:
    """Send one user turn and stream the answer

    Sources: browser captures 2026-09-25 (t2t, frontend 0.3.11) and 2026-03-04 (guest t2i),
    thinking stream 2026-10-08. The body carries exactly one new user message; earlier turns
    live on the server under `chat_id` and are linked by `parent_id` (the previous answer's
    `response_id`). Text answers always stream; `stream: false` only works for video (t2v/i2v),
    which answers JSON with a task id.

    The stream is `text/event-stream`, `data:` lines only: `response.created` first, then
    choice deltas whose `phase` says what they carry (`thinking_summary`, `web_search`,
    `answer`, `image_gen`, ...), growing `usage`, and a final delta with
    `status: finished` in the answer (or `image_gen`) phase. There is no `[DONE]`. Errors may
    arrive instead as a JSON error envelope (HTTP 200), a WAF block, or an in-stream `error`
    event.

    ``POST /api/v2/chat/completions``, built without sending it.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        x_accel_buffering (str | Unset):  Default: 'no'.
        body (ChatCompletionRequest):
    """
    headers: dict[str, str] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(x_accel_buffering, Unset):
        headers["X-Accel-Buffering"] = x_accel_buffering

    params: dict[str, Any] = {}
    params["chat_id"] = chat_id
    json_body = body.to_dict()
    headers["Content-Type"] = "application/json"
    return Request(
        method="POST",
        path="/api/v2/chat/completions",
        query=encode_query(params),
        headers=headers,
        json=json_body,
    )
