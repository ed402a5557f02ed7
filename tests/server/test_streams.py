"""The completion stream over a real socket: framing, phases, deterministic text, pacing and stop."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time

import httpx
import pytest

from qwen_api.testing import (
    RunningServer,
    ServerConfig,
    expected_answer,
    expected_reasoning,
    serve,
    thinking_paragraphs,
)
from qwen_api.testing.streams import reasoning_sequence

from .conftest import AUTH, TIMEOUT, answer_of, completion_body, events, kinds, new_chat, post_turn, raw_events


def test_t2t_stream_framing_headers_and_text(client: httpx.Client) -> None:
    chat_id = new_chat(client)
    response = post_turn(client, chat_id, "xin chào 1\n", headers={"X-Request-Id": "req-123"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["x-actual-status-code"] == "200"
    assert response.headers["x-request-id"] == "req-123"
    body = response.content
    assert b"[DONE]" not in body
    first = raw_events(body)[0]
    # The hand-built response.created line, spaced exactly like the capture, with its trailing space.
    assert first.startswith(b'{"response.created":{"chat_id": "')
    assert b'"response_id":"' in first and first.endswith(b'"response_index": "0"}} ')

    parsed = events(body)
    assert kinds(parsed) == ["response.created", "answer/typing", "answer/finished"]
    assert answer_of(parsed) == expected_answer("xin chào 1\n") == "You said: xin chào 1\n"
    created = parsed[0]["response.created"]
    assert created["chat_id"] == chat_id
    assert all(event["response_id"] == created["response_id"] for event in parsed[1:])
    typing = parsed[1:-1]
    outputs = [event["usage"]["output_tokens"] for event in typing]
    assert outputs == sorted(outputs) and outputs[-1] > 0
    assert set(typing[0]["usage"]) == {
        "input_tokens",
        "output_tokens",
        "characters",
        "total_tokens",
        "input_tokens_details",
        "output_tokens_details",
        "prompt_tokens_details",
    }
    assert parsed[-1] == {
        "choices": [{"delta": {"content": "", "role": "assistant", "status": "finished", "phase": "answer"}}],
        "response_id": created["response_id"],
    }
    # json.dumps default separators on choice events.
    assert raw_events(body)[1].startswith(b'{"choices": [{"delta": {"role": "assistant", "content": ')


def test_chunk_size_and_answer_length_from_config(qwen_server_factory: object) -> None:
    config = ServerConfig(answer_length=50, chunk_size=3)
    server = qwen_server_factory(config)  # type: ignore[operator]
    with httpx.Client(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as http:
        parsed = events(post_turn(http, new_chat(http), "héllo 😊 wörld").content)
    pieces = [c["delta"]["content"] for e in parsed for c in e.get("choices", []) if c["delta"]["status"] == "typing"]
    assert all(len(piece) <= 3 for piece in pieces)
    text = answer_of(parsed)
    assert len(text) == 50
    assert text == expected_answer("héllo 😊 wörld", config)


def test_per_request_answer_controls(client: httpx.Client) -> None:
    chat_id = new_chat(client)
    headers = {"x-qwen-mock-answer-length": "7", "x-qwen-mock-chunk-size": "1", "x-qwen-mock-delay": "0.02"}
    started = time.monotonic()
    parsed = events(post_turn(client, chat_id, "abc", headers=headers).content)
    elapsed = time.monotonic() - started
    assert answer_of(parsed) == expected_answer("abc", ServerConfig(answer_length=7)) == "You sai"
    pieces = [c["delta"]["content"] for e in parsed for c in e.get("choices", []) if c["delta"]["content"]]
    assert pieces == list("You sai")
    # created + 7 deltas + empty delta + finished = 10 events, 9 gaps of 20 ms.
    assert len(parsed) == 10 and elapsed >= 9 * 0.02


def test_bad_answer_control_header_is_a_plain_400(client: httpx.Client) -> None:
    # The server's own API, not a service error: no HTTP-200 envelope (see test_control_headers.py).
    response = post_turn(client, new_chat(client), "x", headers={"x-qwen-mock-chunk-size": "0"})
    assert response.status_code == 400 and "x-actual-status-code" not in response.headers
    assert "x-qwen-mock-chunk-size" in response.text


def test_multibyte_text_is_never_split_inside_a_character(client: httpx.Client) -> None:
    prompt = "😊" * 5 + "中文" * 4
    response = post_turn(client, new_chat(client), prompt, headers={"x-qwen-mock-chunk-size": "1"})
    for payload in raw_events(response.content):
        payload.decode("utf-8")  # each event is valid UTF-8 on its own
    assert answer_of(events(response.content)) == "You said: " + prompt


def test_thinking_summary_accumulates_then_answers(client: httpx.Client) -> None:
    prompt = "what colour is the sky?"
    parsed = events(post_turn(client, new_chat(client), prompt, thinking=True).content)

    assert kinds(parsed) == [
        "response.created",
        "thinking_summary/typing",
        "thinking_summary/finished",
        "answer/typing",
        "answer/finished",
    ]
    thinking = [e for e in parsed if e.get("choices") and e["choices"][0]["delta"]["phase"] == "thinking_summary"]
    typing = thinking[:-1]
    titles = [e["choices"][0]["delta"]["extra"]["summary_title"]["content"] for e in typing]
    thoughts = [e["choices"][0]["delta"]["extra"]["summary_thought"]["content"] for e in typing]
    for earlier, later in itertools.pairwise(thoughts):
        assert later[: len(earlier)] == earlier  # each event repeats the earlier paragraphs
    assert thoughts[-1] == thoughts[-2] and titles[-1] == titles[-2]  # one identical state resent
    assert typing[-1]["usage"]["output_tokens"] > typing[-2]["usage"]["output_tokens"]  # ...with usage grown
    assert all(e["choices"][0]["delta"]["content"] == "" for e in typing)
    assert "usage" not in thinking[-1] and "timestamp" in thinking[-1]
    assert [t for t, _ in thinking_paragraphs(prompt)] == titles[-1]
    assert reasoning_sequence(parsed) == [thought for _, thought in thinking_paragraphs(prompt)]
    assert all(thought in expected_reasoning(prompt) for thought in reasoning_sequence(parsed))
    assert "reasoning_tokens" in typing[0]["usage"]["output_tokens_details"]
    assert answer_of(parsed) == expected_answer(prompt)


def test_thinking_is_ignored_for_a_model_without_it(client: httpx.Client) -> None:
    chat_id = new_chat(client, model="qwen3-coder-plus")
    parsed = events(post_turn(client, chat_id, "hi", thinking=True, model="qwen3-coder-plus").content)
    assert kinds(parsed) == ["response.created", "answer/typing", "answer/finished"]


def test_search_phase_then_cited_answer(client: httpx.Client) -> None:
    prompt = "latest python release"
    parsed = events(post_turn(client, new_chat(client, chat_type="search"), prompt, chat_type="search").content)

    assert kinds(parsed) == [
        "response.created",
        "web_search/typing",
        "web_search/finished",
        "answer/typing",
        "answer/finished",
    ]
    delta = parsed[1]["choices"][0]["delta"]
    assert delta["function_call"]["name"] == "web_search"
    assert json.loads(delta["function_call"]["arguments"]) == {"query": prompt}
    assert delta["function_id"] and parsed[2]["choices"][0]["delta"]["function_id"] == delta["function_id"]
    infos = delta["extra"]["web_search_info"]
    assert len(infos) == 3
    assert all(set(info) == {"url", "title", "snippet", "hostname", "hostlogo", "date"} for info in infos)
    answer = answer_of(parsed)
    assert answer == expected_answer(prompt, search=True) and answer.endswith("[[1]]")


def test_auto_search_flag_alone_does_not_search(client: httpx.Client) -> None:
    # The browser sends feature_config.auto_search=true on plain t2t turns (recorded request).
    body = completion_body("hello", chat_id=new_chat(client))
    assert body["messages"][0]["feature_config"]["auto_search"] is True
    parsed = events(client.post("/api/v2/chat/completions", params={"chat_id": body["chat_id"]}, json=body).content)
    assert "web_search/typing" not in kinds(parsed)
    parsed = events(post_turn(client, new_chat(client), "hello", chat_type="auto_search").content)
    assert "web_search/typing" in kinds(parsed)


def test_t2i_streams_images_served_by_this_server(qwen_server: RunningServer, client: httpx.Client) -> None:
    chat_id = new_chat(client, chat_type="t2i")
    response = post_turn(
        client, chat_id, "two pandas", chat_type="t2i", size="16:9", headers={"x-qwen-mock-image-count": "2"}
    )
    parsed = events(response.content)

    assert kinds(parsed) == ["response.created", "response.info", "image_gen/typing", "image_gen/finished"]
    assert "response_index" not in parsed[0]["response.created"]  # as in the guest t2i capture
    assert parsed[1]["response.info"]["action"] == "keep_alive"
    images = [e for e in parsed if e.get("choices") and e["choices"][0]["delta"]["status"] == "typing"]
    assert len(images) == 2
    for event in images:
        delta = event["choices"][0]["delta"]
        assert delta["extra"]["output_image_hw"] == [[1536, 2688]]
        assert event["usage"] == {
            "input_tokens": 0,
            "output_tokens": 0,
            "characters": 0,
            "width": 2688,
            "image_count": 1,
            "height": 1536,
        }
        assert delta["content"].startswith(qwen_server.url + "/output/t2i/")
        image = httpx.get(delta["content"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_video_turn_answers_a_task_envelope(client: httpx.Client) -> None:
    chat_id = new_chat(client, chat_type="t2v")
    body = completion_body("a cat", chat_id=chat_id, chat_type="t2v")
    body["stream"] = False
    data = client.post("/api/v2/chat/completions", params={"chat_id": chat_id}, json=body).json()["data"]
    task_id = data["messages"][0]["extra"]["wanx"]["task_id"]
    status = client.get(f"/api/v2/task/status/{task_id}").json()
    assert status["success"] is True and status["data"]["task_status"] == "success"
    assert status["data"]["content"].endswith(".mp4")
    flat = client.get(f"/api/v1/tasks/status/{task_id}").json()
    assert flat["task_status"] == "success"


def test_legacy_v1_endpoint_streams_its_retired_shape(client: httpx.Client) -> None:
    body = {
        "stream": True,
        "model": "qwen-max-latest",
        "messages": [{"role": "user", "content": "old"}],
        "chat_type": "t2t",
    }
    parsed = events(client.post("/api/chat/completions", json=body).content)
    assert "".join(e["choices"][0]["delta"]["content"] for e in parsed) == expected_answer("old")
    assert parsed[-1]["choices"][0]["finish_reason"] == "stop"
    anonymous = httpx.post(client.base_url.join("/api/chat/completions"), json=body)
    assert anonymous.headers["x-actual-status-code"] == "401"
    assert events(anonymous.content) == [{"error": {"code": "Unauthorized", "details": "401 Unauthorized"}}]


def test_stop_ends_a_running_stream_with_response_stopped(qwen_server: RunningServer, client: httpx.Client) -> None:
    chat_id = new_chat(client)
    body = completion_body("stop me", chat_id=chat_id)
    slow = {"x-qwen-mock-chunk-size": "1", "x-qwen-mock-delay": "0.02", "x-qwen-mock-answer-length": "300"}
    seen: list[dict[str, object]] = []
    with client.stream(
        "POST", "/api/v2/chat/completions", params={"chat_id": chat_id}, json=body, headers=slow
    ) as response:
        lines = response.iter_lines()
        for line in lines:
            if line.startswith("data: "):
                seen.append(json.loads(line[6:]))
                break
        response_id = seen[0]["response.created"]["response_id"]  # type: ignore[index]
        stop = threading.Thread(
            target=lambda: httpx.post(
                qwen_server.url + "/api/v2/chat/completions/stop",
                json={"chat_id": chat_id, "response_id": response_id},
                headers=AUTH,
            )
        )
        stop.start()
        stop.join()
        seen.extend(json.loads(line[6:]) for line in lines if line.startswith("data: "))
    assert seen[-1] == {"response.stopped": {"response_id": response_id}}
    assert 0 < len(answer_of(seen)) < 300
    detail = client.get(f"/api/v2/chats/{chat_id}").json()["data"]
    assert detail["chat"]["history"]["messages"][response_id]["is_stop"] is True


def test_a_client_that_leaves_an_unpaused_stream_stops_it_quietly(caplog: pytest.LogCaptureFixture) -> None:
    """6,250 events without pauses: the client reads one and leaves. The server used to write the rest
    into the closed socket, and asyncio logged every write ("socket.send() raised exception", about
    6,000 lines per stream); it now notices within a few events and stops."""
    caplog.set_level(logging.WARNING, logger="asyncio")
    with serve(ServerConfig(answer_length=50_000, chunk_size=8)) as server:
        with httpx.Client(base_url=server.url, headers=AUTH, timeout=TIMEOUT) as http:
            for _ in range(3):
                chat_id = new_chat(http)
                body = completion_body("hello", chat_id=chat_id)
                url = "/api/v2/chat/completions"
                with http.stream("POST", url, params={"chat_id": chat_id}, json=body) as response:
                    assert next(line for line in response.iter_lines() if line.startswith("data:"))
            # served by the same loop once the streams above have stopped (an unpaused one never yields)
            assert http.get("/api/models").status_code == 200
    assert [r.getMessage() for r in caplog.records if "socket.send" in r.getMessage()] == []
