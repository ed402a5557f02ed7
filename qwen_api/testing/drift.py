"""Protocol drift on request: the local server answers as if the service had changed its wire format.

``qwen doctor`` has to notice when chat.qwen.ai renames or drops a field; this lets a test (or a
user trying the doctor) make the local server do exactly that. A request carrying

    x-qwen-mock-drift: rename=response_id:responseId; drop=usage

gets its JSON answer, or every ``data:`` event of its stream, rewritten: each object key
``response_id`` becomes ``responseId`` and every ``usage`` key is removed, at any depth. Several
``rename=`` / ``drop=`` parts may be given. It is a plain header, so it reaches the server through
``default_headers`` or ``QWEN_EXTRA_HEADERS`` like the fault header (``x-qwen-mock-fault``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

__all__ = ["DRIFT_HEADER", "Drift", "parse_drift_header", "with_drift"]

DRIFT_HEADER = "x-qwen-mock-drift"


@attrs.frozen
class Drift:
    """Key renames and removals applied to every JSON object of an answer."""

    renames: tuple[tuple[str, str], ...] = ()
    drops: tuple[str, ...] = ()

    def apply(self, value: Any) -> Any:
        """``value`` with the renames and removals applied to every object in it."""
        if isinstance(value, Mapping):
            renamed = dict(self.renames)
            return {renamed.get(key, key): self.apply(item) for key, item in value.items() if key not in self.drops}
        if isinstance(value, list):
            return [self.apply(item) for item in value]
        return value

    def rewrite_json(self, text: bytes) -> bytes:
        """A JSON document rewritten (returned unchanged when it is not JSON)."""
        try:
            value = json.loads(text)
        except ValueError:
            return text
        return json.dumps(self.apply(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def rewrite_body(self, body: bytes, event_stream: bool) -> bytes:
        """An answer body rewritten: each event of an event stream, or the JSON document."""
        if not event_stream:
            return self.rewrite_json(body)
        lines = body.split(b"\n")
        for index, line in enumerate(lines):
            if line.startswith(b"data:"):
                lines[index] = b"data: " + self.rewrite_json(line[5:].strip())
        return b"\n".join(lines)


def parse_drift_header(value: str) -> Drift:
    """Parse ``rename=OLD:NEW; drop=KEY; ...``; raises ValueError with a readable message."""
    renames: list[tuple[str, str]] = []
    drops: list[str] = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        action, sep, argument = part.partition("=")
        action, argument = action.strip(), argument.strip()
        if action == "rename" and sep:
            old, colon, new = argument.partition(":")
            if colon and old.strip() and new.strip():
                renames.append((old.strip(), new.strip()))
                continue
        elif action == "drop" and sep and argument:
            drops.append(argument)
            continue
        raise ValueError(f"bad {DRIFT_HEADER} part {part!r}: expected rename=OLD:NEW or drop=KEY")
    return Drift(tuple(renames), tuple(drops))


class DriftedResponse(Response):
    """Plays ``inner`` and rewrites its body on the way out (``Content-Length`` adjusted)."""

    def __init__(self, inner: Response, drift: Drift) -> None:
        super().__init__()
        self.inner = inner
        self.drift = drift

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        event_stream = False

        async def rewriting_send(message: Message) -> None:
            nonlocal start, event_stream
            if message["type"] == "http.response.start":
                start = message
                content_type = dict((k.lower(), v) for k, v in message.get("headers", [])).get(b"content-type", b"")
                event_stream = content_type.startswith(b"text/event-stream")
                return
            if message["type"] == "http.response.body":
                body = self.drift.rewrite_body(message.get("body", b""), event_stream)
                if start is not None:
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    if not message.get("more_body", False):
                        headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    start = None
                await send({**message, "body": body})
                return
            await send(message)

        await self.inner(scope, receive, rewriting_send)
        if start is not None:  # a response without a body message
            await send(start)


def with_drift(request: Request, response: Response) -> Response:
    """``response``, rewritten as the request's ``x-qwen-mock-drift`` header asks (unchanged without it)."""
    value = request.headers.get(DRIFT_HEADER)
    if not value or not value.strip():
        return response
    try:
        drift = parse_drift_header(value)
    except ValueError as exc:
        return Response(f"qwen mock server: {exc}", status_code=400, media_type="text/plain")
    return DriftedResponse(response, drift)
