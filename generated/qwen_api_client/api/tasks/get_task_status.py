from typing import Any
from urllib.parse import quote

from ...models.task_status_envelope import TaskStatusEnvelope
from ...types import UNSET, Request, Unset


def build_request(
    task_id: str,
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Request:
    """Poll a video generation task

    Source: AIChatfire docs §6 (live, 2026-09). Unknown `task_status` values should be treated
    as failures. The older path `/api/v1/tasks/status/{task_id}` answered the fields flat.

    ``GET /api/v2/task/status/{task_id}``, built without sending it.

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
        path="/api/v2/task/status/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
        query="",
        headers=headers,
    )


def parse_response(data: Any) -> TaskStatusEnvelope:
    """The HTTP 200 answer's body, already decoded from JSON, as the spec's model.

    Raises KeyError, TypeError or ValueError when the body does not have the spec's shape.
    """
    response_200 = TaskStatusEnvelope.from_dict(data)

    return response_200
