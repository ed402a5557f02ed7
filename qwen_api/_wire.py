"""Build the service's requests from the generated models and request builders.

Everything here is pure: it turns a validated turn into :class:`RequestSpec` objects whose method,
path, query and JSON come from the public ``build_request`` of each generated operation module in
``qwen_api_client.api`` (so a spec change shows up here through ``make generate``), and whose
headers imitate the web client as recorded in 2026-09.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
from qwen_api_client.api.chats import create_chat, delete_chat, get_chat, list_chats, stop_completion
from qwen_api_client.api.completions import create_completion
from qwen_api_client.models import (
    ChatCompletionRequest,
    FeatureConfig,
    FileRef,
    MessageExtra,
    MessageMeta,
    NewChatRequest,
    StopRequest,
    UserMessage,
)
from qwen_api_client.types import Request

from ._config import ClientConfig
from ._core import RequestSpec
from ._inputs import check_identifier

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36"
)

THINKING_MODES = {"auto": "Auto", "thinking": "Thinking", "fast": "Fast"}


_timezone_cache: tuple[int, str] = (0, "")


def _timezone_header() -> str:
    """``Date.toString()`` style, e.g. ``Sat Sep 26 2026 00:12:26 GMT+0700`` (as the browser sends).

    It has one-second resolution, so it is formatted at most once a second (measured: ~36 µs a call).
    """
    global _timezone_cache
    second = int(time.time())
    if _timezone_cache[0] != second:
        now = datetime.fromtimestamp(second, UTC).astimezone()
        _timezone_cache = (second, now.strftime("%a %b %d %Y %H:%M:%S GMT%z"))
    return _timezone_cache[1]


class HeaderFactory:
    """The browser-like header set, computed once per client, plus per-request ids.

    Credentials (``Authorization``, ``Cookie``) are not part of it: the I/O shell adds the
    current token at send time, so a request retried after a token refresh carries the new one.
    """

    def __init__(self, config: ClientConfig) -> None:
        base = config.base_url
        headers = {
            "Accept": "application/json, text/plain, */*",
            "Accept-Language": "en-US,en;q=0.9",
            "Accept-Encoding": "identity",  # the service never compresses; a compressed body is a risk
            "User-Agent": BROWSER_USER_AGENT,
            "Origin": base,
            "source": "web",
            "Version": config.frontend_version,
            "bx-v": "2.5.37",
            "sec-ch-ua": '"Chromium";v="146", "Not-A.Brand";v="24", "Google Chrome";v="146"',
            "sec-ch-ua-mobile": "?0",
            "sec-ch-ua-platform": '"Linux"',
            "Sec-Fetch-Dest": "empty",
            "Sec-Fetch-Mode": "cors",
            "Sec-Fetch-Site": "same-origin",
        }
        if config.bx_ua:
            headers["bx-ua"] = config.bx_ua
        if config.bx_umidtoken:
            headers["bx-umidtoken"] = config.bx_umidtoken
        for name, value in config.default_headers.items():
            if name.lower() == "accept-encoding":  # the user asked otherwise
                del headers["Accept-Encoding"]
            headers[name] = value
        self._base = headers
        self._origin = base

    def for_request(self, referer_path: str = "/", **extra: str) -> dict[str, str]:
        headers = dict(self._base)
        headers["X-Request-Id"] = str(uuid.uuid4())
        headers["Timezone"] = _timezone_header()
        headers["Referer"] = self._origin + referer_path
        headers.update(extra)
        return headers


def request_spec(request: Request, base_url: str, headers: dict[str, str], operation: str) -> RequestSpec:
    """Adapt a generated builder's :class:`Request`: our headers win, the spec's fill in the rest.

    The spec's header parameters (``source``, ``X-Accel-Buffering``...) are ones the header set
    already sends, so in practice only the body's ``Content-Type`` is added; the query string was
    encoded once by the builder (cheaper than httpx merging query params on every send).
    """
    merged = dict(headers)
    present = {name.lower() for name in merged}
    for name, value in request.headers.items():
        if name.lower() not in present:
            merged[name] = value
            present.add(name.lower())
    return RequestSpec(
        method=request.method,
        url=base_url + request.target,
        headers=merged,
        json=request.json,
        operation=operation,
    )


@attrs.frozen
class TurnOptions:
    """Everything about one turn except the text: model, mode switches, attachments."""

    model: str
    chat_type: str = "t2t"
    thinking: bool | None = None
    thinking_mode: str | None = None
    web_search: bool = False
    files: tuple[Mapping[str, Any], ...] = ()
    size: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    user_action: str = "chat"


def feature_config(options: TurnOptions) -> FeatureConfig:
    """The recorded gears (AIChatfire 2026-09): Auto, Thinking, Fast."""
    mode = options.thinking_mode
    if mode is None:
        mode = "thinking" if options.thinking else "fast"
    gear = THINKING_MODES[mode]
    config = FeatureConfig(
        thinking_enabled=gear != "Fast",
        output_schema="phase",
        research_mode="normal",
        auto_thinking=gear == "Auto",
        thinking_mode=gear,
        auto_search=options.web_search,
    )
    if gear != "Fast":
        config.thinking_format = "summary"
    return config


def new_chat_spec(config: ClientConfig, headers: HeaderFactory, model: str, chat_type: str = "t2t") -> RequestSpec:
    body = NewChatRequest(
        chat_id="",
        models=[model],
        project_id="",
        timestamp=int(time.time() * 1000),
        chat_type=chat_type,
        chat_mode="normal",
    )
    request = create_chat.build_request(body=body)
    return request_spec(request, config.base_url, headers.for_request("/c/new-chat"), "chats.new")


def completion_spec(
    config: ClientConfig,
    headers: HeaderFactory,
    *,
    chat_id: str,
    parent_id: str | None,
    text: str,
    options: TurnOptions,
) -> RequestSpec:
    now = int(time.time())
    chat_type = "search" if options.web_search and options.chat_type == "t2t" else options.chat_type
    meta = MessageMeta(sub_chat_type=chat_type)
    if options.size:
        meta.size = options.size
    message = UserMessage(
        role="user",
        content=text,
        id=None,
        fid=str(uuid.uuid4()),
        parentId=parent_id,
        children_ids=[str(uuid.uuid4())],
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
    request = create_completion.build_request(body=body, chat_id=chat_id)
    request_headers = headers.for_request(f"/c/{chat_id}", Accept="application/json", **{"X-Accel-Buffering": "no"})
    return request_spec(request, config.base_url, request_headers, "chat.completions")


def list_chats_spec(config: ClientConfig, headers: HeaderFactory, page: int) -> RequestSpec:
    request = list_chats.build_request(page=page, exclude_project=True)
    return request_spec(request, config.base_url, headers.for_request("/"), "chats.list")


def get_chat_spec(config: ClientConfig, headers: HeaderFactory, chat_id: str) -> RequestSpec:
    check_identifier("chat_id", chat_id)
    request = get_chat.build_request(chat_id)
    return request_spec(request, config.base_url, headers.for_request(f"/c/{chat_id}"), "chats.get")


def delete_chat_spec(config: ClientConfig, headers: HeaderFactory, chat_id: str) -> RequestSpec:
    check_identifier("chat_id", chat_id)
    return request_spec(delete_chat.build_request(chat_id), config.base_url, headers.for_request("/"), "chats.delete")


def stop_spec(config: ClientConfig, headers: HeaderFactory, chat_id: str, response_id: str | None) -> RequestSpec:
    check_identifier("chat_id", chat_id)
    check_identifier("response_id", response_id)
    body = StopRequest(chat_id=chat_id)
    if response_id:
        body.response_id = response_id
    request = stop_completion.build_request(body=body)
    return request_spec(request, config.base_url, headers.for_request(f"/c/{chat_id}"), "chats.stop")
