"""Every recorded JSON body parses with the generated models and round-trips without losing keys."""

from __future__ import annotations

import json
from typing import Any

import pytest
from qwen_api_client import models

from tests.conftest import FIXTURES, load_fixture

BODY_MODELS: dict[str, type[Any]] = {
    "chats_new_2026-09-14_request.json": models.NewChatRequest,
    "chats_new_2026-09-14_response.json": models.NewChatEnvelope,
    "chats_list_page1_response.json": models.ChatListEnvelope,
    "chats_pinned_empty_response.json": models.ChatListEnvelope,
    "chat_detail_after_turn1.json": models.ChatDetailEnvelope,
    "t2t_fast_answer_turn1_request.json": models.ChatCompletionRequest,
    "t2t_fast_answer_edit_request.json": models.ChatCompletionRequest,
    "t2i_guest_keepalive_turn1_request.json": models.ChatCompletionRequest,
    "models_v2_list_report_excerpt.json": models.ModelListEnvelope,
    "getststoken_audio_request.json": models.StsTokenRequest,
    "getststoken_audio_response.json": models.StsTokenEnvelope,
    "getststoken_video_request.json": models.StsTokenRequest,
    "getststoken_video_response.json": models.StsTokenEnvelope,
    "files_parse_request.json": models.ParseRequest,
    "files_parse_response.json": models.ParseEnvelope,
    "error_ratelimited_daily_2026-09-21.json": models.ErrorEnvelope,
    "error_unauthorized_missing_bearer.json": models.ErrorEnvelope,
    "error_unauthorized_stale_version_header.json": models.ErrorEnvelope,
    "error_waf_rgv587_2026-08-01.json": models.WafBlock,
    "users_status_request.json": models.UserStatusRequest,
    "users_status_response.json": models.Envelope,
    "library_list_empty_response.json": models.LibraryListEnvelope,
}

STREAM_EVENT_MODELS: list[type[Any]] = [
    models.ResponseCreatedEvent,
    models.ResponseInfoEvent,
    models.ResponseStoppedEvent,
    models.StreamErrorEvent,
    models.ChoiceChunk,
]


def _sse_events(name: str) -> list[dict[str, Any]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [json.loads(block[len("data: ") :]) for block in text.split("\n\n") if block.startswith("data: ")]


def _parse_event(event: dict[str, Any]) -> Any:
    for model in STREAM_EVENT_MODELS:
        required = {
            "ResponseCreatedEvent": "response.created",
            "ResponseInfoEvent": "response.info",
            "ResponseStoppedEvent": "response.stopped",
            "StreamErrorEvent": "error",
            "ChoiceChunk": "choices",
        }[model.__name__]
        if required in event:
            return model.from_dict(event)
    raise AssertionError(f"no model for {event}")


def test_every_recorded_json_body_is_mapped() -> None:
    recorded = {p.name for p in FIXTURES.glob("*.json") if not p.name.endswith((".meta.json", ".headers.json"))}
    assert recorded == set(BODY_MODELS)


@pytest.mark.parametrize("name", sorted(BODY_MODELS))
def test_body_round_trips(name: str) -> None:
    body = load_fixture(name)
    parsed = BODY_MODELS[name].from_dict(body)
    assert parsed.to_dict() == body


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.sse")))
def test_stream_events_round_trip(name: str) -> None:
    events = _sse_events(name)
    assert events
    for event in events:
        assert _parse_event(event).to_dict() == event


def test_unknown_keys_survive_round_trip() -> None:
    body = load_fixture("models_v2_list_report_excerpt.json")
    body["data"]["data"][0]["info"]["meta"]["brand_new_field"] = {"nested": [1, 2]}
    body["data"]["data"][0]["surprise"] = True
    assert models.ModelListEnvelope.from_dict(body).to_dict() == body
