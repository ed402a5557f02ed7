"""The server's answers against the recorded exchanges: same keys at every level, same event order.

Values differ (ids, text, token counts) by design; the structure must not. Dicts keyed by message
ids are compared by the shape of their values, lists by the shape of their elements, and streams
by the order of event kinds (consecutive repeats collapsed, since answers differ in length).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from qwen_api.testing import MODELS
from tests.conftest import fixture_text, load_fixture

from .conftest import completion_body, events, kinds, new_chat, raw_events

_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def shape(value: Any) -> Any:
    """Keys all the way down; leaves become a marker, id-keyed maps become ``{"<id:role>": shape}``."""
    if isinstance(value, dict):
        if value and all(_ID.match(key) for key in value):
            return {f"<id:{item.get('role')}>": shape(item) for item in value.values()}
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = [shape(item) for item in value]
        containers = [s for s in shapes if isinstance(s, dict | list)]
        return [containers[0]] if containers else ["leaf"] if shapes else []
    return "leaf"


def fixture_events(name: str) -> list[dict[str, Any]]:
    return events(fixture_text(name).encode("utf-8"))


def shapes_by_kind(parsed: list[dict[str, Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for event in parsed:
        kind = kinds([event])[0]
        if shape(event) not in out.setdefault(kind, []):
            out[kind].append(shape(event))
    return out


def assert_same_structure(ours: list[dict[str, Any]], recorded: list[dict[str, Any]]) -> None:
    assert kinds(ours) == kinds(recorded)
    ours_by_kind, recorded_by_kind = shapes_by_kind(ours), shapes_by_kind(recorded)
    for kind, recorded_shapes in recorded_by_kind.items():
        for recorded_shape in recorded_shapes:
            assert recorded_shape in ours_by_kind[kind], (kind, recorded_shape, ours_by_kind[kind])
        # Key order too, where the capture is raw: json.dumps keeps insertion order.
    for kind, our_shapes in ours_by_kind.items():
        for our_shape in our_shapes:
            assert our_shape in recorded_by_kind[kind], (kind, our_shape)


def test_t2t_stream_matches_recording(client: httpx.Client) -> None:
    recorded = fixture_events("t2t_fast_answer_turn1.sse")
    request = load_fixture("t2t_fast_answer_turn1_request.json")
    chat_id = new_chat(client)
    request.update(chat_id=chat_id, chatId=chat_id)
    response = client.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=request)
    ours = events(response.content)
    assert_same_structure(ours, recorded)
    # Key order of every event kind, as captured byte for byte.
    for our_event, their_event in ((ours[0], recorded[0]), (ours[1], recorded[1]), (ours[-1], recorded[-1])):
        assert json.dumps(shape(our_event)) == json.dumps(shape(their_event))
    # Framing: the recorded created line and ours differ only in the id values.
    ids = re.compile(rb'"[0-9a-f-]{36}"')
    assert ids.sub(b'"ID"', raw_events(response.content)[0]) == ids.sub(
        b'"ID"', raw_events(fixture_text("t2t_fast_answer_turn1.sse").encode())[0]
    )


def test_thinking_stream_matches_recording(client: httpx.Client) -> None:
    recorded = fixture_events("thinking_summary_stream_2026-10.sse")
    chat_id = new_chat(client)
    body = completion_body("天空是什么颜色？用一个汉字回答", chat_id=chat_id, thinking=True)  # noqa: RUF001
    ours = events(client.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=body).content)
    assert_same_structure(ours, recorded)


def test_t2i_stream_matches_recording(client: httpx.Client) -> None:
    recorded = fixture_events("t2i_guest_keepalive_turn1.sse")
    request = load_fixture("t2i_guest_keepalive_turn1_request.json")
    chat_id = new_chat(client, chat_type="t2i")
    request.update(chat_id=chat_id)
    headers = {"x-qwen-mock-image-count": "2"}
    ours = events(
        client.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=request, headers=headers).content
    )
    assert_same_structure(ours, recorded)
    for our_event, their_event in zip(ours, recorded, strict=False):
        if kinds([our_event]) == kinds([their_event]):
            assert json.dumps(shape(our_event)) == json.dumps(shape(their_event))


def test_in_stream_errors_match_recordings(client: httpx.Client) -> None:
    chat_id = new_chat(client)
    body = completion_body("x", chat_id=chat_id)
    string_error = client.post(
        "/api/v2/chat/completions",
        params={"chat_id": chat_id},
        json=body,
        headers={"x-qwen-mock-fault": "stream_error_string"},
    )
    assert string_error.content == fixture_text("error_in_stream_internal_error_string.sse").encode()
    inspection = client.post(
        "/api/v2/chat/completions",
        params={"chat_id": chat_id},
        json=body,
        headers={"x-qwen-mock-fault": "stream_error"},
    )
    error_event = events(inspection.content)[-1]
    # The recorded event (rogator tests, 2026-08-22; kept only in the shared capture set, so its
    # structure is written out here, values replaced by markers).
    recorded = {
        "error": {"modality": ["leaf"], "code": "leaf", "stage": "leaf", "details": "leaf"},
        "response_id": "leaf",
        "response_index": "leaf",
    }
    assert json.dumps(shape(error_event)) == json.dumps(shape(recorded))


def test_chat_detail_matches_recording(client: httpx.Client) -> None:
    request = load_fixture("t2t_fast_answer_turn1_request.json")
    chat_id = new_chat(client)
    request.update(chat_id=chat_id, chatId=chat_id)
    client.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=request)
    ours = client.get(f"/api/v2/chats/{chat_id}").json()
    assert shape(ours) == shape(load_fixture("chat_detail_after_turn1.json"))


def test_json_answers_match_recordings(client: httpx.Client) -> None:
    chat_id = new_chat(client)
    assert shape(
        client.post("/api/v2/chats/new", json=load_fixture("chats_new_2026-09-14_request.json")).json()
    ) == shape(load_fixture("chats_new_2026-09-14_response.json"))
    listing = client.get("/api/v2/chats/", params={"page": 1, "exclude_project": "true"}).json()
    assert chat_id in [item["id"] for item in listing["data"]]
    assert shape(listing) == shape(load_fixture("chats_list_page1_response.json"))
    assert shape(client.get("/api/v2/chats/pinned").json()) == shape(load_fixture("chats_pinned_empty_response.json"))
    grant = client.post("/api/v2/files/getstsToken", json=load_fixture("getststoken_video_request.json")).json()
    recorded_grant = load_fixture("getststoken_video_response.json")
    assert set(grant["data"]) - {"expiration"} == set(recorded_grant["data"])
    parse = client.post("/api/v2/files/parse", json=load_fixture("files_parse_request.json")).json()
    assert shape(parse) == shape(load_fixture("files_parse_response.json"))
    assert shape(client.post("/api/v2/users/status", json=load_fixture("users_status_request.json")).json()) == shape(
        load_fixture("users_status_response.json")
    )


def test_models_cover_the_recorded_model_entry(client: httpx.Client) -> None:
    recorded = load_fixture("models_v2_list_report_excerpt.json")
    ours = client.get("/api/v2/models/").json()

    def keys_within(small: Any, big: Any) -> None:
        if isinstance(small, dict):
            assert isinstance(big, dict)
            for key, value in small.items():
                assert key in big, key
                keys_within(value, big[key])

    keys_within(recorded, ours)
    for entry in ours["data"]["data"]:
        keys_within(recorded["data"]["data"][0], entry)
    assert [m["id"] for m in ours["data"]["data"]] == [m["id"] for m in MODELS]
    assert {"qwen3.7-plus", "qwen3.7-max", "qwen3.6-plus", "qwen3.5-flash"} <= {m["id"] for m in MODELS}
    assert any(not m["info"]["meta"]["capabilities"]["thinking"] for m in MODELS)
    assert httpx.get(client.base_url.join("/api/models")).json() == {"data": ours["data"]["data"]}
