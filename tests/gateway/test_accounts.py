"""The account pool: failover around a blocked or capped account, cooldowns in /metrics, the
per-account cap, and renewed tokens written back to the accounts file."""

from __future__ import annotations

import asyncio
import json
import stat
from pathlib import Path

import httpx
import openai
import pytest

from qwen_api import Qwen, QwenAntiBotError, QwenAPIStatus5xxError, RateLimitError
from qwen_api.gateway.accounts import Account, AccountFileError, AccountPool, load_accounts_file, parse_accounts
from qwen_api.gateway.errors import GatewayError
from qwen_api.testing import RunningServer, expected_answer

from .conftest import TOKEN, GatewayFactory, sse_payloads

MODEL = "qwen3.7-plus"


def metric(text: str, name: str, **labels: str) -> float | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} ") or (not labels and line.startswith(f"{name} ")):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_blocked_and_capped_accounts_are_cooled_down_and_every_request_succeeds(
    gateway_factory: GatewayFactory, upstream: RunningServer
) -> None:
    gateway = gateway_factory(
        accounts=[
            {"name": "good", "auth_token": TOKEN},
            {"name": "blocked", "auth_token": TOKEN, "headers": {"x-qwen-mock-fault": "waf_json"}},
            {"name": "capped", "auth_token": TOKEN, "headers": {"x-qwen-mock-fault": "envelope_rate_limited; num=3"}},
        ]
    )
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        # the first request goes to "good" (it also lists the models); the second to the least recently
        # used account, "blocked", then fails over to "capped", then to "good", before any byte is sent
        first = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "request 0"}])
        assert first.choices[0].message.content == expected_answer("request 0")
        with httpx.Client(base_url=gateway.url) as http:
            body = {"model": MODEL, "messages": [{"role": "user", "content": "streamed"}], "stream": True}
            with http.stream("POST", "/v1/chat/completions", json=body) as response:
                assert response.status_code == 200
                payloads = sse_payloads(response)
            assert payloads[-1] == "[DONE]"
            text = "".join(
                json.loads(p)["choices"][0]["delta"].get("content") or "" for p in payloads[:-1] if '"choices":[{' in p
            )
            assert text == expected_answer("streamed")
            for index in range(1, 5):
                prompt = f"request {index}"
                completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": prompt}])
                assert completion.choices[0].message.content == expected_answer(prompt)
            text = http.get("/metrics").text
            health = http.get("/healthz").json()
    assert metric(text, "qwen_gateway_failovers_total") == 2.0
    assert metric(text, "qwen_gateway_account_state", account="blocked", state="cooldown") == 1.0
    assert metric(text, "qwen_gateway_account_state", account="capped", state="cooldown") == 1.0
    assert metric(text, "qwen_gateway_account_state", account="good", state="ready") == 1.0
    assert metric(text, "qwen_gateway_account_cooldowns_total", account="blocked", reason="blocked") == 1.0
    assert metric(text, "qwen_gateway_account_cooldowns_total", account="capped", reason="daily_cap") == 1.0
    # the daily cap's hint (num=3 hours) is honoured, the block gets the default cooldown
    capped = metric(text, "qwen_gateway_account_cooldown_seconds", account="capped", reason="daily_cap")
    assert capped is not None and capped > 2 * 3600
    blocked = metric(text, "qwen_gateway_account_cooldown_seconds", account="blocked", reason="blocked")
    assert blocked is not None and 200 < blocked <= 300
    assert health == {"status": "ok", "accounts": {"total": 3, "ready": 1}}
    faulted = [r for r in upstream.state.requests if r.fault]
    assert [r.fault for r in faulted] == ["waf_json", "envelope_rate_limited"]  # each asked once, then left alone


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("http_429; retry_after=20", "rate_limit"), ("http_502", None)],
)
def test_a_failing_account_hands_the_request_over_at_once_without_the_sdks_retries(
    gateway_factory: GatewayFactory, upstream: RunningServer, fault: str, reason: str | None
) -> None:
    """The SDK's own retries (two by default) would sleep out the 20 s Retry-After on the limited
    account, twice, while the other account idles; with an account to fail over to, they are off."""
    gateway = gateway_factory(
        accounts=[{"name": "good", "auth_token": TOKEN}, {"name": "failing", "auth_token": TOKEN}],
        max_retries=None,  # the SDK's default: two retries
    )
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "warm up"}])  # on "good"
        upstream.add_fault(fault.split(";")[0], path="/api/v2/chat/completions", times=1, retry_after=20)
        answer = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "next"}])
        assert answer.choices[0].message.content == expected_answer("next")
        text = httpx.get(gateway.url + "/metrics").text
    faulted = [r for r in upstream.state.requests if r.fault]
    assert len(faulted) == 1  # asked once, not retried on the same account
    assert metric(text, "qwen_gateway_failovers_total") == 1.0
    if reason is not None:
        assert metric(text, "qwen_gateway_account_cooldowns_total", account="failing", reason=reason) == 1.0


