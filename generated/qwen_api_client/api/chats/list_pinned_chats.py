from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_list_envelope import ChatListEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
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
        "url": "/api/v2/chats/pinned",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatListEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ChatListEnvelope.from_dict(response.json())

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
) -> Response[ChatListEnvelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ChatListEnvelope | ErrorEnvelope]:
    """The pinned conversations

     Source: browser capture 2026-09-25 (the web client asks for it when it opens). Same
    summaries as the chat list, unpaged.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatListEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        source=source,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ChatListEnvelope | ErrorEnvelope | None:
    """The pinned conversations

     Source: browser capture 2026-09-25 (the web client asks for it when it opens). Same
    summaries as the chat list, unpaged.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatListEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        source=source,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ChatListEnvelope | ErrorEnvelope]:
    """The pinned conversations

     Source: browser capture 2026-09-25 (the web client asks for it when it opens). Same
    summaries as the chat list, unpaged.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatListEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        source=source,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ChatListEnvelope | ErrorEnvelope | None:
    """The pinned conversations

     Source: browser capture 2026-09-25 (the web client asks for it when it opens). Same
    summaries as the chat list, unpaged.

    Args:
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatListEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            source=source,
            x_request_id=x_request_id,
        )
    ).parsed
