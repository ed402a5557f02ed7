"""One benchmark contender in its own process: ``python worker.py CONTENDER``.

The orchestrator (``scripts/bench.py``) writes one JSON command per line on stdin and reads one JSON
answer per line on stdout. A command runs one repetition of one benchmark and answers what it cost
*this* process: ``cpu`` (``time.process_time()`` seconds: user + system, all threads) and ``wall``
(``time.perf_counter()`` seconds), plus benchmark-specific figures. The server, when there is one,
is another process, so its work is never counted. Keeping the process alive between repetitions
lets the orchestrator interleave contenders (A B A B ...) after a warm-up run.

Contenders and where they run:

- ``floor``, ``qwen``, ``qwen-stdlib-json``, ``raw-httpx``: the project's virtualenv;
- ``openai``, ``anthropic``: a bench-only virtualenv with openai-python and anthropic-sdk-python;
- ``legacy``: a bench-only virtualenv with qwen-api 1.4.16 (same distribution name as this project).

Only the imports a contender needs happen, inside its functions, so each virtualenv loads only what
it has.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

import workloads

try:
    import resource
except ImportError:  # Windows: no page-fault counts, no peak RSS
    resource = None  # type: ignore[assignment]

CONTENDER = sys.argv[1] if len(sys.argv) > 1 else ""
_cache: dict[str, Any] = {}


def cached(key: str, build: Callable[[], Any]) -> Any:
    if key not in _cache:
        _cache[key] = build()
    return _cache[key]


# --------------------------------------------------------------------------------------------
# Decoding bytes held in memory
# --------------------------------------------------------------------------------------------


def decoder(contender: str, body: bytes, chunks: list[bytes]) -> Callable[[], int]:
    """A function that decodes ``body`` (given as ``chunks``) once and returns the event count."""
    if contender == "floor":
        loads = json.loads

        def floor() -> int:
            blocks = body.split(b"\n\n")
            blocks.pop()
            for block in blocks:
                loads(block[6:])
            return len(blocks)

        return floor
    if contender in ("qwen", "qwen-stdlib-json"):
        from qwen_api import _stream_parser
        from qwen_api._sse import SSEDecoder
        from qwen_api._stream_parser import StreamState

        if contender == "qwen-stdlib-json":
            _stream_parser._loads = json.loads  # what users get where orjson is not installed

        def qwen() -> int:
            sse, state, count = SSEDecoder(), StreamState(model=workloads.MODEL), 0
            for chunk in chunks:
                for payload in sse.feed(chunk):
                    event = state.feed(payload)
                    if event is not None:
                        event.choices[0].delta.content  # noqa: B018 - what a reader does with a chunk
                        count += 1
            return count

        return qwen
    if contender in ("openai", "anthropic"):
        if contender == "openai":
            from openai._streaming import SSEDecoder as PeerDecoder
        else:
            from anthropic._streaming import SSEDecoder as PeerDecoder  # type: ignore[no-redef]
        loads = json.loads

        def peer() -> int:
            count = 0
            for sse in PeerDecoder().iter_bytes(iter(chunks)):
                loads(sse.data)
                count += 1
            return count

        return peer
    raise ValueError(f"no decoder for {contender}")


def run_decode(params: dict[str, Any]) -> dict[str, Any]:
    kind, size, read_size = params["kind"], params["size"], params["read_size"]

    def build() -> tuple[Callable[[], int], bytes]:
        body = workloads.recorded_stream(size) if kind == "stream" else workloads.big_event(size)
        # `body` stays referenced for every contender: freeing a multi-megabyte buffer moves glibc's
        # mmap threshold, which changed later timings of big parses by up to 2x in some processes only.
        return decoder(CONTENDER, body, workloads.reads(body, read_size)), body

    run, _body = cached(f"decode/{kind}/{size}/{read_size}", build)
    return measure(lambda: {"events": run()})


# --------------------------------------------------------------------------------------------
# Talking to a server
# --------------------------------------------------------------------------------------------


class RawHttpx:
    """What a user of plain httpx writes: the same two requests as the SDK, lines + json.loads."""

    def __init__(self, base_url: str, templates: dict[str, Any], extra_headers: dict[str, str]) -> None:
        import httpx

        self.httpx = httpx
        self.base_url = base_url
        self.new = templates["new"]
        self.completion = templates["completion"]
        self.extra = extra_headers
        self.client = httpx.Client(base_url=base_url, timeout=30)

    def _new_chat(self, client: Any) -> str:
        response = client.post(self.new["path"], headers=self.new["headers"], json=self.new["json"])
        return str(response.json()["data"]["id"])

    def _completion(self, chat_id: str, prompt: str) -> tuple[str, dict[str, Any], dict[str, str]]:
        template = self.completion["json"]  # what a hand-written client builds as a literal
        body = {**template, "chat_id": chat_id, "chatId": chat_id}
        body["messages"] = [{**template["messages"][0], "content": prompt}]
        headers = {**self.completion["headers"], **self.extra}
        return f"{self.completion['path']}?chat_id={chat_id}", body, headers

    def turn(self, prompt: str, first_token: list[float] | None = None, settle: float = 0) -> str:
        started = time.perf_counter()
        client = self.client
        url, body, headers = self._completion(self._new_chat(client), prompt)
        parts: list[str] = []
        loads = json.loads
        with client.stream("POST", url, json=body, headers=headers) as response:
            time.sleep(settle)
            for line in response.iter_lines():
                if line.startswith("data:"):
                    choices = loads(line[5:]).get("choices")
                    if choices:
                        content = choices[0]["delta"].get("content")
                        if content:
                            if first_token is not None and not parts:
                                first_token.append(time.perf_counter() - started)
                            parts.append(content)
        return "".join(parts)

    async def aturn(self, client: Any, prompt: str) -> int:
        url, body, headers = self._completion(await self._anew_chat(client), prompt)
        events = 0
        loads = json.loads
        async with client.stream("POST", url, json=body, headers=headers) as response:
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    choices = loads(line[5:]).get("choices")
                    if choices:
                        choices[0]["delta"].get("content")
                    events += 1
        return events

    async def _anew_chat(self, client: Any) -> str:
        response = await client.post(self.new["path"], headers=self.new["headers"], json=self.new["json"])
        return str(response.json()["data"]["id"])


class QwenSdk:
    """This project's SDK, used as documented."""

    def __init__(self, base_url: str, extra_headers: dict[str, str]) -> None:
        from qwen_api import Qwen

        self.new_client = lambda: Qwen(
            api_key="bench-token", base_url=base_url, default_headers=extra_headers, max_retries=0
        )
        self.client = self.new_client()

    def turn(self, prompt: str, first_token: list[float] | None = None, settle: float = 0) -> str:
        started = time.perf_counter()
        messages = [{"role": "user", "content": prompt}]
        parts: list[str] = []
        from qwen_api import QwenStreamInterruptedError

        with self.client.chat.create(messages, model=workloads.MODEL, stream=True) as stream:
            time.sleep(settle)
            try:
                for chunk in stream:
                    content = chunk.choices[0].delta.content
                    if content:
                        if first_token is not None and not parts:
                            first_token.append(time.perf_counter() - started)
                        parts.append(content)
            except QwenStreamInterruptedError:
                # The wire server's body has no end-of-answer marker (qwen-api 1.4.16 crashes on it), so
                # the SDK reports the answer cut short once every event was read; the timing is complete.
                if not parts:
                    raise
        return "".join(parts)

    def call(self, prompt: str) -> str:
        response = self.client.chat.create([{"role": "user", "content": prompt}], model=workloads.MODEL)
        return response.choices[0].message.content

    async def aturn(self, client: Any, prompt: str) -> int:
        events = 0
        stream = await client.chat.acreate([{"role": "user", "content": prompt}], model=workloads.MODEL, stream=True)
        async with stream:
            async for chunk in stream:
                chunk.choices[0].delta.content  # noqa: B018
                events += 1
        return events


