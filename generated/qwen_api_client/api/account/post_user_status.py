from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.envelope import Envelope
from ...models.error_envelope import ErrorEnvelope
from ...models.user_status_request import UserStatusRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UserStatusRequest,
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
        "method": "post",
        "url": "/api/v2/users/status",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = Envelope.from_dict(response.json())

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
) -> Response[Envelope | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UserStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Envelope | ErrorEnvelope]:
    """The web client's activity beacon

     Source: browser capture 2026-09-25: sent right after a completion with analytics
    parameters (`session_id` is the chat id, `typarm2` the user id). Not needed by the SDK;
    described so that the local server's answer is checked too.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (UserStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        source=source,
        version=version,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UserStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Envelope | ErrorEnvelope | None:
    """The web client's activity beacon

     Source: browser capture 2026-09-25: sent right after a completion with analytics
    parameters (`session_id` is the chat id, `typarm2` the user id). Not needed by the SDK;
    described so that the local server's answer is checked too.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (UserStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        source=source,
        version=version,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UserStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[Envelope | ErrorEnvelope]:
    """The web client's activity beacon

     Source: browser capture 2026-09-25: sent right after a completion with analytics
    parameters (`session_id` is the chat id, `typarm2` the user id). Not needed by the SDK;
    described so that the local server's answer is checked too.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (UserStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        source=source,
        version=version,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UserStatusRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Envelope | ErrorEnvelope | None:
    """The web client's activity beacon

     Source: browser capture 2026-09-25: sent right after a completion with analytics
    parameters (`session_id` is the chat id, `typarm2` the user id). Not needed by the SDK;
    described so that the local server's answer is checked too.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (UserStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            source=source,
            version=version,
            x_request_id=x_request_id,
        )
    ).parsed
