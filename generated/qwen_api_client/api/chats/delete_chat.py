from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_chat_envelope import DeleteChatEnvelope
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    chat_id: str,
    *,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/v2/chats/{chat_id}".format(
            chat_id=quote(str(chat_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeleteChatEnvelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = DeleteChatEnvelope.from_dict(response.json())

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
) -> Response[DeleteChatEnvelope | ErrorEnvelope]:
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
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DeleteChatEnvelope | ErrorEnvelope]:
    """Delete a conversation

     Sources: Qwen2API_Go, qwen2api-rs, rogator (2026); answers `data.status: true`.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteChatEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        source=source,
        version=version,
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
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DeleteChatEnvelope | ErrorEnvelope | None:
    """Delete a conversation

     Sources: Qwen2API_Go, qwen2api-rs, rogator (2026); answers `data.status: true`.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteChatEnvelope | ErrorEnvelope
    """

    return sync_detailed(
        chat_id=chat_id,
        client=client,
        source=source,
        version=version,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[DeleteChatEnvelope | ErrorEnvelope]:
    """Delete a conversation

     Sources: Qwen2API_Go, qwen2api-rs, rogator (2026); answers `data.status: true`.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteChatEnvelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        chat_id=chat_id,
        source=source,
        version=version,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    chat_id: str,
    *,
    client: AuthenticatedClient | Client,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> DeleteChatEnvelope | ErrorEnvelope | None:
    """Delete a conversation

     Sources: Qwen2API_Go, qwen2api-rs, rogator (2026); answers `data.status: true`.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteChatEnvelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            chat_id=chat_id,
            client=client,
            source=source,
            version=version,
            x_request_id=x_request_id,
        )
    ).parsed
