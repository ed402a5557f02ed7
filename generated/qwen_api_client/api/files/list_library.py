from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.library_list_envelope import LibraryListEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    params: dict[str, Any] = {}

    params["type"] = type_

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/library/list",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | LibraryListEnvelope | None:
    if response.status_code == 200:
        response_200 = LibraryListEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | LibraryListEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | LibraryListEnvelope]:
    """The user's file library, cursor-paged

     Source: browser capture 2026-09-25 (`?type=all`). Answers `{has_more, items, cursor}` in
    the envelope; the item shape has not been recorded (the library was empty).

    Args:
        type_ (str | Unset):  Default: 'all'.
        cursor (str | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LibraryListEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        cursor=cursor,
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
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | LibraryListEnvelope | None:
    """The user's file library, cursor-paged

     Source: browser capture 2026-09-25 (`?type=all`). Answers `{has_more, items, cursor}` in
    the envelope; the item shape has not been recorded (the library was empty).

    Args:
        type_ (str | Unset):  Default: 'all'.
        cursor (str | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LibraryListEnvelope
    """

    return sync_detailed(
        client=client,
        type_=type_,
        cursor=cursor,
        source=source,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | LibraryListEnvelope]:
    """The user's file library, cursor-paged

     Source: browser capture 2026-09-25 (`?type=all`). Answers `{has_more, items, cursor}` in
    the envelope; the item shape has not been recorded (the library was empty).

    Args:
        type_ (str | Unset):  Default: 'all'.
        cursor (str | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | LibraryListEnvelope]
    """

    kwargs = _get_kwargs(
        type_=type_,
        cursor=cursor,
        source=source,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    type_: str | Unset = "all",
    cursor: str | Unset = UNSET,
    source: str | Unset = "web",
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | LibraryListEnvelope | None:
    """The user's file library, cursor-paged

     Source: browser capture 2026-09-25 (`?type=all`). Answers `{has_more, items, cursor}` in
    the envelope; the item shape has not been recorded (the library was empty).

    Args:
        type_ (str | Unset):  Default: 'all'.
        cursor (str | Unset):
        source (str | Unset):  Default: 'web'.
        x_request_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | LibraryListEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            cursor=cursor,
            source=source,
            x_request_id=x_request_id,
        )
    ).parsed
