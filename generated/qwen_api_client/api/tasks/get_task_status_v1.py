from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.task_status import TaskStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: str,
    *,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/tasks/status/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TaskStatus | None:
    if response.status_code == 200:
        response_200 = TaskStatus.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | TaskStatus]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TaskStatus]:
    """Poll a video generation task (older path, flat answer)

     Source: Qwen2API getVideoTaskStatus (2025-2026): the same fields as the v2 answer's `data`,
    at the top level. Kept for deployments that still answer it.

    Args:
        task_id (str):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatus]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        source=source,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | TaskStatus | None:
    """Poll a video generation task (older path, flat answer)

     Source: Qwen2API getVideoTaskStatus (2025-2026): the same fields as the v2 answer's `data`,
    at the top level. Kept for deployments that still answer it.

    Args:
        task_id (str):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatus
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        source=source,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TaskStatus]:
    """Poll a video generation task (older path, flat answer)

     Source: Qwen2API getVideoTaskStatus (2025-2026): the same fields as the v2 answer's `data`,
    at the top level. Kept for deployments that still answer it.

    Args:
        task_id (str):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatus]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        source=source,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | TaskStatus | None:
    """Poll a video generation task (older path, flat answer)

     Source: Qwen2API getVideoTaskStatus (2025-2026): the same fields as the v2 answer's `data`,
    at the top level. Kept for deployments that still answer it.

    Args:
        task_id (str):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatus
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            source=source,
            x_request_id=x_request_id,
        )
    ).parsed
