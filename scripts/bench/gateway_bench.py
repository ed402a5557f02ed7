"""Gateway rows of ``make bench``: what ``qwen serve`` adds to calling the SDK directly.

Run by ``scripts/bench.py --only gateway`` (prints one JSON object on stdout). Processes: the local
server, ``qwen serve`` in front of it, and a byte-passing Starlette proxy (the floor); this process
is the client. Measured, with the contenders interleaved and medians taken:

* non-stream latency and time to first token: the SDK straight to the local server, against an
  HTTP client through the gateway (the gateway itself uses the same SDK, through its async methods,
  which are measured straight to the server too), and against the SDK whose answer request alone goes
  through the byte proxy (one extra hop, as through the gateway: the floor); and time to first token
  through a second gateway started with ``--warm-chats`` (each request a new conversation, answered
  in a chat made ahead: one upstream round trip fewer than the SDK's ``chats/new`` + answer);
* CPU per streamed event: the gateway process's CPU time (``/proc``) per answer event it relays, and
  the proxy's, for the same streams;
* N concurrent streams through one gateway process: errors and aggregate events/s, against the same
  streams through the byte-passing proxy read by the SDK.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from qwen_api import Qwen

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "bench-token"
MODEL = "qwen3.7-plus"
PROMPT = "Tell me about gateways."


class OneHop(httpx.BaseTransport):
    """The floor's transport: the answer request (``.../chat/completions``) goes through the byte proxy,
    everything else (``chats/new``) straight to the server.

    Through the gateway the client makes one request and the gateway makes the upstream ones, so one
    hop is added; an SDK pointed at the proxy would pay the hop twice (chat creation and answer)."""

    def __init__(self, proxy: str) -> None:
        self._inner = httpx.HTTPTransport(limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
        self._proxy = httpx.URL(proxy)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/chat/completions"):
            request.url = request.url.copy_with(host=self._proxy.host, port=self._proxy.port)
            request.headers["host"] = f"{self._proxy.host}:{self._proxy.port}"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _line(stream: Any, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


@contextlib.contextmanager
def process(command: list[str], env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    try:
        line = _line(proc.stdout, 60)
        if not line.startswith("Listening on "):
            raise RuntimeError(f"{command} printed {line!r}")
        yield line.split()[-1], proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _body(stream: bool) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "stream": stream}


def sdk_call(client: Qwen) -> float:
    started = time.perf_counter()
    client.chat.create([{"role": "user", "content": PROMPT}], model=MODEL)
    return time.perf_counter() - started


def gateway_call(http: httpx.Client) -> float:
    started = time.perf_counter()
    response = http.post("/v1/chat/completions", json=_body(False))
    response.raise_for_status()
    return time.perf_counter() - started


def sdk_ttft(client: Qwen) -> float:
    started = time.perf_counter()
    with client.chat.create([{"role": "user", "content": PROMPT}], model=MODEL, stream=True) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                first = time.perf_counter() - started
                break
        for _ in stream:
            pass
    return first


async def sdk_attft(client: Qwen) -> float:
    """The SDK's async path (the one the gateway uses), straight to the server."""
    started = time.perf_counter()
    first = None
    stream = await client.chat.acreate([{"role": "user", "content": PROMPT}], model=MODEL, stream=True)
    async for chunk in stream:
        if first is None and chunk.choices and chunk.choices[0].delta.content:
            first = time.perf_counter() - started
    assert first is not None
    return first


def gateway_ttft(http: httpx.Client) -> float:
    started = time.perf_counter()
    first = None
    with http.stream("POST", "/v1/chat/completions", json=_body(True)) as response:
        for line in response.iter_lines():
            if first is None and line.startswith("data: ") and '"content":"' in line and '"content":""' not in line:
                first = time.perf_counter() - started
    assert first is not None
    return first


