"""A failed answer gets its likely cause, whichever of the service's four error forms it came in."""

from __future__ import annotations

import json

import pytest

from qwen_api.doctor import Exchange, diagnose, sse_events
from qwen_api.doctor._exchange import exchanges_from_har

from .har_synth import FIXTURES


def _answer(body: str, *, status: int = 200, content_type: str = "application/json", actual: str | None = None):  # type: ignore[no-untyped-def]
    headers = [("content-type", content_type)] + ([("x-actual-status-code", actual)] if actual else [])
    return Exchange(
        index=3,
        method="POST",
        url="https://chat.qwen.ai/api/v2/chats/new",
        status=status,
        response_headers=tuple(headers),
        response_body=body,
    )


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("exchange", "cause", "detail"),
    [
        (_answer(_fixture("error_waf_rgv587_2026-08-01.json")), "anti_bot_block", "FAIL_SYS_USER_VALIDATE"),
        (_answer("<div class='aliyun_waf'>slide</div>", content_type="text/html"), "anti_bot_block", "WAF"),
        (_answer('{"success":false,"message":"Token expired"}', actual="401"), "expired_token", "Token expired"),
        (_answer(_fixture("error_unauthorized_missing_bearer.json"), actual="401"), "unauthorized", "Unauthorized"),
        (_answer(_fixture("error_ratelimited_daily_2026-09-21.json"), actual="429"), "rate_limited", "RateLimited"),
        (_answer('{"code":"Bad_Request","details":"no version"}', actual="400"), "request_rejected", "Bad_Request"),
        (_answer("<h1>502 Bad Gateway</h1>", status=502, content_type="text/html"), "service_error", "HTTP 502"),
        (_answer("", status=401), "unauthorized", "HTTP 401"),
        (_answer("", status=429), "rate_limited", "HTTP 429"),
        (_answer("", status=404), "request_rejected", "HTTP 404"),
        (
            _answer(_fixture("error_in_stream_internal_error_string.sse"), content_type="text/event-stream"),
            "service_error",
            "in-stream error: Internal error!",
        ),
        (
            _answer(
                'data: {"error":{"code":"data_inspection_failed","details":"inappropriate"},"response_id":"r"}\n\n',
                content_type="text/event-stream",
            ),
            "content_filtered",
            "data_inspection_failed",
        ),
    ],
)
def test_causes(exchange: Exchange, cause: str, detail: str) -> None:
    problem = diagnose(exchange)
    assert problem is not None
    assert (problem.cause, problem.exchange) == (cause, "#3 POST /api/v2/chats/new")
    assert detail in problem.detail
    assert problem.advice and problem.to_dict()["advice"] == problem.advice


def test_successful_answers_have_no_problem() -> None:
    assert diagnose(_answer('{"success":true,"data":{"id":"c"}}', actual="200")) is None
    assert diagnose(_answer(_fixture("t2t_fast_answer_turn1.sse"), content_type="text/event-stream")) is None


def test_event_stream_framing() -> None:
    text = 'data: {"a":1} \r\n\r\n: comment\n\ndata: [DONE]\n\nevent: x\ndata: {"b":\ndata: 2}\n\ndata: {"c":3}'
    assert list(sse_events(text)) == [(0, '{"a":1} '), (1, '{"b":\n2}'), (2, '{"c":3}')]


def test_har_bodies_in_base64_and_entries_without_answers() -> None:
    import base64

    document = {
        "log": {
            "entries": [
                {
                    "request": {"method": "get", "url": "https://chat.qwen.ai/api/v2/chats/pinned", "headers": []},
                    "response": {
                        "status": 200,
                        "headers": [],
                        "content": {
                            "mimeType": "application/json",
                            "encoding": "base64",
                            "text": base64.b64encode(b'{"success":true,"data":[]}').decode(),
                        },
                    },
                },
                {"request": {"method": "GET", "url": "https://chat.qwen.ai/api/models"}, "response": {"status": 0}},
                "not an entry",
            ]
        }
    }
    first, second = exchanges_from_har(json.loads(json.dumps(document)))
    assert (first.method, first.response_body, first.content_type) == (
        "GET",
        '{"success":true,"data":[]}',
        "application/json",
    )
    assert second.index == 2 and second.status is None  # an aborted request: nothing to validate
