"""What the benchmarks feed the contenders: recorded-shape SSE bytes, sizes, prompts (stdlib only).

Every workload is built from the recorded answer stream ``tests/fixtures/qwen-wire/
t2t_fast_answer_turn1.sse``: its typing events (about 435 bytes each with the blank line, nested
``usage`` included) are cycled byte for byte, so every contender decodes exactly the same bytes. This
module is imported by the orchestrator and by the workers, which may run in another virtualenv (the
legacy SDK's, the openai/anthropic one), so it must not import anything outside the standard library.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "qwen-wire" / "t2t_fast_answer_turn1.sse"

MODEL = "qwen3.7-plus"  # an exact id: an alias would add a one-time model-list request
#: The local server answers "You said: " + prompt. A prompt of this length makes ``input_tokens``
#: four digits like the recording (1011), and 8-character deltas then give events of ~435 bytes.
LONG_PROMPT = ("Tell me about the weather in Hanoi in the autumn, please. " * 80)[:4030]
STREAM_CHUNK_SIZE = 8
SHORT_PROMPT = "hello"


def recorded_events() -> tuple[bytes, list[bytes], bytes]:
    """(``response.created`` frame, the answer's typing frames, the final ``finished`` frame)."""
    frames = [block + b"\n\n" for block in FIXTURE.read_bytes().split(b"\n\n") if block.strip()]
    typing = [frame for frame in frames if b'"usage"' in frame]
    return frames[0], typing, frames[-1]


def recorded_stream(events: int) -> bytes:
    """``events`` frames shaped like the recording: created, typing frames cycled, finished."""
    created, typing, finished = recorded_events()
    body = [created]
    body.extend(typing[i % len(typing)] for i in range(events - 2))
    body.append(finished)
    return b"".join(body)


def typing_frames(events: int) -> list[bytes]:
    """Only the typing frames (each with ``usage``): what qwen-api 1.4.16 can parse without crashing."""
    _created, typing, _finished = recorded_events()
    return [typing[i % len(typing)] for i in range(events)]


def big_event(size: int) -> bytes:
    """One recorded-shape typing frame of about ``size`` bytes: its ``content`` is the recorded answer
    text repeated (UTF-8, Vietnamese, so not pure ASCII)."""
    _created, typing, _finished = recorded_events()
    event = json.loads(typing[1][len(b"data: ") :])
    answer = "".join(json.loads(frame[6:])["choices"][0]["delta"]["content"] for frame in typing)
    skeleton = len(typing[1])
    unit = answer.encode("utf-8")
    text = (unit * (max(size - skeleton, 0) // len(unit) + 1)).decode("utf-8", "ignore")
    while len(text.encode("utf-8")) > size - skeleton:
        text = text[: len(text) - max(1, (len(text.encode("utf-8")) - (size - skeleton)) // 2)]
    event["choices"][0]["delta"]["content"] = text
    return b"data: " + json.dumps(event, ensure_ascii=False).encode("utf-8") + b"\n\n"


def reads(body: bytes, size: int) -> list[bytes]:
    """``body`` as the network would hand it over, in reads of ``size`` bytes."""
    return [body[start : start + size] for start in range(0, len(body), size)]


def mean_event_size(body: bytes) -> float:
    """Mean size of the typing frames in ``body``, blank line included."""
    frames = [frame for frame in body.split(b"\n\n") if b'"usage"' in frame]
    return sum(len(frame) + 2 for frame in frames) / max(len(frames), 1)


#: An ISO-BMFF ``ftyp`` box: the SDK sniffs the file as video/mp4 (500 MiB limit; documents stop at 100
#: MiB and would be parsed after the upload).
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def write_upload_file(path: Path, size: int) -> None:
    """``size`` bytes that look like an MP4 to the SDK; the rest is random (1 MiB block repeated)."""
    import os

    block = os.urandom(1 << 20)
    with path.open("wb") as file:
        file.write(MP4_HEAD)
        remaining = size - len(MP4_HEAD)
        while remaining > 0:
            file.write(block[: min(remaining, len(block))])
            remaining -= len(block)
