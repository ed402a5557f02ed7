from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_detail_envelope import ChatDetailEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    chat_id: str,
    *,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["direction"] = direction

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/chats/{chat_id}".format(
            chat_id=quote(str(chat_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatDetailEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ChatDetailEnvelope.from_dict(response.json())

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
) -> Response[ChatDetailEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ChatDetailEnvelope | ErrorEnvelope]:
    """Read one conversation with its message tree

     Source: browser capture 2026-09-25 (`GET /api/v2/chats/{id}?direction=up&limit=10`).
    Messages are keyed by id under `chat.history.messages` and linked by `parentId` /
    `childrenIds`. An unknown id answers HTTP 200 with `x-actual-status-code: 404` and a
    `Not_Found` / `CHAT_NOT_FOUND` error envelope.

    Args:
        chat_id (str):
        direction (str | Unset):
        limit (int | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatDetailEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        direction=direction,
        limit=limit,
        source=source,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ChatDetailEnvelope | ErrorEnvelope | None:
    """Read one conversation with its message tree

     Source: browser capture 2026-09-25 (`GET /api/v2/chats/{id}?direction=up&limit=10`).
    Messages are keyed by id under `chat.history.messages` and linked by `parentId` /
    `childrenIds`. An unknown id answers HTTP 200 with `x-actual-status-code: 404` and a
    `Not_Found` / `CHAT_NOT_FOUND` error envelope.

    Args:
        chat_id (str):
        direction (str | Unset):
        limit (int | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatDetailEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        chat_id=chat_id,
        client=client,
        direction=direction,
        limit=limit,
        source=source,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ChatDetailEnvelope | ErrorEnvelope]:
    """Read one conversation with its message tree

     Source: browser capture 2026-09-25 (`GET /api/v2/chats/{id}?direction=up&limit=10`).
    Messages are keyed by id under `chat.history.messages` and linked by `parentId` /
    `childrenIds`. An unknown id answers HTTP 200 with `x-actual-status-code: 404` and a
    `Not_Found` / `CHAT_NOT_FOUND` error envelope.

    Args:
        chat_id (str):
        direction (str | Unset):
        limit (int | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatDetailEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        direction=direction,
        limit=limit,
        source=source,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    direction: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ChatDetailEnvelope | ErrorEnvelope | None:
    """Read one conversation with its message tree

     Source: browser capture 2026-09-25 (`GET /api/v2/chats/{id}?direction=up&limit=10`).
    Messages are keyed by id under `chat.history.messages` and linked by `parentId` /
    `childrenIds`. An unknown id answers HTTP 200 with `x-actual-status-code: 404` and a
    `Not_Found` / `CHAT_NOT_FOUND` error envelope.

    Args:
        chat_id (str):
        direction (str | Unset):
        limit (int | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatDetailEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            chat_id=chat_id,
            client=client,
            direction=direction,
            limit=limit,
            source=source,
            x_request_id=x_request_id,
        )
    ).parsed
