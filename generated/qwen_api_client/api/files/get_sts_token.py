from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
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
        "url": "/api/v2/files/getstsToken",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | StsTokenEnvelope | None:
    if response.status_code == 200:
        response_200 = StsTokenEnvelope.from_dict(response.json())

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
) -> Response[ErrorEnvelope | StsTokenEnvelope]:
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
) -> Response[ErrorEnvelope | StsTokenEnvelope]:
    """Get short-lived OSS credentials for one upload

     Source: browser capture 2026-09-14 (audio, video and file uploads). `filesize` is sent as a
    string by the browser; integers are accepted. Without `filetype` the service answers
    `Bad_Request "Invalid file information!"`. The grant is used to PUT the file to
    `https://{bucketname}.{endpoint}/{file_path}` with an OSS V4 signature.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StsTokenEnvelope]
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
) -> ErrorEnvelope | StsTokenEnvelope | None:
    """Get short-lived OSS credentials for one upload

     Source: browser capture 2026-09-14 (audio, video and file uploads). `filesize` is sent as a
    string by the browser; integers are accepted. Without `filetype` the service answers
    `Bad_Request "Invalid file information!"`. The grant is used to PUT the file to
    `https://{bucketname}.{endpoint}/{file_path}` with an OSS V4 signature.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StsTokenEnvelope
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
) -> Response[ErrorEnvelope | StsTokenEnvelope]:
    """Get short-lived OSS credentials for one upload

     Source: browser capture 2026-09-14 (audio, video and file uploads). `filesize` is sent as a
    string by the browser; integers are accepted. Without `filetype` the service answers
    `Bad_Request "Invalid file information!"`. The grant is used to PUT the file to
    `https://{bucketname}.{endpoint}/{file_path}` with an OSS V4 signature.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StsTokenEnvelope]
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
) -> ErrorEnvelope | StsTokenEnvelope | None:
    """Get short-lived OSS credentials for one upload

     Source: browser capture 2026-09-14 (audio, video and file uploads). `filesize` is sent as a
    string by the browser; integers are accepted. Without `filetype` the service answers
    `Bad_Request "Invalid file information!"`. The grant is used to PUT the file to
    `https://{bucketname}.{endpoint}/{file_path}` with an OSS V4 signature.

    Args:
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        body (StsTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StsTokenEnvelope
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