class LegacySdk:
    """qwen-api 1.4.16 (requests + sseclient + pydantic), streaming as its README shows."""

    def __init__(self, base_url: str) -> None:
        from qwen_api import Qwen  # the 1.4.16 package of the same name, in its own virtualenv

        self.client = Qwen(api_key="bench-token", cookie="token=bench-token", base_url=base_url, log_level="ERROR")

    def turn(self, prompt: str, first_token: list[float] | None = None, settle: float = 0) -> str:
        parts: list[str] = []
        chunks = self.client.chat.create([{"role": "user", "content": prompt}], model=workloads.MODEL, stream=True)
        time.sleep(settle)  # the request was sent and its headers read by create()
        for chunk in chunks:
            content = chunk.choices[0].delta.content
            if content:
                parts.append(content)
        return "".join(parts)


def client_for(params: dict[str, Any]) -> Any:
    key = f"client/{params['base_url']}"

    def build() -> Any:
        extra = params.get("headers", {})
        if CONTENDER == "raw-httpx":
            return RawHttpx(params["base_url"], params["templates"], extra)
        if CONTENDER == "qwen":
            return QwenSdk(params["base_url"], extra)
        if CONTENDER == "legacy":
            return LegacySdk(params["base_url"])
        raise ValueError(f"{CONTENDER} cannot talk to a server")

    return cached(key, build)


