"""`make bench-instructions`: the SDK's work per streamed event and per call, counted by callgrind.

The CPU-time rows of ``make bench`` move with the host's load by more than the margins they judge
(±0.1 in a ratio between runs of one commit on this shared machine). Instruction counts do not: this
script runs each contender under ``valgrind --tool=callgrind`` twice, a short and a long run in fresh
processes, and divides the difference in instructions by the difference in events or calls, so the
start-up cancels. Counts ignore cache misses and how fast each instruction runs, so they say whether
a change moved the work, not what it costs in time; ``make bench`` stays the judge of the targets.

Needs ``valgrind`` on PATH (Debian: ``apt-get install valgrind``). Takes about five minutes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(HERE.parent)]

import bench  # noqa: E402  (scripts/bench.py: the virtualenvs and the request templates)
from gateway_bench import process  # noqa: E402

#: One contender's run in a fresh process (its working directory has no qwen_api): the SDK of this
#: checkout or the legacy virtualenv's, then the work. Arguments: contender, what, server URL,
#: templates file, count, this checkout, scripts/bench.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[7])
if sys.argv[1] != "legacy":  # the legacy virtualenv's own qwen_api (1.4.16), never this checkout's
    sys.path[:0] = [sys.argv[6], sys.argv[6] + "/generated"]
import worker, workloads
contender, what, url, templates, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
if contender == "legacy":
    client = worker.LegacySdk(url)
elif contender == "qwen":
    client = worker.QwenSdk(url, {})
else:
    client = worker.RawHttpx(url, json.load(open(templates)), {})
if what == "events":
    client.turn(workloads.SHORT_PROMPT, settle=0.3)
else:
    call = client.call if contender == "qwen" else client.turn
    for _ in range(count + 2):
        call(workloads.SHORT_PROMPT)
"""

#: Events of the short and the long stream; calls of the short and the long run.
EVENTS = (1000, 5000)
CALLS = (10, 50)
_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(python: str, contender: str, what: str, url: str, templates: Path, count: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        python,
        "-c",
        CHILD,
        contender,
        what,
        url,
        str(templates),
        str(count),
        str(ROOT),
        str(HERE),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=HERE)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{contender} {what} failed under callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_unit(
    python: str, contender: str, what: str, urls: tuple[str, str], templates: Path, counts: tuple[int, int]
) -> float:
    """Instructions per event (or call): the long run's count less the short run's, over the difference."""
    short, long = (
        instructions(python, contender, what, url, templates, n) for url, n in zip(urls, counts, strict=True)
    )
    return (long - short) / (counts[1] - counts[0])


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("make bench-instructions needs valgrind on PATH (Debian: apt-get install valgrind)")
    python = sys.executable
    legacy = bench.ensure_venvs().get("legacy")
    results: dict[str, float] = {}
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    templates = out / "templates.json"
    with (
        process([python, "-m", "qwen_api.testing", "--port", "0"]) as (local, _),
        process([python, str(HERE / "wire_server.py"), str(EVENTS[0])]) as (short_stream, _),
        process([python, str(HERE / "wire_server.py"), str(EVENTS[1])]) as (long_stream, _),
    ):
        # The SDK's own requests, which raw httpx replays (the wire server answers the same paths).
        templates.write_text(json.dumps(bench.capture_templates(local)), encoding="utf-8")
        # The v1-path events of `make bench`'s 1.4.16 row (1.4.16 cannot send a header to choose how many).
        for contender in ("qwen", "raw-httpx", "legacy"):
            interpreter = legacy if contender == "legacy" else python
            if interpreter is None:
                print(f"{contender}: skipped (no bench virtualenv)", flush=True)
                continue
            value = per_unit(interpreter, contender, "events", (short_stream, long_stream), templates, EVENTS)
            results[f"v1-path stream, instructions per event: {contender}"] = value
            print(f"v1-path stream, {contender}: {value / 1000:.1f} k instructions per event", flush=True)
        # The non-stream row: chat.create against raw httpx sending the same requests and header set.
        for contender in ("qwen", "raw-httpx"):
            value = per_unit(python, contender, "calls", (local, local), templates, CALLS)
            results[f"non-stream call, instructions per call: {contender}"] = value
            print(f"non-stream call, {contender}: {value / 1e6:.2f} M instructions per call", flush=True)
    (out / "instructions.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    event, call = "v1-path stream, instructions per event: ", "non-stream call, instructions per call: "
    ratios = {
        "qwen-api 1.4.16 / qwen, per event": (event + "legacy", event + "qwen"),
        "qwen / raw httpx, per event": (event + "qwen", event + "raw-httpx"),
        "qwen / raw httpx, per non-stream call": (call + "qwen", call + "raw-httpx"),
    }
    for name, (top, bottom) in ratios.items():
        if top in results and bottom in results:
            print(f"{name}: {results[top] / results[bottom]:.2f}x")
    print(f"JSON: {(out / 'instructions.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