def sdk_stream_cpu(client: Qwen, streams: int) -> tuple[float, int]:
    """Client CPU seconds and events for ``streams`` answers read with the SDK straight from the server."""
    events = 0
    started = time.process_time()
    for _ in range(streams):
        with client.chat.create([{"role": "user", "content": PROMPT}], model=MODEL, stream=True) as stream:
            for _chunk in stream:
                events += 1
    return time.process_time() - started, events


def gateway_stream_cpu(http: httpx.Client, pid: int, streams: int) -> tuple[float, float, int]:
    """Gateway-process CPU, client CPU and SSE events for ``streams`` answers read through the gateway."""
    events = 0
    before, started = cpu_seconds(pid), time.process_time()
    for _ in range(streams):
        with http.stream("POST", "/v1/chat/completions", json=_body(True)) as response:
            for line in response.iter_lines():
                if line.startswith("data: "):
                    events += 1
    return cpu_seconds(pid) - before, time.process_time() - started, events


def interleaved(pairs: dict[str, Any], reps: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in pairs}
    for run in pairs.values():  # warm-up
        run()
    for _ in range(reps):
        for name, run in pairs.items():
            samples[name].append(run())
    return samples


def paired_diff_ms(a: list[float], b: list[float]) -> float:
    return statistics.median(x - y for x, y in zip(a, b, strict=True)) * 1000


async def _gateway_streams(url: str, streams: int) -> tuple[int, int, float, list[str]]:
    errors, events, examples = 0, 0, []
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:

        async def one() -> int:
            count = 0
            async with http.stream("POST", "/v1/chat/completions", json=_body(True)) as response:
                if response.status_code != 200:
                    raise RuntimeError(f"status {response.status_code}: {(await response.aread())[:200]!r}")
                last = ""
                async for line in response.aiter_lines():
                    if line.startswith("data: "):
                        count += 1
                        last = line
                if last != "data: [DONE]":
                    raise RuntimeError(f"stream ended with {last[:200]!r}")
            return count

        started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(streams)), return_exceptions=True)
        elapsed = time.perf_counter() - started
    for result in results:
        if isinstance(result, BaseException):
            errors += 1
            if len(examples) < 2:
                examples.append(f"{type(result).__name__}: {result}")
        else:
            events += result
    return errors, events, elapsed, examples


async def _proxy_streams(url: str, streams: int) -> tuple[int, int, float, list[str]]:
    errors, events, examples = 0, 0, []
    client = Qwen(api_key=TOKEN, base_url=url, max_retries=0, timeout=120)
    try:

        async def one() -> int:
            count = 0
            stream = await client.chat.acreate([{"role": "user", "content": PROMPT}], model=MODEL, stream=True)
            async for _ in stream:
                count += 1
            return count

        started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(streams)), return_exceptions=True)
        elapsed = time.perf_counter() - started
    finally:
        await client.aclose()
    for result in results:
        if isinstance(result, BaseException):
            errors += 1
            if len(examples) < 2:
                examples.append(f"{type(result).__name__}: {result}")
        else:
            events += result
    return errors, events, elapsed, examples


