"""Operations: /healthz, Prometheus /metrics, one access-log line per request, graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import httpx
import pytest

from qwen_api.testing import ServerConfig, expected_answer

from .conftest import GatewayFactory

MODEL = "qwen3.7-plus"


def test_metrics_and_health(gateway_factory: GatewayFactory) -> None:
    gateway = gateway_factory()
    other = gateway_factory()  # a second gateway in the same process has its own registry
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        assert http.get("/healthz").json()["status"] == "ok"
        http.post("/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": "m"}]})
        http.post("/v1/chat/completions", json={"model": "unknown", "messages": [{"role": "user", "content": "m"}]})
        text = http.get("/metrics").text
    assert 'qwen_gateway_requests_total{endpoint="chat",status="200"} 1.0' in text
    assert 'qwen_gateway_requests_total{endpoint="chat",status="404"} 1.0' in text
    assert 'qwen_gateway_tokens_total{kind="completion"}' in text
    assert 'qwen_gateway_conversation_turns_total{kind="new"} 1.0' in text
    assert "qwen_gateway_request_duration_seconds_bucket" in text
    with httpx.Client(base_url=other.url) as http:
        assert 'status="200"' not in http.get("/metrics").text.split("qwen_gateway_requests_total")[1][:200]


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "qwen_api.gateway.access"]


def test_one_access_log_line_per_request_without_secrets(
    gateway_factory: GatewayFactory, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = gateway_factory(api_keys=("sk-secret-key",))
    caplog.set_level(logging.INFO, logger="qwen_api.gateway.access")
    with httpx.Client(base_url=gateway.url, headers={"authorization": "Bearer sk-secret-key"}, timeout=30) as http:
        http.post("/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": "log"}]})
        http.get("/v1/models")
    deadline = time.monotonic() + 10
    while len(access_lines(caplog)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # the line is written once the response has been sent: wait for it, with a deadline
    lines = access_lines(caplog)
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["path"] == "/v1/chat/completions" and first["status"] == 200 and first["model"] == MODEL
    assert first["account"] == "main"
    assert all("sk-secret-key" not in line and "gateway-test-token" not in line for line in lines)


def test_graceful_shutdown_lets_a_running_stream_finish(gateway_factory: GatewayFactory) -> None:
    gateway = gateway_factory(default_headers={"x-qwen-mock-delay": "0.01", "x-qwen-mock-answer-length": "300"})
    body = {"model": MODEL, "messages": [{"role": "user", "content": "slow"}], "stream": True}
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        with http.stream("POST", "/v1/chat/completions", json=body) as response:
            lines = response.iter_lines()
            first = next(line for line in lines if line.startswith("data: "))
            stopper = threading.Thread(target=gateway.stop)
            stopper.start()
            rest = [line[6:] for line in lines if line.startswith("data: ")]
        stopper.join(30)
    assert not stopper.is_alive()
    assert rest[-1] == "[DONE]"
    chunks = [json.loads(first[6:]), *(json.loads(p) for p in rest[:-1])]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text == expected_answer("slow", ServerConfig(answer_length=300))  # the whole answer arrived
    with pytest.raises(httpx.ConnectError):
        httpx.get(gateway.url + "/healthz")


async def test_concurrent_streams_all_complete_under_a_per_account_cap(gateway_factory: GatewayFactory) -> None:
    gateway = gateway_factory(account_concurrency=4)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)

    async def one(client: httpx.AsyncClient, index: int) -> str:
        body = {"model": MODEL, "messages": [{"role": "user", "content": f"stream {index}"}], "stream": True}
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            assert response.status_code == 200
            lines = [line[6:] async for line in response.aiter_lines() if line.startswith("data: ")]
        assert lines[-1] == "[DONE]"
        chunks = [json.loads(line) for line in lines[:-1]]
        return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])

    async with httpx.AsyncClient(base_url=gateway.url, timeout=60, limits=limits) as client:
        results = await asyncio.gather(*(one(client, i) for i in range(30)), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    assert results == [expected_answer(f"stream {i}") for i in range(30)]
    with httpx.Client(base_url=gateway.url) as http:
        assert 'qwen_gateway_account_in_flight{account="main"} 0.0' in http.get("/metrics").text