def run_stream(params: dict[str, Any]) -> dict[str, Any]:
    client = client_for(params)
    settle = params.get("settle", 0)
    result = measure(lambda: {"chars": len(client.turn(params["prompt"], settle=settle))})
    result["per_event_us"] = result["cpu"] / params["events"] * 1e6
    return result


def run_calls(params: dict[str, Any]) -> dict[str, Any]:
    client = client_for(params)
    prompt, calls = params["prompt"], params["calls"]
    call = client.call if CONTENDER == "qwen" else client.turn

    def loop() -> dict[str, Any]:
        for _ in range(calls):
            call(prompt)
        return {}

    result = measure(loop)
    result["per_call_us"] = result["cpu"] / calls * 1e6
    return result


def run_ttft(params: dict[str, Any]) -> dict[str, Any]:
    client = client_for(params)
    samples: list[float] = []
    for _ in range(params["calls"]):
        client.turn(params["prompt"], samples)
    return {"ttft_ms": statistics.median(samples) * 1000, "calls": len(samples)}


def run_concurrent(params: dict[str, Any]) -> dict[str, Any]:
    streams, prompt = params["streams"], params["prompt"]
    client = client_for(params)

    async def main() -> tuple[int, int, list[str]]:
        if CONTENDER == "raw-httpx":
            import httpx

            async with httpx.AsyncClient(
                base_url=params["base_url"], timeout=60, limits=httpx.Limits(max_connections=streams)
            ) as http:
                results = await asyncio.gather(
                    *(client.aturn(http, prompt) for _ in range(streams)), return_exceptions=True
                )
        else:  # one SDK client for all the streams, like the raw contender's one AsyncClient
            sdk = client.new_client()
            results = await asyncio.gather(*(client.aturn(sdk, prompt) for _ in range(streams)), return_exceptions=True)
            await sdk.aclose()
        errors = [repr(r) for r in results if isinstance(r, BaseException)]
        return sum(r for r in results if isinstance(r, int)), len(errors), errors[:3]

    box: dict[str, Any] = {}

    def go() -> dict[str, Any]:
        box["events"], box["errors"], box["examples"] = asyncio.run(main())
        return dict(box)

    result = measure(go)
    result["events_per_s"] = result["events"] / result["wall"]
    return result


# --------------------------------------------------------------------------------------------
# Upload (a fresh process per run: peak RSS only grows)
# --------------------------------------------------------------------------------------------


