from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.token_pair_envelope import TokenPairEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/auths/refresh",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TokenPairEnvelope | None:
    if response.status_code == 200:
        response_200 = TokenPairEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TokenPairEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TokenPairEnvelope]:
    """Exchange the refresh_token cookie for a new token pair

     Source: AIChatfire docs §2.7 (2026-09). Access tokens live about 15 minutes; the 30-day
    `refresh_token` cookie renews them, and the answer rotates both tokens.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenPairEnvelope]
    """

    kwargs = _get_kwargs(
        source=source,
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> ErrorEnvelope | TokenPairEnvelope | None:
    """Exchange the refresh_token cookie for a new token pair

     Source: AIChatfire docs §2.7 (2026-09). Access tokens live about 15 minutes; the 30-day
    `refresh_token` cookie renews them, and the answer rotates both tokens.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenPairEnvelope
    """

    return sync_detailed(
        client=client,
        source=source,
        version=version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> Response[ErrorEnvelope | TokenPairEnvelope]:
    """Exchange the refresh_token cookie for a new token pair

     Source: AIChatfire docs §2.7 (2026-09). Access tokens live about 15 minutes; the 30-day
    `refresh_token` cookie renews them, and the answer rotates both tokens.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TokenPairEnvelope]
    """

    kwargs = _get_kwargs(
        source=source,
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
) -> ErrorEnvelope | TokenPairEnvelope | None:
    """Exchange the refresh_token cookie for a new token pair

     Source: AIChatfire docs §2.7 (2026-09). Access tokens live about 15 minutes; the 30-day
    `refresh_token` cookie renews them, and the answer rotates both tokens.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TokenPairEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            source=source,
            version=version,
        )
    ).parsed
