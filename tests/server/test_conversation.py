"""Server-side conversations: chat ids, the parent_id chain, the message tree, list/delete/stop."""

from __future__ import annotations

import httpx

from qwen_api.testing import RunningServer, ServerConfig

from .conftest import AUTH, TIMEOUT, events, new_chat, post_turn


def _created(response: httpx.Response) -> dict[str, str]:
    created: dict[str, str] = events(response.content)[0]["response.created"]
    return created


def test_chats_new_answers_the_envelope_and_echoes_the_request_id(
    client: httpx.Client, qwen_server: RunningServer
) -> None:
    response = client.post(
        "/api/v2/chats/new", json={"models": ["qwen3.7-plus"], "chat_type": "t2t"}, headers={"X-Request-Id": "abc"}
    )
    body = response.json()
    assert body == {"success": True, "request_id": "abc", "data": {"id": body["data"]["id"]}}
    assert response.headers["x-actual-status-code"] == "200" and response.headers["x-request-id"] == "abc"
    assert body["data"]["id"] in qwen_server.state.chats
    recorded = qwen_server.state.requests[-1]
    assert (recorded.method, recorded.path, recorded.json["chat_type"]) == ("POST", "/api/v2/chats/new", "t2t")
    assert recorded.headers["authorization"] == AUTH["Authorization"]


def test_turns_chain_through_parent_id(client: httpx.Client, qwen_server: RunningServer) -> None:
    chat_id = new_chat(client)
    first = _created(post_turn(client, chat_id, "one"))
    second = _created(post_turn(client, chat_id, "two", parent_id=first["response_id"]))

    chat = qwen_server.state.chats[chat_id]
    assert [turn.parent_ok for turn in chat.turns] == [True, True]
    assert chat.turns[1].requested_parent_id == first["response_id"]
    messages = chat.messages
    # response.created.parent_id is the id the server gave the user message.
    assert messages[second["parent_id"]]["role"] == "user"
    assert messages[second["parent_id"]]["parentId"] == first["response_id"]
    assert messages[second["response_id"]]["parentId"] == second["parent_id"]
    assert chat.parent_chain == [first["parent_id"], first["response_id"], second["parent_id"], second["response_id"]]

    detail = client.get(f"/api/v2/chats/{chat_id}").json()["data"]
    assert detail["currentId"] == second["response_id"]
    assert [m["id"] for m in detail["chat"]["messages"]] == chat.parent_chain
    answer = detail["chat"]["history"]["messages"][second["response_id"]]["content_list"][0]
    assert answer["content"] == "You said: two" and answer["status"] == "finished"
    assert detail["title"] == "one"


def test_a_wrong_parent_is_accepted_but_recorded(client: httpx.Client, qwen_server: RunningServer) -> None:
    chat_id = new_chat(client)
    first = _created(post_turn(client, chat_id, "one"))
    response = post_turn(client, chat_id, "two", parent_id="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 200
    turn = qwen_server.state.chats[chat_id].turns[-1]
    assert turn.parent_ok is False
    assert (turn.requested_parent_id, turn.expected_parent_id) == (
        "00000000-0000-0000-0000-000000000000",
        first["response_id"],
    )


def test_an_edit_branches_from_an_earlier_answer(client: httpx.Client, qwen_server: RunningServer) -> None:
    chat_id = new_chat(client)
    first = _created(post_turn(client, chat_id, "one"))
    post_turn(client, chat_id, "two", parent_id=first["response_id"])
    edited = _created(post_turn(client, chat_id, "two, edited", parent_id=first["response_id"], user_action="edit"))
    chat = qwen_server.state.chats[chat_id]
    assert len(chat.messages[first["response_id"]]["childrenIds"]) == 2
    assert chat.messages[edited["parent_id"]]["edited"] is True
    assert chat.current_id == edited["response_id"]
    assert chat.turns[-1].user_action == "edit"


def test_unknown_and_deleted_chats_answer_not_found(client: httpx.Client) -> None:
    not_found = post_turn(client, "no-such-chat", "hi")
    assert not_found.status_code == 200 and not_found.headers["x-actual-status-code"] == "404"
    body = not_found.json()
    assert body == {
        "success": False,
        "request_id": body["request_id"],
        "code": "CHAT_NOT_FOUND",
        "details": "Chat not found",
    }

    chat_id = new_chat(client)
    deleted = client.delete(f"/api/v2/chats/{chat_id}")
    assert deleted.json()["data"] == {"status": True}
    for response in (
        client.get(f"/api/v2/chats/{chat_id}"),
        client.delete(f"/api/v2/chats/{chat_id}"),
        post_turn(client, chat_id, "hi"),
        client.post("/api/v2/chat/completions/stop", json={"chat_id": chat_id}),
    ):
        assert response.headers["x-actual-status-code"] == "404"
        assert response.json()["code"] == "CHAT_NOT_FOUND"


def test_completion_without_chat_id_is_a_validation_error(client: httpx.Client) -> None:
    response = client.post("/api/v2/chat/completions", json={"stream": True, "messages": []})
    assert response.headers["x-actual-status-code"] == "400"
    assert response.json()["code"] == "RequestValidationError"


def test_chat_list_pages_newest_first(qwen_server_factory: object) -> None:
    server = qwen_server_factory(ServerConfig(page_size=2))  # type: ignore[operator]
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as http:
        ids = [new_chat(http) for _ in range(5)]
        pages = [
            [item["id"] for item in http.get("/api/v2/chats/", params={"page": page}).json()["data"]]
            for page in (1, 2, 3, 4)
        ]
    assert pages == [ids[::-1][0:2], ids[::-1][2:4], ids[::-1][4:], []]


def test_stop_acknowledges_with_an_envelope(client: httpx.Client, qwen_server: RunningServer) -> None:
    chat_id = new_chat(client)
    response = client.post("/api/v2/chat/completions/stop", json={"chat_id": chat_id, "response_id": "r-1"})
    assert response.json()["success"] is True
    assert "r-1" in qwen_server.state.stopped_responses


def test_recorded_requests_keep_only_the_newest(client: httpx.Client, qwen_server: RunningServer) -> None:
    """A long-running server stays bounded: past ``record_limit`` the oldest records are dropped."""
    state = qwen_server.state
    limit, state.record_limit = state.record_limit, 3
    try:
        for n in range(5):
            client.get("/api/v2/models/", headers={"X-Request-Id": f"bounded-{n}"})
        assert len(state.requests) == 3
        assert [r.headers["x-request-id"] for r in state.requests] == ["bounded-2", "bounded-3", "bounded-4"]
    finally:
        state.record_limit = limit