def test_the_last_account_keeps_the_sdks_retries(gateway_factory: GatewayFactory, upstream: RunningServer) -> None:
    gateway = gateway_factory(accounts=[{"name": "only", "auth_token": TOKEN}], max_retries=None)
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "warm up"}])
        upstream.add_fault("http_502", path="/api/v2/chat/completions", times=1)
        answer = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "next"}])
    assert answer.choices[0].message.content == expected_answer("next")  # the SDK asked again


def _accounts(count: int) -> list[Account]:
    return [Account(f"a{i}", Qwen(api_key=f"token-{i}", base_url="http://127.0.0.1:9")) for i in range(count)]


async def test_least_busy_selection_under_a_per_account_cap() -> None:
    pool = AccountPool(_accounts(2), max_concurrency=1, wait_timeout=30)
    first = await pool.acquire()
    second = await pool.acquire()
    assert {first.name, second.name} == {"a0", "a1"}
    waiting = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0)  # let it find every account at its cap
    assert not waiting.done()
    pool.release(second)
    third = await waiting
    assert third is second and third.in_flight == 1


async def test_cooldowns_honour_retry_hints_and_exhaustion_is_explained() -> None:
    pool = AccountPool(_accounts(2))
    a0, a1 = pool.accounts
    assert pool.penalize(a0, RateLimitError("slow down", retry_after=42.0))
    assert 41 < pool.snapshot()[0]["cooldown_seconds"] <= 42
    assert pool.penalize(a1, QwenAntiBotError("blocked"))
    assert not pool.penalize(a1, QwenAPIStatus5xxError("upstream down", status_code=502))  # not the account's fault
    with pytest.raises(GatewayError) as caught:
        await pool.acquire()
    assert caught.value.status == 503 and caught.value.retry_after is not None
    only_rate_limited = AccountPool(_accounts(1))
    only_rate_limited.penalize(only_rate_limited.accounts[0], RateLimitError("x", retry_after=5))
    with pytest.raises(GatewayError) as limited:
        await only_rate_limited.acquire()
    assert limited.value.status == 429 and limited.value.headers() == {"Retry-After": "5"}


def test_renewed_tokens_are_written_back_atomically_with_mode_0600(
    gateway_factory: GatewayFactory, upstream: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QWEN_AUTH_BASE_URL", upstream.url)
    expired = upstream.mint_token(lifetime=0.001)
    refresh = upstream.mint_refresh_token()
    gateway = gateway_factory(
        accounts=[{"name": "renewing", "auth_token": expired, "refresh_token": refresh, "note": "kept"}]
    )
    files = sorted(tmp_path.glob("accounts-*.json"))
    assert len(files) == 1
    with openai.OpenAI(base_url=gateway.base_url, api_key="unused", max_retries=0) as client:
        completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "renew"}])
    assert completion.choices[0].message.content == expected_answer("renew")
    saved = load_accounts_file(files[0])
    assert saved[0].auth_token != expired and saved[0].refresh_token != refresh
    assert saved[0].raw["note"] == "kept"
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert json.loads(files[0].read_text())[0]["name"] == "renewing"
    assert not list(tmp_path.glob(".accounts-*"))  # no temporary file left behind