def _rss_now() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak so far is the best we have
        return _rss_peak()


def _rss_peak() -> int:
    if resource is None:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def run_upload(params: dict[str, Any]) -> dict[str, Any]:
    path, small, base_url = params["path"], params["small_path"], params["base_url"]
    if CONTENDER == "qwen":
        from qwen_api import Qwen

        client = Qwen(api_key="bench-token", base_url=base_url, max_retries=0)

        def upload(file: str) -> int:
            return client.chat.upload_file(file_path=file).size

    elif CONTENDER == "raw-httpx":
        upload = raw_upload(base_url, params["templates"])
    else:
        raise ValueError(f"{CONTENDER} does not upload")
    upload(small)  # warm-up: every module and connection the big upload needs is loaded/open
    gc.collect()
    before = _rss_now()
    result = measure(lambda: {"bytes": upload(path)})
    result["rss_growth"] = max(0, _rss_peak() - before)
    result["mib_per_s"] = result["bytes"] / result["wall"] / (1 << 20)
    return result


def raw_upload(base_url: str, templates: dict[str, Any]) -> Callable[[str], int]:
    """getstsToken, sign (the project's pure signing helper), then ``httpx`` PUT of the open file."""
    from datetime import UTC, datetime
    from pathlib import Path

    import httpx

    from qwen_api._oss_signing import OssCredentials, canonical_uri, region_id, sign_v4

    client = httpx.Client(base_url=base_url, timeout=120)
    storage = httpx.Client(timeout=120)
    sts_template = templates["sts"]

    def upload(file: str) -> int:
        size = Path(file).stat().st_size
        body = {**sts_template["json"], "filename": Path(file).name, "filesize": str(size)}
        grant = client.post(sts_template["path"], headers=sts_template["headers"], json=body).json()["data"]
        key_path = canonical_uri(grant["bucketname"], grant["file_path"])
        endpoint = grant["endpoint"].rstrip("/")
        if "://" not in endpoint:  # a bare host, as the service sends it: the local server, path style
            endpoint = f"{base_url.split('://', 1)[0]}://{endpoint}"
        url = endpoint + key_path
        credentials = OssCredentials(grant["access_key_id"], grant["access_key_secret"], grant["security_token"])
        headers = sign_v4(
            method="PUT",
            bucket=grant["bucketname"],
            key=grant["file_path"],
            headers={"Content-Type": "video/mp4", "Content-Length": str(size)},
            credentials=credentials,
            region=region_id(grant.get("region") or "oss-ap-southeast-1"),
            now=datetime.now(UTC),
        )
        with open(file, "rb") as handle:
            response = storage.put(url, headers=headers, content=handle)
        response.raise_for_status()
        return size

    return upload


# --------------------------------------------------------------------------------------------


def measure(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    gc.collect()
    faults = _page_faults()
    cpu, wall = time.process_time(), time.perf_counter()
    extra = work()
    result = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}
    result["page_faults"] = _page_faults() - faults
    result.update(extra)
    return result


def _page_faults() -> int:
    return 0 if resource is None else resource.getrusage(resource.RUSAGE_SELF).ru_minflt


BENCHES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "decode": run_decode,
    "stream": run_stream,
    "calls": run_calls,
    "ttft": run_ttft,
    "concurrent": run_concurrent,
    "upload": run_upload,
}


def identity() -> dict[str, Any]:
    """What this process would import as ``qwen_api`` (the legacy venv must get 1.4.16, not this repo)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return {"qwen-api": version("qwen-api")}
    except PackageNotFoundError:
        return {"qwen-api": None}


def main() -> None:
    print(json.dumps({"ready": CONTENDER, "python": sys.version.split()[0], **identity()}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("op") == "exit":
            break
        try:
            answer = BENCHES[command["bench"]](command["params"])
        except Exception as exc:  # report, do not die: the orchestrator prints it
            answer = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=8)}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
