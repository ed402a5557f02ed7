"""Build the service's requests from the generated request builders.

Everything here is pure: it turns a validated turn into :class:`RequestSpec` objects whose method,
path, query and JSON come from the public ``build_request`` of each generated operation module in
``qwen_api_client.api`` (so a spec change shows up here through ``make generate``), with the
browser-like headers of :mod:`._headers`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from qwen_api_client.api.chats import create_chat, delete_chat, get_chat, list_chats, stop_completion
from qwen_api_client.api.completions import create_completion
from qwen_api_client.models import (
    ChatCompletionRequest,
    FileRef,
    MessageExtra,
    MessageMeta,
    NewChatRequest,
    StopRequest,
    UserMessage,
)
from qwen_api_client.types import Request

from ._body_templates import RequestTemplate
from ._config import ClientConfig
from ._engine import RequestSpec
from ._headers import HeaderFactory, random_uuid
from ._inputs import check_identifier, require_identifier
from ._turn_options import TurnOptions, feature_config


def request_spec(request: Request, base_url: str, headers: dict[str, str], operation: str) -> RequestSpec:
    """Adapt a generated builder's :class:`Request`: our headers win, the spec's fill in the rest.

    The spec's header parameters (``source``, ``X-Accel-Buffering``...) are ones the header set
    already sends, so in practice only the body's ``Content-Type`` is added; the query string was
    encoded once by the builder (cheaper than httpx merging query params on every send).
    """
    return _spec(request.method, request.target, request.headers, request.json, base_url, headers, operation)


def _spec(
    method: str,
    target: str,
    spec_headers: dict[str, str],
    body: Any,
    base_url: str,
    headers: dict[str, str],
    operation: str,
) -> RequestSpec:
    merged = dict(headers)
    present = {name.lower() for name in merged}
    for name, value in spec_headers.items():
        if name.lower() not in present:
            merged[name] = value
            present.add(name.lower())
    return RequestSpec(method=method, url=base_url + target, headers=merged, json=body, operation=operation)


def _templated_spec(
    template: RequestTemplate | None,
    build: Callable[[], Request],
    values: dict[str, Any],
    base_url: str,
    headers: dict[str, str],
    operation: str,
) -> RequestSpec:
    """The request filled from ``template``, or built in full by ``build`` when there is none."""
    if template is None:
        return request_spec(build(), base_url, headers, operation)
    request = template.request
    return _spec(
        request.method, template.target(values), request.headers, template.json(values), base_url, headers, operation
    )


# Marker values for the templates (see _body_templates): each must be unique in the body it marks and
# survive URL encoding unchanged; the numbers are times no real call sends.
_MARK_TIME = -7_301_000_001
_MARK_CHAT_ID = "qwenmarkerchatid"
_MARK_PARENT_ID = "qwenmarkerparentid"
_MARK_TEXT = "qwenmarkertext"
_MARK_FID = "qwenmarkerfid"
_MARK_CHILD_ID = "qwenmarkerchildid"
_STRING_MARKERS = (_MARK_CHAT_ID, _MARK_PARENT_ID, _MARK_TEXT, _MARK_FID, _MARK_CHILD_ID)


def _new_chat_request(model: str, chat_type: str, timestamp: int) -> Request:
    body = NewChatRequest(
        chat_id="",
        models=[model],
        project_id="",
        timestamp=timestamp,
        chat_type=chat_type,
        chat_mode="normal",
    )
    return create_chat.build_request(body=body)


def _holds_a_marker(*texts: str) -> bool:
    """Whether an input that the template keeps as is contains a marker (then it could not be told apart)."""
    return any(marker in text for text in texts for marker in _STRING_MARKERS) or str(_MARK_TIME) in "".join(texts)


@functools.lru_cache(maxsize=64)
def _new_chat_template(model: str, chat_type: str) -> RequestTemplate | None:
    if _holds_a_marker(model, chat_type):
        return None
    return RequestTemplate.prepare(_new_chat_request(model, chat_type, _MARK_TIME), {"timestamp": _MARK_TIME})


def new_chat_spec(config: ClientConfig, headers: HeaderFactory, model: str, chat_type: str = "t2t") -> RequestSpec:
    timestamp = int(time.time() * 1000)
    return _templated_spec(
        _new_chat_template(model, chat_type),
        lambda: _new_chat_request(model, chat_type, timestamp),
        {"timestamp": timestamp},
        config.base_url,
        headers.for_request("/c/new-chat"),
        "chats.new",
    )


def completion_request(
    options: TurnOptions, *, chat_id: str, parent_id: str | None, text: str, fid: str, child_id: str, now: int
) -> Request:
    """One user turn through the generated models and ``build_request`` (what every template is made of)."""
    chat_type = "search" if options.web_search and options.chat_type == "t2t" else options.chat_type
    meta = MessageMeta(sub_chat_type=chat_type)
    if options.size:
        meta.size = options.size
    message = UserMessage(
        role="user",
        content=text,
        id=None,
        fid=fid,
        parentId=parent_id,
        children_ids=[child_id],
        user_action=options.user_action,
        files=[FileRef.from_dict(dict(ref)) for ref in options.files],
        timestamp=now,
        models=[options.model],
        model="",
        chat_type=chat_type,
        feature_config=feature_config(options),
        extra=MessageExtra(meta=meta),
        sub_chat_type=chat_type,
        parent_id=parent_id,
    )
    body = ChatCompletionRequest(
        stream=True,
        version="2.1",
        incremental_output=True,
        chatId=chat_id,
        parentId=parent_id or "",
        chat_id=chat_id,
        chat_mode="normal",
        model=options.model,
        parent_id=parent_id,
        messages=[message],
        timestamp=now,
    )
    if options.size:
        body.size = options.size
    if options.temperature is not None:
        body.additional_properties["temperature"] = options.temperature
    if options.max_tokens is not None:
        body.additional_properties["max_tokens"] = options.max_tokens
    return create_completion.build_request(body=body, chat_id=chat_id)


@functools.lru_cache(maxsize=64)
def _completion_template(options: TurnOptions, continues: bool) -> RequestTemplate | None:
    """The template of a turn with ``options`` (no attachments), continuing a parent answer or not."""
    if _holds_a_marker(repr(options)):
        return None
    markers: dict[str, str | int] = {
        "chat_id": _MARK_CHAT_ID,
        "text": _MARK_TEXT,
        "fid": _MARK_FID,
        "child_id": _MARK_CHILD_ID,
        "now": _MARK_TIME,
    }
    if continues:
        markers["parent_id"] = _MARK_PARENT_ID
    request = completion_request(
        options,
        chat_id=_MARK_CHAT_ID,
        parent_id=_MARK_PARENT_ID if continues else None,
        text=_MARK_TEXT,
        fid=_MARK_FID,
        child_id=_MARK_CHILD_ID,
        now=_MARK_TIME,
    )
    return RequestTemplate.prepare(request, markers)


def completion_spec(
    config: ClientConfig,
    headers: HeaderFactory,
    *,
    chat_id: str,
    parent_id: str | None,
    text: str,
    options: TurnOptions,
) -> RequestSpec:
    values: dict[str, Any] = {
        "chat_id": chat_id,
        "parent_id": parent_id,
        "text": text,
        "fid": random_uuid(),
        "child_id": random_uuid(),
        "now": int(time.time()),
    }
    # attachments differ in every turn (and make the options unhashable): those turns are built in full
    template = None if options.files else _completion_template(options, parent_id is not None)
    return _templated_spec(
        template,
        lambda: completion_request(options, **values),
        values,
        config.base_url,
        headers.for_request(f"/c/{chat_id}", Accept="application/json", **{"X-Accel-Buffering": "no"}),
        "chat.completions",
    )


def list_chats_spec(config: ClientConfig, headers: HeaderFactory, page: int) -> RequestSpec:
    request = list_chats.build_request(page=page, exclude_project=True)
    return request_spec(request, config.base_url, headers.for_request("/"), "chats.list")


def get_chat_spec(config: ClientConfig, headers: HeaderFactory, chat_id: object) -> RequestSpec:
    chat_id = require_identifier("chat_id", chat_id)
    request = get_chat.build_request(chat_id)
    return request_spec(request, config.base_url, headers.for_request(f"/c/{chat_id}"), "chats.get")


def delete_chat_spec(config: ClientConfig, headers: HeaderFactory, chat_id: object) -> RequestSpec:
    chat_id = require_identifier("chat_id", chat_id)
    return request_spec(delete_chat.build_request(chat_id), config.base_url, headers.for_request("/"), "chats.delete")


def stop_spec(config: ClientConfig, headers: HeaderFactory, chat_id: object, response_id: object) -> RequestSpec:
    """The ids are checked here, where every caller passes (a bad one raises before anything is sent)."""
    chat_id = require_identifier("chat_id", chat_id)
    response_id = check_identifier("response_id", response_id)
    body = StopRequest(chat_id=chat_id)
    if response_id:
        body.response_id = response_id
    request = stop_completion.build_request(body=body)
    return request_spec(request, config.base_url, headers.for_request(f"/c/{chat_id}"), "chats.stop")
