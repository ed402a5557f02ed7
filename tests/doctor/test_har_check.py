"""``qwen doctor --har``: the recorded fixtures show no drift; every kind of injected change is reported
with the exchange it came from and the path of the field."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

from qwen_api.doctor import Exchange, Finding, Spec, har_document, validate_exchange
from qwen_api.doctor._offline import check_har
from tests.cli.conftest import Cli

from .har_synth import FIXTURES, recorded_cases


def _find(exchanges: list[Exchange], method: str, path: str, content_type: str | None = None) -> Exchange:
    for exchange in exchanges:
        if exchange.method == method and exchange.path == path:
            if content_type is None or exchange.content_type == content_type:
                return exchange
    raise AssertionError(f"no recorded {method} {path}")


def _replace(exchanges: list[Exchange], old: Exchange, new: Exchange) -> list[Exchange]:
    return [new if exchange is old else exchange for exchange in exchanges]


def _write_har(path: Path, exchanges: list[Exchange]) -> Path:
    path.write_text(json.dumps(har_document(exchanges), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_synthesized_har_covers_every_recorded_case(recorded: list[Exchange]) -> None:
    assert len(recorded) == len(recorded_cases(FIXTURES)) >= 15
    operations = {(e.method, e.path.rsplit("/", 1)[0] if "chats/0" in e.path else e.path) for e in recorded}
    assert ("POST", "/api/v2/chat/completions") in operations and ("POST", "/api/v2/files/getstsToken") in operations
    assert any(e.content_type == "text/event-stream" for e in recorded)
    assert any(e.request_headers for e in recorded)


def test_the_recorded_fixtures_show_no_drift(spec: Spec, recorded: list[Exchange]) -> None:
    report = check_har(spec, recorded, source_name="recorded.har")
    assert report.checked == len(recorded)
    assert report.findings == []
    assert report.ok and report.exit_status == 0


def test_the_recorded_har_through_the_cli_reports_ok(cli: Cli, recorded: list[Exchange], tmp_path: Path) -> None:
    har = _write_har(tmp_path / "recorded.har", recorded)
    result = cli("doctor", "--har", str(har))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(recorded)} Qwen API exchanges in recorded.har" in result.stdout
    assert "OK: no drift from the spec" in result.stdout
    # the repository's own spec/ (make spec-check) agrees with the packaged copy
    result = cli("doctor", "--har", str(har), "--spec", str(FIXTURES.parents[2] / "spec" / "qwen-chat.openapi.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr


def _inject(recorded: list[Exchange]) -> tuple[list[Exchange], dict[str, tuple[str, str, str, str]]]:
    """Six protocol changes, each in one exchange; returns the HAR and what each must be reported as."""
    expected: dict[str, tuple[str, str, str, str]] = {}
    exchanges = list(recorded)

    # 1. a renamed response field: chats/new answers data.chat_id instead of data.id
    new_chat = _find(exchanges, "POST", "/api/v2/chats/new")
    body = json.loads(new_chat.response_body or "")
    body["data"]["chat_id"] = body["data"].pop("id")
    changed = attrs.evolve(new_chat, response_body=json.dumps(body))
    exchanges = _replace(exchanges, new_chat, changed)
    expected["renamed (new name)"] = (changed.label, "response.body", "new_field", "data.chat_id")
    expected["renamed (old name gone)"] = (changed.label, "response.body", "missing_field", "data.id")

    # 2. a new stream phase in the answer stream
    stream = next(
        e for e in exchanges if e.content_type == "text/event-stream" and '"phase": "answer"' in (e.response_body or "")
    )
    text = stream.response_body or ""
    changed = attrs.evolve(
        stream, response_body=text.replace('"phase": "answer"', '"phase": "answer_with_citations"', 1)
    )
    exchanges = _replace(exchanges, stream, changed)
    expected["new phase"] = (changed.label, "response.events", "new_phase", "choices[].delta.phase")

    # 3. a new endpoint the browser started calling
    endpoint = Exchange(
        index=len(exchanges) + 1,
        method="POST",
        url="https://chat.qwen.ai/api/v3/chat/completions?chat_id=abc",
        request_headers=(("Content-Type", "application/json"),),
        request_body="{}",
        status=200,
        response_headers=(("Content-Type", "application/json"),),
        response_body='{"success": true, "data": {}}',
    )
    exchanges.append(endpoint)
    expected["new endpoint"] = (endpoint.label, "endpoint", "new_endpoint", "/api/v3/chat/completions")

    # 4. a type change: the chat list's updated_at becomes an ISO string
    listing = _find(exchanges, "GET", "/api/v2/chats/")
    body = json.loads(listing.response_body or "")
    body["data"][0]["updated_at"] = "2026-09-14T02:56:07Z"
    changed = attrs.evolve(listing, response_body=json.dumps(body))
    exchanges = _replace(exchanges, listing, changed)
    expected["type change"] = (changed.label, "response.body", "type_changed", "data[].updated_at")

    # 5. a new request header on the completion request (another recorded completion)
    completions = [e for e in exchanges if e.path == "/api/v2/chat/completions" and e.request_headers]
    target = next(e for e in completions if e is not changed and "answer_with_citations" not in (e.response_body or ""))
    changed = attrs.evolve(target, request_headers=(*target.request_headers, ("bx-et", "fingerprint-v3")))
    exchanges = _replace(exchanges, target, changed)
    expected["new request header"] = (changed.label, "request.headers", "new_header", "bx-et")

    # 6. a removed required field: a getstsToken request without filetype
    sts = _find(exchanges, "POST", "/api/v2/files/getstsToken")
    body = json.loads(sts.request_body or "")
    del body["filetype"]
    changed = attrs.evolve(sts, request_body=json.dumps(body))
    exchanges = _replace(exchanges, sts, changed)
    expected["removed required field"] = (changed.label, "request.body", "missing_field", "filetype")
    return exchanges, expected


def _located(findings: list[Finding]) -> set[tuple[str, str, str, str]]:
    return {(f.exchange, f.location, f.kind, f.path) for f in findings}


def test_each_injected_change_is_reported_with_exchange_and_path(spec: Spec, recorded: list[Exchange]) -> None:
    exchanges, expected = _inject(recorded)
    report = check_har(spec, exchanges, source_name="changed.har")
    found = _located(report.findings)
    for what, where in expected.items():
        assert where in found, f"{what}: {where} not in {sorted(found)}"
    assert len(report.findings) == len(expected)  # nothing else drifted
    assert report.exit_status == 1


def test_the_cli_prints_each_change_and_its_exchange(cli: Cli, recorded: list[Exchange], tmp_path: Path) -> None:
    exchanges, expected = _inject(recorded)
    har = _write_har(tmp_path / "changed.har", exchanges)
    result = cli("doctor", "--har", str(har))
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert f"DRIFT: {len(expected)} differences from the spec (5 may break the SDK, 2 additive)" in out
    for label, location, kind, path in expected.values():
        assert label in out
        assert any(f"{location} {kind}: " in line and path in line for line in out.splitlines()), (kind, path)
    assert "Likely cause: protocol drift" in out

    result = cli("doctor", "--har", str(har), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert {(f["exchange"], f["location"], f["kind"], f["path"]) for f in report["findings"]} == set(expected.values())
    assert report["causes"][0]["cause"] == "protocol_drift"
    assert {f["kind"] for f in report["findings"] if not f["breaking"]} == {"new_field", "new_header"}


_CHOICE = {"content": "x", "phase": "answer"}
#: An ordinary answer event: the stream's x-expected fields (usage, a delta's phase and status) are
#: sent at least once, so only the changed event below can drift.
_ORDINARY = {"choices": [{"delta": {**_CHOICE, "status": "typing"}}], "usage": {"output_tokens": 1}}
EVENT_CHANGES = [
    ({"response.output_text.delta": {"delta": "hi"}}, "new_event_shape", ""),
    ({"choices": [{"delta": {**_CHOICE, "status": "streaming"}}]}, "new_value", "choices[].delta.status"),
    ({"choices": [{"delta": {**_CHOICE, "content": 5}}]}, "type_changed", "choices[].delta.content"),
    ({"choices": [{"delta": _CHOICE}], "usage": {"output_tokens": "7"}}, "type_changed", "usage.output_tokens"),
    (
        {"response.created": {"chat_id": "c", "response_id": "r", "response_index": True}},
        "type_changed",
        "response.created.response_index",
    ),
    ({"choices": [{"delta": _CHOICE, "logprobs": None}]}, "new_field", "choices[].logprobs"),
    ({"error": {"code": "brand_new_code", "details": "x"}}, "new_value", "error.code"),
]


def _stream(*events: dict[str, object], index: int = 3) -> Exchange:
    body = 'data: {"response.created":{"chat_id":"c","parent_id":null,"response_id":"r"}}\n\n'
    body += "".join(f"data: {json.dumps(event)}\n\n" for event in events)
    return Exchange(
        index=index,
        method="POST",
        url="https://chat.qwen.ai/api/v2/chat/completions?chat_id=c",
        status=200,
        response_headers=(("content-type", "text/event-stream; charset=utf-8"),),
        response_body=body,
    )


@pytest.mark.parametrize(("event", "kind", "path"), EVENT_CHANGES)
def test_stream_event_changes(spec: Spec, event: dict[str, object], kind: str, path: str) -> None:
    findings = validate_exchange(spec, _stream(_ORDINARY, event, index=7), check_request=False)
    assert [(f.kind, f.path, f.location, f.first_event) for f in findings] == [(kind, path, "response.events", 2)]
    assert findings[0].exchange == "#7 POST /api/v2/chat/completions"


_FINISHED = {"choices": [{"delta": {"content": "", "phase": "answer", "status": "finished"}}]}


@pytest.mark.parametrize(
    ("events", "vanished"),
    [
        # usage in no event (the SDK's token counts would be None)
        ([{"choices": [{"delta": {**_CHOICE, "status": "typing"}}]}, _FINISHED], {("usage", 1)}),
        # no phase anywhere: reasoning could no longer be told from the answer
        ([{"choices": [{"delta": {"content": "x", "status": "typing"}}], "usage": {}}], {("choices[].delta.phase", 1)}),
        # no status anywhere: the end of the answer could no longer be seen
        (
            [{"choices": [{"delta": _CHOICE}], "usage": {}}, {"choices": [{"delta": _CHOICE}]}],
            {("choices[].delta.status", 1)},
        ),
        # present in some events only (as recorded: the last event has no usage): no drift
        ([_ORDINARY, _FINISHED], set()),
        # an error event alone says nothing about the answer's fields
        ([{"error": {"code": "internal_error", "details": "x"}}], set()),
    ],
    ids=["usage", "phase", "status", "some-events", "error-only"],
)
def test_a_field_every_answer_carries_is_reported_when_a_whole_stream_lacks_it(
    spec: Spec, events: list[dict[str, object]], vanished: set[tuple[str, int]]
) -> None:
    findings = validate_exchange(spec, _stream(*events), check_request=False)
    assert {(f.path, f.first_event) for f in findings} == vanished
    for finding in findings:
        assert (finding.kind, finding.location, finding.breaking) == ("vanished_field", "response.events", True)
        assert finding.message == (
            f"{finding.path}: absent from every event of the stream (the service has always sent it; the SDK reads it)"
        )


_ITEMS_SPEC = {
    "openapi": "3.1.0",
    "servers": [{"url": "https://chat.qwen.ai"}],
    "paths": {
        "/api/v2/items": {
            "get": {
                "operationId": "listItems",
                "responses": {
                    "200": {
                        "description": "items",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "data": {
                                            "oneOf": [
                                                {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                                                {"type": "string"},
                                            ]
                                        }
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "usage": {"type": "object", "x-expected": True}},
            }
        }
    },
}


@pytest.mark.parametrize(
    ("items", "vanished"),
    [
        ([{"id": "a"}, {"id": "b"}], ["data[].usage"]),
        ([{"id": "a"}, {"id": "b", "usage": {}}], []),
        ([], []),
    ],
    ids=["in-no-item", "in-one-item", "no-items"],
)
def test_a_field_every_answer_carries_is_reported_in_a_json_answer(
    items: list[dict[str, object]], vanished: list[str]
) -> None:
    """Through a oneOf and a list: present in any one item is enough; no item at all says nothing."""
    exchange = Exchange(
        index=2,
        method="GET",
        url="https://chat.qwen.ai/api/v2/items",
        status=200,
        response_headers=(("content-type", "application/json"),),
        response_body=json.dumps({"data": items}),
    )
    findings = validate_exchange(Spec(_ITEMS_SPEC), exchange)
    assert [(f.kind, f.location, f.path) for f in findings] == [
        ("vanished_field", "response.body", p) for p in vanished
    ]
    for finding in findings:
        assert finding.message.startswith("data[].usage: absent from the answer")


def test_named_sse_events_and_other_sse_fields_are_new_stream_shapes(
    spec: Spec, recorded: list[Exchange], cli: Cli, tmp_path: Path
) -> None:
    stream = next(e for e in recorded if e.content_type == "text/event-stream" and e.status == 200)
    body = stream.response_body or ""
    first, rest = body.split("\n\n", 1)
    named = attrs.evolve(stream, response_body=f"{first}\n\nevent: delta\n{rest}")
    found = [(f.kind, f.location, f.path, f.first_event) for f in validate_exchange(spec, named)]
    assert found == [("new_event_shape", "response.events", "event", 1)]
    assert "event: 'delta'" in validate_exchange(spec, named)[0].message
    with_id = attrs.evolve(stream, response_body=f"id: 7\n{body}")
    assert [(f.kind, f.path, f.first_event) for f in validate_exchange(spec, with_id)] == [("new_event_shape", "id", 0)]
    result = cli("doctor", "--har", str(_write_har(tmp_path / "named.har", _replace(recorded, stream, named))))
    assert result.returncode == 1 and "new_event_shape" in result.stdout and "event: 'delta'" in result.stdout


def test_statuses_headers_query_and_methods(spec: Spec, recorded: list[Exchange]) -> None:
    pinned = _find(recorded, "GET", "/api/v2/chats/pinned")
    teapot = attrs.evolve(pinned, status=418)
    assert [(f.kind, f.path) for f in validate_exchange(spec, teapot)] == [("unknown_status", "418")]
    extra = attrs.evolve(
        pinned, url=pinned.url + "?sort=desc", response_headers=(*pinned.response_headers, ("x-qwen-trace", "1"))
    )
    found = {(f.location, f.kind, f.path) for f in validate_exchange(spec, extra)}
    assert found == {
        ("request.query", "new_query_parameter", "sort"),
        ("response.headers", "new_header", "x-qwen-trace"),
    }
    patch = attrs.evolve(pinned, method="PATCH")
    [finding] = validate_exchange(spec, patch)
    assert finding.kind == "new_endpoint" and "method PATCH of a known path" in finding.message


def test_error_answers_are_diagnosed_not_drift(spec: Spec, tmp_path: Path, cli: Cli) -> None:
    waf_body = (FIXTURES / "error_waf_rgv587_2026-08-01.json").read_text(encoding="utf-8")
    limited = (FIXTURES / "error_ratelimited_daily_2026-09-21.json").read_text(encoding="utf-8")

    def completion(index: int, body: str, actual: str) -> Exchange:
        return Exchange(
            index=index,
            method="POST",
            url="https://chat.qwen.ai/api/v2/chat/completions?chat_id=c",
            status=200,
            response_headers=(("content-type", "application/json"), ("x-actual-status-code", actual)),
            response_body=body,
        )

    exchanges = [completion(1, waf_body, "200"), completion(2, limited, "429")]
    report = check_har(spec, exchanges, source_name="errors.har")
    assert report.findings == []
    assert [(p.exchange, p.cause) for p in report.problems] == [
        ("#1 POST /api/v2/chat/completions", "anti_bot_block"),
        ("#2 POST /api/v2/chat/completions", "rate_limited"),
    ]
    # Recorded error answers are the service's protocol, not drift: a capture with them is OK (exit 0),
    # and the report lists them with their likely cause, saying once that nothing drifted.
    assert report.ok and report.exit_status == 0
    result = cli("doctor", "--har", str(_write_har(tmp_path / "errors.har", exchanges)))
    assert result.returncode == 0
    assert "ERROR ANSWERS: 2 calls failed" in result.stdout and "FAILED" not in result.stdout
    assert "anti bot block" in result.stdout and "Likely cause: anti bot block" in result.stdout
    assert (
        result.stdout.rstrip().splitlines()[-3] == "OK: no drift from the spec (2 recorded calls failed, listed above)"
    )
    body = json.loads(cli("doctor", "--har", str(tmp_path / "errors.har"), "--json").stdout)
    assert body["ok"] is True and body["findings"] == [] and len(body["problems"]) == 2


def test_usage_errors(cli: Cli, tmp_path: Path) -> None:
    missing = cli("doctor", "--har", str(tmp_path / "nope.har"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (tmp_path / "bad.har").write_text("{}", encoding="utf-8")
    assert cli("doctor", "--har", str(tmp_path / "bad.har")).returncode == 2
    empty = _write_har(
        tmp_path / "empty.har", [Exchange(index=1, method="GET", url="https://example.com/x", status=200)]
    )
    result = cli("doctor", "--har", str(empty))
    assert result.returncode == 2 and "no chat.qwen.ai API requests" in result.stderr
    result = cli("doctor", "--fixtures", str(tmp_path / "out"))
    assert result.returncode == 2 and "--fixtures needs --har" in result.stderr
    result = cli("doctor", "--har", str(empty), "--spec", str(tmp_path / "missing.yaml"))
    assert result.returncode == 2 and "cannot read the spec" in result.stderr


def test_a_browser_export_with_pages_assets_and_undescribed_ui_calls(spec: Spec, recorded: list[Exchange]) -> None:
    """What a real Chrome export also holds: the page, scripts, other hosts, HTTP/2 pseudo-headers, UI
    endpoints the spec leaves out on purpose, and answers typed only by ``content.mimeType``."""
    pinned = _find(recorded, "GET", "/api/v2/chats/pinned")
    noise = [
        Exchange(index=90, method="GET", url="https://chat.qwen.ai/c/new-chat", status=200),
        Exchange(index=91, method="GET", url="https://g.alicdn.com/AWSC/AWSC/awsc.js", status=200),
        Exchange(index=92, method="GET", url="https://chat.qwen.ai/api/v2/users/user/settings", status=200),
        Exchange(index=93, method="GET", url="https://chat.qwen.ai/api/v2/chats/abc/tags", status=200),
        Exchange(index=94, method="OPTIONS", url="https://chat.qwen.ai/api/v2/chats/new", status=204),
    ]
    chrome = attrs.evolve(
        pinned,
        request_headers=((":authority", "chat.qwen.ai"), (":method", "GET"), *pinned.request_headers),
        response_headers=(),
        mime_type="application/json",
        response_body='{"success": true, "request_id": "x", "data": [{"id": "c", "title": 5}]}',
    )
    document = har_document([chrome, *noise])
    from qwen_api.doctor import exchanges_from_har

    exchanges = exchanges_from_har(document)
    report = check_har(spec, exchanges, source_name="chrome.har")
    assert report.checked == 1 and report.ignored == len(noise)
    assert [(f.kind, f.path) for f in report.findings] == [("type_changed", "data[].title")]
