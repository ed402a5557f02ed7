from typing import Any
from urllib.parse import quote

from ...models.task_status import TaskStatus
from ...types import UNSET, Request, Unset


def build_request(
    task_id: str,
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Poll a video generation task (older path, flat answer)

    Source: Qwen2API getVideoTaskStatus (2025-2026): the same fields as the v2 answer's `data`,
    at the top level. Kept for deployments that still answer it.

    ``GET /api/v1/tasks/status/{task_id}``, built without sending it.

    Args:
        task_id (str):
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
        path="/api/v1/tasks/status/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> TaskStatus:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = TaskStatus.from_dict(data)

    return response_200