def test_a_rate_limited_only_account_answers_429_with_retry_after_until_it_cools(
    gateway_factory: GatewayFactory, upstream: RunningServer
) -> None:
    upstream.add_fault("http_429", retry_after=30)  # every chat endpoint, the model list included
    gateway = gateway_factory()
    body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}]}
    with httpx.Client(base_url=gateway.url, timeout=30) as http:
        first = http.post("/v1/chat/completions", json=body)
        again = http.post("/v1/chat/completions", json=body)
        health = http.get("/healthz")
    assert first.status_code == 429 and first.headers["retry-after"] == "30"
    assert again.status_code == 429 and 1 <= int(again.headers["retry-after"]) <= 30
    assert again.json()["error"]["type"] == "rate_limit_error"
    assert health.status_code == 503 and health.json()["status"] == "degraded"
    calls = [r for r in upstream.state.requests if r.path.startswith("/api/")]
    assert len(calls) == 1  # the cooling account is not asked again


async def test_a_conversation_waits_for_its_busy_account_then_takes_another() -> None:
    pool = AccountPool(_accounts(2), max_concurrency=1, wait_timeout=30)
    pool.prefer_wait = 0.05
    owner = await pool.acquire(prefer="a0")
    assert owner.name == "a0"
    waiting = asyncio.ensure_future(pool.acquire(prefer="a0", wait_for_prefer=True))
    await asyncio.sleep(0)
    assert not waiting.done()  # a1 is free, but the conversation's chat lives on a0
    pool.release(owner)
    assert (await waiting).name == "a0"
    other = await pool.acquire(prefer="a0", wait_for_prefer=True)  # a0 is busy again: given up after prefer_wait
    assert other.name == "a1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ("{}", "non-empty JSON list"),
        ("[]", "non-empty JSON list"),
        ('["x"]', "must be an object"),
        ('[{"name": "a"}]', "needs a name and an auth_token"),
        ('[{"name": "a", "auth_token": ""}]', "non-empty string"),
        ('[{"name": "a", "auth_token": "t"}, {"name": "a", "auth_token": "u"}]', "used twice"),
        ('[{"name": "a", "auth_token": "t", "headers": {"x": 1}}]', "headers must map"),
    ],
)
def test_bad_accounts_files_are_refused_clearly(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "accounts.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(AccountFileError) as caught:
        load_accounts_file(file)
    assert message in str(caught.value)
    with pytest.raises(AccountFileError, match="No such file"):
        load_accounts_file(tmp_path / "missing.json")


def test_account_specs_never_show_their_token() -> None:
    spec = parse_accounts([{"name": "a", "auth_token": "secret-token", "cookie": "c=1"}], "inline")[0]
    assert "secret-token" not in repr(spec)
    assert spec.to_json() == {"name": "a", "auth_token": "secret-token", "cookie": "c=1"}


def test_unknown_keys_are_named_in_a_warning_and_kept(caplog: pytest.LogCaptureFixture) -> None:
    entry = {"name": "a", "auth_token": "secret-token", "pasword": "hunter2", "note": 1}
    with caplog.at_level("WARNING", logger="qwen_api.gateway"):
        spec = parse_accounts([entry], "accounts.json")[0]
    assert caplog.messages == [
        "accounts.json[0]: unknown keys 'note', 'pasword' ignored "
        "(an account has name, auth_token, refresh_token, cookie, headers)"
    ]
    assert "hunter2" not in caplog.text  # names only, never values
    assert spec.to_json()["pasword"] == "hunter2"  # a rewrite of the file keeps them
    caplog.clear()
    with caplog.at_level("WARNING", logger="qwen_api.gateway"):
        parse_accounts([{"name": "b", "auth_token": "t", "cookie": "c", "refresh_token": "r", "headers": {}}], "f")
    assert caplog.messages == []