def main() -> None:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    streams = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    answer = int(sys.argv[3]) if len(sys.argv) > 3 else 800
    python = sys.executable
    local_cmd = [python, "-m", "qwen_api.testing", "--port", "0", "--answer-length", str(answer), "--chunk-size", "8"]
    result: dict[str, Any] = {"reps": reps, "streams": streams, "answer_chars": answer}
    with process(local_cmd) as (local, _):
        gateway_cmd = [
            python,
            "-m",
            "qwen_api",
            "serve",
            "--port",
            "0",
            "--no-access-log",
            "--account-concurrency",
            str(streams * 2),
            "--max-retries",
            "0",
        ]
        env = {"QWEN_BASE_URL": local, "QWEN_AUTH_TOKEN": TOKEN}
        with (
            process(gateway_cmd, env) as (gateway, gateway_pid),
            process([*gateway_cmd, "--warm-chats"], env) as (warm_gateway, _),
            process([python, str(ROOT / "scripts" / "bench" / "byte_proxy.py"), local]) as (proxy, proxy_pid),
            httpx.Client(base_url=warm_gateway, timeout=60, limits=httpx.Limits(max_keepalive_connections=4)) as warm,
        ):
            client = Qwen(api_key=TOKEN, base_url=local, max_retries=0)
            one_hop = httpx.Client(transport=OneHop(proxy), timeout=60)
            proxied = Qwen(api_key=TOKEN, base_url=local, max_retries=0, http_client=one_hop)
            loop = asyncio.new_event_loop()  # kept for the whole run, so the async pool stays warm
            limits = httpx.Limits(max_keepalive_connections=4)
            with httpx.Client(base_url=gateway, timeout=60, limits=limits) as http:
                calls = interleaved(
                    {
                        "sdk": lambda: sdk_call(client),
                        "gateway": lambda: gateway_call(http),
                        "proxy": lambda: sdk_call(proxied),
                    },
                    reps * 8,
                )
                result["latency_ms"] = {k: statistics.median(v) * 1000 for k, v in calls.items()}
                result["latency_added_ms"] = paired_diff_ms(calls["gateway"], calls["sdk"])
                result["latency_proxy_added_ms"] = paired_diff_ms(calls["proxy"], calls["sdk"])
                ttft = interleaved(
                    {
                        "sdk": lambda: sdk_ttft(client),
                        "gateway": lambda: gateway_ttft(http),
                        "gateway_warm": lambda: gateway_ttft(warm),
                        "proxy": lambda: sdk_ttft(proxied),
                        "sdk_async": lambda: loop.run_until_complete(sdk_attft(client)),
                    },
                    reps * 20,
                )
                result["ttft_ms"] = {k: statistics.median(v) * 1000 for k, v in ttft.items()}
                result["ttft_added_ms"] = paired_diff_ms(ttft["gateway"], ttft["sdk"])
                result["ttft_proxy_added_ms"] = paired_diff_ms(ttft["proxy"], ttft["sdk"])
                result["ttft_async_added_ms"] = paired_diff_ms(ttft["sdk_async"], ttft["sdk"])
                result["ttft_beyond_proxy_ms"] = paired_diff_ms(ttft["gateway"], ttft["proxy"])
                result["ttft_warm_added_ms"] = paired_diff_ms(ttft["gateway_warm"], ttft["sdk"])
                sdk_cpu, gateway_cpu, client_cpu = [], [], []
                for _ in range(reps):
                    cpu, events = sdk_stream_cpu(client, 20)
                    sdk_cpu.append(cpu / events * 1e6)
                    g_cpu, c_cpu, g_events = gateway_stream_cpu(http, gateway_pid, 20)
                    gateway_cpu.append(g_cpu / g_events * 1e6)
                    client_cpu.append(c_cpu / g_events * 1e6)
                result["cpu_per_event_us"] = {
                    "sdk_direct_client": statistics.median(sdk_cpu),
                    "gateway_process": statistics.median(gateway_cpu),
                    "client_through_gateway": statistics.median(client_cpu),
                }
            loop.run_until_complete(client.aclose())
            loop.close()
            client.close()
            proxied.close()
            one_hop.close()
            runs = []
            for _ in range(max(1, reps // 2)):
                before = cpu_seconds(proxy_pid)
                p_err, p_events, p_time, p_examples = asyncio.run(_proxy_streams(proxy, streams))
                proxy_cpu = cpu_seconds(proxy_pid) - before
                before = cpu_seconds(gateway_pid)
                g_err, g_events, g_time, g_examples = asyncio.run(_gateway_streams(gateway, streams))
                gateway_cpu = cpu_seconds(gateway_pid) - before
                runs.append(
                    {
                        "gateway_errors": g_err,
                        "gateway_events": g_events,
                        "gateway_seconds": g_time,
                        "gateway_cpu_seconds": gateway_cpu,
                        "proxy_errors": p_err,
                        "proxy_events": p_events,
                        "proxy_seconds": p_time,
                        "proxy_cpu_seconds": proxy_cpu,
                        "examples": g_examples + p_examples,
                    }
                )
            result["concurrency"] = runs
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
