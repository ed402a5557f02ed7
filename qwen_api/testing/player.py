"""Plays an SSE frame script on the wire: pacing, stop requests, disconnects and mid-stream faults.

The scripts (:mod:`.streams`) only say *what* the service sends; this player decides *when* and
what breaks: it sleeps between events (waking early on disconnect or shutdown), ends a stopped turn
with ``response.stopped``, and injects the mid-stream faults after ``after`` events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

from starlette.responses import Response
from starlette.types import Scope, Send

from .connection import ControlledResponse, RequestWatch, abort_connection
from .context import Runtime, chat_headers
from .faults import FaultSpec
from .streams import data_frame

_YIELD_EVERY = 4
"""An unpaused stream lets the event loop run after this many events: a client that left is noticed
(uvicorn then drops further writes) before asyncio's fifth write into the closed socket, which it logs."""

__all__ = ["EventStream"]


class EventStream(ControlledResponse):
    """Plays a frame script: pacing, stop requests, client disconnects and mid-stream faults."""

    def __init__(
        self,
        runtime: Runtime,
        frames: Iterator[bytes],
        *,
        request_id: str,
        delay: float,
        fault: FaultSpec | None,
        response_id: str | None = None,
        on_done: Callable[[bool], None] | None = None,
        actual: int = 200,
    ) -> None:
        super().__init__(runtime.control)
        self.runtime = runtime
        self.frames = frames
        self.request_id = request_id
        self.delay = delay
        self.fault = fault
        self.response_id = response_id
        self.on_done = on_done
        self.actual = actual

    async def play(self, scope: Scope, send: Send, watch: RequestWatch) -> Response | None:
        """Send the events, with the planned pauses and faults, then end the stream."""
        headers = {
            "content-type": "text/event-stream; charset=utf-8",
            **chat_headers(self.request_id, self.actual),
            "x-accel-buffering": "no",
        }
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        fault = self.fault
        stopped = False
        for sent, frame in enumerate(self.frames):  # `sent`: frames already on the wire
            if fault is not None and sent == fault.events_before:
                outcome = await self._fault(fault, scope, send, watch)
                fault = None
                if outcome != "continue":
                    return None
            if self.response_id is not None and self.response_id in self.runtime.state.stopped_responses:
                await self._send(send, data_frame({"response.stopped": {"response_id": self.response_id}}))
                stopped = True
                break
            if sent and self.delay and not await watch.sleep(self.delay):
                await abort_connection(scope, watch)
                return None
            if watch.disconnected:
                return None
            await self._send(send, frame)
            if not self.delay and sent % _YIELD_EVERY == _YIELD_EVERY - 1:
                # Without pauses nothing here waits, so the loop never ran to see a client that left:
                # the stream went on writing into a closed socket, and asyncio logged every write.
                await asyncio.sleep(0)
        if fault is not None and not stopped:
            # `after` at or beyond the script's length: the fault lands at the end.
            outcome = await self._fault(fault, scope, send, watch)
            if outcome != "continue":
                return None
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        if self.on_done is not None:
            self.on_done(stopped)
        return None

    @staticmethod
    async def _send(send: Send, frame: bytes) -> None:
        await send({"type": "http.response.body", "body": frame, "more_body": True})

    async def _fault(self, fault: FaultSpec, scope: Scope, send: Send, watch: RequestWatch) -> str:
        """Play a mid-stream fault; "continue" lets the script go on, anything else ends the response."""
        name = fault.name
        if name == "drop_after_events":
            await abort_connection(scope, watch)
            return "dropped"
        if name == "stall_between_events":
            if await watch.sleep(fault.seconds):
                return "continue"
            await abort_connection(scope, watch)
            return "dropped"
        if name == "malformed_event":
            await self._send(send, b'data: {"choices": [{"delta": {"role": "assistant", "content": "brok\n\n')
            return "continue"
        if name == "invalid_utf8":
            frame = data_frame(
                {
                    "choices": [
                        {"delta": {"role": "assistant", "content": "\x00", "phase": "answer", "status": "typing"}}
                    ],
                    "response_id": self.response_id,
                }
            )
            await self._send(send, frame.replace(b"\\u0000", b"\xff\xfe\xfd"))
            return "continue"
        if name == "stream_error":
            details = fault.params.get("details", "内容安全警告：输入数据可能包含不适当的内容！")  # noqa: RUF001
            error = {"modality": ["text"], "code": "data_inspection_failed", "stage": "input", "details": details}
            await self._send(send, data_frame({"error": error, "response_id": self.response_id, "response_index": 0}))
        else:  # stream_error_string, exactly as recorded (compact)
            await self._send(send, b'data: {"error":"Internal error!"}\n\n')
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return "ended"
