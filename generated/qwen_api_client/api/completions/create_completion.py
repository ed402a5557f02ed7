from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_completion_request import ChatCompletionRequest
from ...models.choice_chunk import ChoiceChunk
from ...models.error_envelope import ErrorEnvelope
from ...models.response_created_event import ResponseCreatedEvent
from ...models.response_info_event import ResponseInfoEvent
from ...models.response_stopped_event import ResponseStoppedEvent
from ...models.stream_error_event import StreamErrorEvent
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(source, Unset):
        headers["source"] = source

    if not isinstance(version, Unset):
        headers["version"] = version

    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    if not isinstance(x_accel_buffering, Unset):
        headers["X-Accel-Buffering"] = x_accel_buffering

    params: dict[str, Any] = {}

    params["chat_id"] = chat_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v2/chat/completions",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ChoiceChunk
    | ResponseCreatedEvent
    | ResponseInfoEvent
    | ResponseStoppedEvent
    | StreamErrorEvent
    | ErrorEnvelope
    | None
):
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

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> Response[
    ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope
]:
    """Send one user turn and stream the answer

     Sources: browser captures 2026-09-25 (t2t, frontend 0.3.11) and 2026-03-04 (guest t2i),
    thinking stream 2026-10-08. The body carries exactly one new user message; earlier turns
    live on the server under `chat_id` and are linked by `parent_id` (the previous answer's
    `response_id`). Text answers always stream; `stream: false` only works for video (t2v/i2v),
    which answers JSON with a task id.

    The stream is `text/event-stream`, `data:` lines only: `response.created` first, then
    choice deltas whose `phase` says what they carry (`thinking_summary`, `web_search`,
    `answer`, `image_gen`, ...), growing `usage`, and a final delta with
    `status: finished` in the answer (or `image_gen`) phase. There is no `[DONE]`. Errors may
    arrive instead as a JSON error envelope (HTTP 200), a WAF block, or an in-stream `error`
    event.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        x_accel_buffering (str | Unset):  Default: 'no'.
        body (ChatCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        chat_id=chat_id,
        source=source,
        version=version,
        x_request_id=x_request_id,
        x_accel_buffering=x_accel_buffering,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> (
    ChoiceChunk
    | ResponseCreatedEvent
    | ResponseInfoEvent
    | ResponseStoppedEvent
    | StreamErrorEvent
    | ErrorEnvelope
    | None
):
    """Send one user turn and stream the answer

     Sources: browser captures 2026-09-25 (t2t, frontend 0.3.11) and 2026-03-04 (guest t2i),
    thinking stream 2026-10-08. The body carries exactly one new user message; earlier turns
    live on the server under `chat_id` and are linked by `parent_id` (the previous answer's
    `response_id`). Text answers always stream; `stream: false` only works for video (t2v/i2v),
    which answers JSON with a task id.

    The stream is `text/event-stream`, `data:` lines only: `response.created` first, then
    choice deltas whose `phase` says what they carry (`thinking_summary`, `web_search`,
    `answer`, `image_gen`, ...), growing `usage`, and a final delta with
    `status: finished` in the answer (or `image_gen`) phase. There is no `[DONE]`. Errors may
    arrive instead as a JSON error envelope (HTTP 200), a WAF block, or an in-stream `error`
    event.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        x_accel_buffering (str | Unset):  Default: 'no'.
        body (ChatCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
        chat_id=chat_id,
        source=source,
        version=version,
        x_request_id=x_request_id,
        x_accel_buffering=x_accel_buffering,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> Response[
    ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope
]:
    """Send one user turn and stream the answer

     Sources: browser captures 2026-09-25 (t2t, frontend 0.3.11) and 2026-03-04 (guest t2i),
    thinking stream 2026-10-08. The body carries exactly one new user message; earlier turns
    live on the server under `chat_id` and are linked by `parent_id` (the previous answer's
    `response_id`). Text answers always stream; `stream: false` only works for video (t2v/i2v),
    which answers JSON with a task id.

    The stream is `text/event-stream`, `data:` lines only: `response.created` first, then
    choice deltas whose `phase` says what they carry (`thinking_summary`, `web_search`,
    `answer`, `image_gen`, ...), growing `usage`, and a final delta with
    `status: finished` in the answer (or `image_gen`) phase. There is no `[DONE]`. Errors may
    arrive instead as a JSON error envelope (HTTP 200), a WAF block, or an in-stream `error`
    event.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        x_accel_buffering (str | Unset):  Default: 'no'.
        body (ChatCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
        chat_id=chat_id,
        source=source,
        version=version,
        x_request_id=x_request_id,
        x_accel_buffering=x_accel_buffering,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
    chat_id: str,
    source: str | Unset = "web",
    version: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
    x_accel_buffering: str | Unset = "no",
) -> (
    ChoiceChunk
    | ResponseCreatedEvent
    | ResponseInfoEvent
    | ResponseStoppedEvent
    | StreamErrorEvent
    | ErrorEnvelope
    | None
):
    """Send one user turn and stream the answer

     Sources: browser captures 2026-09-25 (t2t, frontend 0.3.11) and 2026-03-04 (guest t2i),
    thinking stream 2026-10-08. The body carries exactly one new user message; earlier turns
    live on the server under `chat_id` and are linked by `parent_id` (the previous answer's
    `response_id`). Text answers always stream; `stream: false` only works for video (t2v/i2v),
    which answers JSON with a task id.

    The stream is `text/event-stream`, `data:` lines only: `response.created` first, then
    choice deltas whose `phase` says what they carry (`thinking_summary`, `web_search`,
    `answer`, `image_gen`, ...), growing `usage`, and a final delta with
    `status: finished` in the answer (or `image_gen`) phase. There is no `[DONE]`. Errors may
    arrive instead as a JSON error envelope (HTTP 200), a WAF block, or an in-stream `error`
    event.

    Args:
        chat_id (str):
        source (str | Unset):  Default: 'web'.
        version (str | Unset):
        x_request_id (str | Unset):
        x_accel_buffering (str | Unset):  Default: 'no'.
        body (ChatCompletionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChoiceChunk | ResponseCreatedEvent | ResponseInfoEvent | ResponseStoppedEvent | StreamErrorEvent | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            chat_id=chat_id,
            source=source,
            version=version,
            x_request_id=x_request_id,
            x_accel_buffering=x_accel_buffering,
        )
    ).parsed
