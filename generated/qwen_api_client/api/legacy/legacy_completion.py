from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.choice_chunk import ChoiceChunk
from ...models.legacy_completion_request import LegacyCompletionRequest
from ...models.response_created_event import ResponseCreatedEvent
from ...models.response_info_event import ResponseInfoEvent
from ...models.response_stopped_event import ResponseStoppedEvent
from ...models.stream_error_event import StreamErrorEvent
from ...types import Response


def _get_kwargs(
    *,
    body: LegacyCompletionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/chat/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_0 = ResponseCreatedEvent.from_dict(data)

                return componentsschemas_stream_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_1 = ResponseInfoEvent.from_dict(data)

                return componentsschemas_stream_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_2 = ResponseStoppedEvent.from_dict(data)

                return componentsschemas_stream_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_stream_event_type_3 = StreamErrorEvent.from_dict(data)

                return componentsschemas_stream_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_stream_event_type_4 = ChoiceChunk.from_dict(data)

            return componentsschemas_stream_event_type_4

        response_200 = _parse_response_200(response.text)

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LegacyCompletionRequest,
) -> Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent]:
    """Retired v1 chat completion (full history, random ids)

     The v1 protocol used until 2025-09-29 (Qwen2API before 7df4823; qwen-api 1.4.16). Kept only
    so that the retirement is documented; the SDK never calls it.

    Args:
        body (LegacyCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: LegacyCompletionRequest,
) -> ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | None:
    """Retired v1 chat completion (full history, random ids)

     The v1 protocol used until 2025-09-29 (Qwen2API before 7df4823; qwen-api 1.4.16). Kept only
    so that the retirement is documented; the SDK never calls it.

    Args:
        body (LegacyCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LegacyCompletionRequest,
) -> Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent]:
    """Retired v1 chat completion (full history, random ids)

     The v1 protocol used until 2025-09-29 (Qwen2API before 7df4823; qwen-api 1.4.16). Kept only
    so that the retirement is documented; the SDK never calls it.

    Args:
        body (LegacyCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LegacyCompletionRequest,
) -> ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | None:
    """Retired v1 chat completion (full history, random ids)

     The v1 protocol used until 2025-09-29 (Qwen2API before 7df4823; qwen-api 1.4.16). Kept only
    so that the retirement is documented; the SDK never calls it.

    Args:
        body (LegacyCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
