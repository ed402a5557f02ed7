"""Chats and turns: create/list/read/delete/stop, and the completion that streams one turn.

The server assigns the user message id (``response.created.parent_id``) and the answer id
(``response_id``); a turn's requested ``parent_id`` is linked into the tree when it names a message
of the chat and is always recorded (``Turn.parent_ok``), so tests can check that a client chains
turns correctly without the server refusing a slightly wrong request.

Turn rules: ``chat_type`` is read from the message (then the body, then the chat). Search runs for
chat types ``search`` and ``auto_search`` only: the browser sends ``feature_config.auto_search: true``
on plain t2t turns too (t2t_fast_answer_turn1_request.json), so that flag alone never searches.
Thinking runs when ``feature_config.thinking_enabled`` is true and the model has thinking. ``t2i``
streams images; ``t2v``/``i2v`` answer the JSON video-task envelope.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any
from urllib.parse import quote

import attrs
from starlette.responses import Response

from .auth import AuthVerdict, check_access, request_token
from .context import BadRequest, Ctx, json_response
from .models_catalog import find_model, supports_thinking
from .player import EventStream
from .script import reasoning_paragraphs, take_queued
from .state import MESSAGE_OVERHEAD, Chat, ServerState, Turn
from .streams import TurnPlan, answer_text, data_frame, history_content_list, legacy_frames, turn_frames

__all__ = [
    "create_chat",
    "create_completion",
    "delete_chat",
    "get_chat",
    "get_task_status",
    "get_task_status_v1",
    "legacy_completion",
    "list_chats",
    "list_pinned",
    "stop_completion",
]

_VIDEO_TYPES = ("t2v", "i2v")
_SEARCH_TYPES = ("search", "auto_search")


def _now() -> int:
    return int(time.time())


def _chat_summary(chat: Chat) -> dict[str, Any]:
    return {
        "id": chat.id,
        "title": chat.title,
        "updated_at": chat.updated_at,
        "created_at": chat.created_at,
        "chat_type": chat.chat_type,
        "project_id": None,
        "pinned": chat.pinned,
        "content": None,
        "highlight_indexes": None,
        "message_id": None,
    }


def _string_list(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


async def create_chat(ctx: Ctx) -> Response:
    """``POST /api/v2/chats/new``: a new chat and its id."""
    body = ctx.body_dict()
    chat_type = body.get("chat_type")
    now = _now()
    chat = Chat(
        id=str(uuid.uuid4()),
        title=body["title"] if isinstance(body.get("title"), str) and body["title"] else "New chat",
        chat_type=chat_type if isinstance(chat_type, str) and chat_type else "t2t",
        models=_string_list(body.get("models")),
        created_at=now,
        updated_at=now,
    )
    ctx.state.add_chat(chat)
    return ctx.envelope({"id": chat.id})


async def list_chats(ctx: Ctx) -> Response:
    """``GET /api/v2/chats/``: one page of chats, newest first."""
    raw_page = ctx.request.query_params.get("page", "1")
    try:
        page = max(1, int(raw_page))
    except ValueError:
        page = 1
    size = ctx.config.page_size
    # Newest first; sorted() is stable, so among equal timestamps the later-created chat stays first.
    ordered = sorted(reversed(list(ctx.state.chats.values())), key=lambda chat: chat.updated_at, reverse=True)
    return ctx.envelope([_chat_summary(chat) for chat in ordered[(page - 1) * size : page * size]])


async def list_pinned(ctx: Ctx) -> Response:
    """``GET /api/v2/chats/pinned``: the pinned chats."""
    return ctx.envelope([_chat_summary(chat) for chat in ctx.state.chats.values() if chat.pinned])


def _chat_or_none(ctx: Ctx, chat_id: Any) -> Chat | None:
    return ctx.state.chats.get(chat_id) if isinstance(chat_id, str) else None


async def get_chat(ctx: Ctx) -> Response:
    """``GET /api/v2/chats/{chat_id}``: a chat with its message history."""
    chat = _chat_or_none(ctx, ctx.request.path_params["chat_id"])
    if chat is None:
        return ctx.not_found()
    chain = chat.parent_chain
    current = [chat.current_id] if chat.current_id else []
    history = {
        "messages": chat.messages,
        "currentId": chat.current_id,
        "currentResponseIds": current,
        "pagination": {
            "enabled": True,
            "oldest_id": chain[0] if chain else None,
            "newest_id": chain[-1] if chain else None,
            "has_more_older": False,
            "has_more_newer": False,
            "path_count": len(chain),
        },
    }
    data = {
        "id": chat.id,
        "user_id": ctx.config.user_id,
        "title": chat.title,
        "chat": {"history": history, "models": chat.models, "messages": [chat.messages[i] for i in chain]},
        "updated_at": chat.updated_at,
        "created_at": chat.created_at,
        "share_id": None,
        "archived": False,
        "pinned": chat.pinned,
        "meta": {"timestamp": chat.created_at * 1000},
        "folder_id": None,
        "currentResponseIds": current,
        "currentId": chat.current_id,
        "chat_type": chat.chat_type,
        "models": None,
        "project_id": None,
        "data_source": None,
    }
    return ctx.envelope(data)


async def delete_chat(ctx: Ctx) -> Response:
    """``DELETE /api/v2/chats/{chat_id}``: forget a chat."""
    chat_id = ctx.request.path_params["chat_id"]
    if ctx.state.forget_chat(chat_id) is None:
        return ctx.not_found()
    ctx.state.deleted_chats.add(chat_id)
    return ctx.envelope({"status": True})


async def stop_completion(ctx: Ctx) -> Response:
    """``POST /api/v2/chat/completions/stop``: stop an answer being generated."""
    body = ctx.body_dict()
    chat = _chat_or_none(ctx, body.get("chat_id"))
    if chat is None:
        return ctx.not_found()
    response_id = body.get("response_id")
    if isinstance(response_id, str) and response_id:
        ctx.state.stopped_responses.add(response_id)
    return ctx.envelope({})


def _prompt_of(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        # Legacy content items: [{"type": "text", "text": ...}, {"type": "image", ...}]
        return "".join(
            str(item.get("text", "")) for item in content if isinstance(item, dict) and item.get("type") == "text"
        )
    return ""


def _answer_settings(ctx: Ctx) -> tuple[int | None, int, float]:
    # Checked (and bounded) before the handler runs: see controls.py.
    length, chunk, delay = ctx.controls.answer_length, ctx.controls.chunk_size, ctx.controls.delay
    return (
        ctx.config.answer_length if length is None else length,
        ctx.config.chunk_size if chunk is None else chunk,
        ctx.config.delay if delay is None else delay,
    )


def _user_message(
    message: dict[str, Any],
    *,
    message_id: str,
    parent: str | None,
    response_id: str,
    prompt: str,
    chat_type: str,
    model: str,
) -> dict[str, Any]:
    feature_config = message.get("feature_config") if isinstance(message.get("feature_config"), dict) else {}
    extra = message.get("extra") if isinstance(message.get("extra"), dict) else {"meta": {"subChatType": chat_type}}
    files = message.get("files") if isinstance(message.get("files"), list) else []
    return {
        "id": message_id,
        "role": "user",
        "content": prompt,
        "models": [model],
        "chat_type": chat_type,
        "sub_chat_type": message.get("sub_chat_type") if isinstance(message.get("sub_chat_type"), str) else chat_type,
        "edited": message.get("user_action") == "edit",
        "error": None,
        "extra": extra,
        "feature_config": {"instructions": None, **(feature_config or {})},
        "parentId": parent,
        "turn_id": None,
        "childrenIds": [response_id],
        "files": files,
        "timestamp": _now(),
    }


def _assistant_message(user: dict[str, Any], *, response_id: str, model: str) -> dict[str, Any]:
    found = find_model(model)
    return {
        "role": "assistant",
        "content": "",
        "reasoning_content": None,
        "chat_type": user["chat_type"],
        "sub_chat_type": user["sub_chat_type"],
        "model": model,
        "modelName": found["name"] if found else model,
        "modelIdx": 0,
        "id": response_id,
        "parentId": user["id"],
        "childrenIds": [],
        "feature_config": user["feature_config"],
        "content_list": [],
        "is_stop": False,
        "edited": False,
        "error": None,
        "meta": {},
        "extra": {"meta": {"subChatType": user["chat_type"]}},
        "feedbackId": None,
        "turn_id": None,
        "annotation": None,
        "done": False,
        "info": None,
        "timestamp": user["timestamp"],
    }


@attrs.frozen
class _TurnRequest:
    """What one completion request asks for, read leniently from the body (the service's open schema)."""

    message: dict[str, Any]
    prompt: str
    chat_type: str
    model: str
    thinking: bool
    requested_parent: str | None
    user_action: str

    @classmethod
    def read(cls, body: dict[str, Any], chat: Chat) -> _TurnRequest:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
            raise BadRequest(
                "RequestValidationError: Field 'messages' must hold the new user message", code="RequestValidationError"
            )
        message: dict[str, Any] = messages[-1]
        candidates = (message.get("chat_type"), body.get("chat_type"), chat.chat_type)
        chat_type = next((value for value in candidates if isinstance(value, str) and value), "t2t")
        models = (body.get("model"), *_string_list(message.get("models")), *chat.models)
        model = next((m for m in models if isinstance(m, str) and m), "qwen3.7-plus")
        feature_config = message.get("feature_config")
        wants_thinking = isinstance(feature_config, dict) and feature_config.get("thinking_enabled") is True
        parent = body.get("parent_id", message.get("parent_id"))
        action = message.get("user_action")
        return cls(
            message=message,
            prompt=_prompt_of(message),
            chat_type=chat_type,
            model=model,
            thinking=wants_thinking and supports_thinking(model) and chat_type not in ("t2i", *_VIDEO_TYPES),
            requested_parent=parent if isinstance(parent, str) and parent else None,
            user_action=action if isinstance(action, str) else "chat",
        )


def _start_turn(
    state: ServerState, chat: Chat, turn: _TurnRequest, *, answer: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Add the user message and the (not yet done) answer to the tree and record the turn."""
    expected_parent = chat.current_id
    requested = turn.requested_parent
    # A known parent is linked as sent (edits branch); an unknown one is recorded and the latest answer used.
    parent = requested if requested in chat.messages else (expected_parent if requested else None)
    user_id, response_id = str(uuid.uuid4()), str(uuid.uuid4())
    user = _user_message(
        turn.message,
        message_id=user_id,
        parent=parent,
        response_id=response_id,
        prompt=turn.prompt,
        chat_type=turn.chat_type,
        model=turn.model,
    )
    assistant = _assistant_message(user, response_id=response_id, model=turn.model)
    if parent is not None:
        chat.messages[parent]["childrenIds"].append(user_id)
    chat.messages[user_id] = user
    chat.messages[response_id] = assistant
    chat.current_id = response_id
    if chat.title == "New chat" and turn.prompt.strip():
        chat.title = turn.prompt.strip().splitlines()[0][:40]
    chat.updated_at = _now()
    state.chat_grew(chat, len(turn.prompt) + len(answer) + 2 * MESSAGE_OVERHEAD)
    chat.turns.append(
        Turn(
            requested_parent_id=requested,
            expected_parent_id=expected_parent,
            user_message_id=user_id,
            response_id=response_id,
            prompt=turn.prompt,
            answer=answer,
            user_action=turn.user_action,
        )
    )
    return user, assistant


async def create_completion(ctx: Ctx) -> Response:
    """``POST /api/v2/chat/completions``: the answer to one turn, as an event stream."""
    body = ctx.body_dict()
    chat_id = ctx.request.query_params.get("chat_id") or body.get("chat_id")
    if not isinstance(chat_id, str) or not chat_id:
        raise BadRequest("RequestValidationError: Field 'chat_id' is required", code="RequestValidationError")
    chat = _chat_or_none(ctx, chat_id)
    if chat is None:
        return ctx.not_found()
    turn = _TurnRequest.read(body, chat)
    answer_length, chunk_size, delay = _answer_settings(ctx)
    size = body.get("size") if isinstance(body.get("size"), str) else None
    if turn.chat_type in _VIDEO_TYPES:
        return _video_task(ctx, chat, turn, size=size or "16:9")

    image = turn.chat_type == "t2i"
    search = turn.chat_type in _SEARCH_TYPES
    answer = "" if image else answer_text(turn.prompt, answer_length=answer_length, search=search)
    scripted = None
    if not image:  # the header's script (checked before the handler ran), else the server's queue
        scripted = ctx.controls.script if ctx.controls.script is not None else take_queued(ctx.state, turn.prompt)
    if scripted is not None:
        answer = scripted.text
    user, assistant = _start_turn(ctx.state, chat, turn, answer=answer)
    plan = TurnPlan(
        chat_id=chat.id,
        user_message_id=user["id"],
        response_id=assistant["id"],
        prompt=turn.prompt,
        answer=answer,
        chunk_size=chunk_size,
        thinking=turn.thinking or (scripted is not None and scripted.reasoning is not None),
        paragraphs=reasoning_paragraphs(scripted.reasoning) if scripted and scripted.reasoning is not None else None,
        search=search,
        image=image,
        size=size,
        image_count=ctx.controls.image_count or ctx.config.image_count,
        keepalive_events=ctx.config.keepalive_events,
        image_base_url=ctx.runtime.base_url(ctx.request),
        function_id="call_" + secrets.token_hex(12),
    )

    def finish(stopped: bool) -> None:
        assistant["content_list"] = history_content_list(plan, stopped=stopped)
        assistant["is_stop"] = stopped
        assistant["done"] = True
        assistant["extra"]["endTime"] = time.time()
        chat.updated_at = _now()

    return EventStream(
        ctx.runtime,
        turn_frames(plan),
        request_id=ctx.request_id,
        delay=delay,
        fault=ctx.stream_fault,
        response_id=assistant["id"],
        on_done=finish,
    )


def _video_task(ctx: Ctx, chat: Chat, turn: _TurnRequest, *, size: str) -> Response:
    """t2v/i2v answer JSON with a task id; the task status endpoints then report it done."""
    task_id = str(uuid.uuid4())
    ctx.state.tasks[task_id] = turn.chat_type
    user, assistant = _start_turn(ctx.state, chat, turn, answer="")
    assistant["extra"]["wanx"] = {"task_id": task_id}
    data = {
        "chat_id": chat.id,
        "parent_id": user["id"],
        "message_id": assistant["id"],
        "messages": [
            {"role": "assistant", "content": "", "extra": {"wanx": {"task_id": task_id}}, "done": False, "size": size}
        ],
    }
    return ctx.envelope(data)


async def legacy_completion(ctx: Ctx) -> Response:
    """The retired v1 endpoint still answers in its own shape, so old clients fail visibly but politely.

    The spec documents only a ``text/event-stream`` answer here, so an auth failure is one in-band
    ``error`` event (with ``x-actual-status-code: 401``) instead of the JSON body v2 endpoints send.
    """
    verdict, _claims = check_access(
        request_token(ctx.request.headers, ctx.request.cookies), config=ctx.config, issuer=ctx.runtime.issuer
    )
    if verdict is not AuthVerdict.OK:
        code = "Token expired" if verdict is AuthVerdict.EXPIRED else "Unauthorized"
        error = data_frame({"error": {"code": code, "details": "401 Unauthorized"}})
        return EventStream(ctx.runtime, iter([error]), request_id=ctx.request_id, delay=0, fault=None, actual=401)
    body = ctx.body if isinstance(ctx.body, dict) else {}
    messages = body.get("messages")
    last = messages[-1] if isinstance(messages, list) and messages and isinstance(messages[-1], dict) else {}
    answer_length, chunk_size, delay = _answer_settings(ctx)
    answer = answer_text(_prompt_of(last), answer_length=answer_length)
    frames = legacy_frames(answer, chunk_size)
    return EventStream(ctx.runtime, frames, request_id=ctx.request_id, delay=delay, fault=ctx.stream_fault)


async def get_task_status(ctx: Ctx) -> Response:
    """``GET /api/v2/task/status/{task_id}``: the state of a background task."""
    return ctx.envelope(_task_status(ctx))


async def get_task_status_v1(ctx: Ctx) -> Response:
    """``GET /api/v1/tasks/status/{task_id}``: the older path of the task status."""
    return json_response(_task_status(ctx), request_id=ctx.request_id)


def _task_status(ctx: Ctx) -> dict[str, Any]:
    task_id = ctx.request.path_params["task_id"]
    chat_type = ctx.state.tasks.get(task_id, "t2v")
    return {
        "chat_type": chat_type,
        "task_status": "success",
        "message": "",
        "content": f"{ctx.runtime.base_url(ctx.request)}/output/{chat_type}/{quote(task_id, safe='')}.mp4",
        "remaining_time": 0,
        "sub_chat_type": chat_type,
        "duration": None,
    }
