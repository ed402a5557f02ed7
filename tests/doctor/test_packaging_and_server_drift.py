"""The spec ships inside the package (derived from spec/, never edited apart), and the local server's
``x-qwen-mock-drift`` switch rewrites answers as a protocol change would."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml

from qwen_api.doctor import Spec, load_packaged_spec, load_spec
from qwen_api.doctor._compare import compare
from qwen_api.testing import RunningServer
from qwen_api.testing.drift import Drift, parse_drift_header

ROOT = Path(__file__).resolve().parents[2]


def test_the_packaged_spec_is_the_repository_spec() -> None:
    packaged = load_packaged_spec()
    assert packaged.document == json.loads(
        json.dumps(yaml.safe_load((ROOT / "spec" / "qwen-chat.openapi.yaml").read_text()))
    )
    assert {"chat.qwen.ai", "auth.qwen.ai"} <= packaged.hosts
    assert {"bx-ua", "version", "authorization", "cookie"} <= packaged.request_headers


def test_load_spec_reads_json_and_refuses_non_specs(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps(load_packaged_spec().document))
    assert load_spec(tmp_path / "s.json").operations
    (tmp_path / "bad.json").write_text('{"openapi": "3.1.0"}')
    with pytest.raises(Exception, match="not an OpenAPI document"):
        load_spec(tmp_path / "bad.json")


def test_operation_matching_prefers_literal_paths(spec: Spec) -> None:
    operation, _ = spec.match("POST", "/api/v2/chats/new")
    assert operation is not None and operation.operation_id == "createChat"
    operation, _ = spec.match("GET", "/api/v2/chats/pinned")
    assert operation is not None and operation.operation_id == "listPinnedChats"
    operation, _ = spec.match("GET", "/api/v2/chats/0f3c")
    assert operation is not None and operation.operation_id == "getChat"
    assert spec.match("GET", "/api/v2/chats/a/b") == (None, False)


def test_compare_walks_maps_free_form_objects_and_unions(spec: Spec) -> None:
    history = {"messages": {"m1": {"anything": 1}, "m2": "not an object"}, "currentId": 5}
    diffs = compare(spec, history, {"$ref": "#/components/schemas/ChatHistory"})
    assert [(d.kind, d.path) for d in diffs] == [("type_changed", "messages.*"), ("type_changed", "currentId")]
    diffs = compare(spec, {"filename": "a", "filesize": True, "filetype": "file"}, spec.schema("StsTokenRequest"))
    assert [(d.kind, d.path, d.message) for d in diffs] == [
        ("type_changed", "filesize", "filesize: expected string or integer, got boolean")
    ]
    assert compare(spec, {"x": 1.0}, {"type": "object", "properties": {"x": {"type": "integer"}}}) == []


def test_drift_header_grammar() -> None:
    assert parse_drift_header("rename=a:b; drop=c;rename=d:e") == Drift((("a", "b"), ("d", "e")), ("c",))
    for bad in ("rename=a", "drop=", "explode=1", "rename=:b"):
        with pytest.raises(ValueError, match="expected rename=OLD:NEW or drop=KEY"):
            parse_drift_header(bad)
    drift = Drift((("id", "chat_id"),), ("usage",))
    assert drift.apply({"data": [{"id": 1, "usage": {}}]}) == {"data": [{"chat_id": 1}]}
    sse = b'data: {"id": 1}\n\ndata: [DONE]\n\n'
    assert drift.rewrite_body(sse, event_stream=True) == b'data: {"chat_id":1}\n\ndata: [DONE]\n\n'


def test_the_server_rewrites_json_and_streams(server: RunningServer) -> None:
    headers = {"authorization": "Bearer t", "x-qwen-mock-drift": "rename=id:chat_id"}
    with httpx.Client(base_url=server.url, timeout=10) as http:
        answer = http.post("/api/v2/chats/new", json={"models": ["qwen3.7-plus"], "chat_type": "t2t"}, headers=headers)
        assert answer.status_code == 200
        assert "chat_id" in answer.json()["data"] and "id" not in answer.json()["data"]
        assert int(answer.headers["content-length"]) == len(answer.content)
        bad = http.post("/api/v2/chats/new", json={}, headers={**headers, "x-qwen-mock-drift": "nonsense"})
        assert bad.status_code == 400 and "x-qwen-mock-drift" in bad.text
