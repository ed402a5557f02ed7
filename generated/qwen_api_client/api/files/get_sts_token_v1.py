from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.sts_token import StsToken
from ...models.sts_token_envelope import StsTokenEnvelope
from ...models.sts_token_request import StsTokenRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: StsTokenRequest,
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
        "url": "/api/v1/files/getstsToken",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | StsToken | StsTokenEnvelope | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> StsToken | StsTokenEnvelope:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = StsTokenEnvelope.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = StsToken.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[ErrorEnvelope | StsToken | StsTokenEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: StsTokenRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | StsToken | StsTokenEnvelope]:
    """Older alias of getStsToken

     Sources: Qwen2API, Qwen2API_Go, FreeQwenApi, qwen-api 1.4.16, rogator (which still tries it
    first). Older deployments answered the grant flat, without the envelope; accept both.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StsToken | StsTokenEnvelope]
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
    body: StsTokenRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | StsToken | StsTokenEnvelope | None:
    """Older alias of getStsToken

     Sources: Qwen2API, Qwen2API_Go, FreeQwenApi, qwen-api 1.4.16, rogator (which still tries it
    first). Older deployments answered the grant flat, without the envelope; accept both.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StsToken | StsTokenEnvelope
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
    body: StsTokenRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | StsToken | StsTokenEnvelope]:
    """Older alias of getStsToken

     Sources: Qwen2API, Qwen2API_Go, FreeQwenApi, qwen-api 1.4.16, rogator (which still tries it
    first). Older deployments answered the grant flat, without the envelope; accept both.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StsToken | StsTokenEnvelope]
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
    body: StsTokenRequest,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> ErrorEnvelope | StsToken | StsTokenEnvelope | None:
    """Older alias of getStsToken

     Sources: Qwen2API, Qwen2API_Go, FreeQwenApi, qwen-api 1.4.16, rogator (which still tries it
    first). Older deployments answered the grant flat, without the envelope; accept both.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StsToken | StsTokenEnvelope
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
