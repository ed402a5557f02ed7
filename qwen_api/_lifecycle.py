"""A client's life: calls and open streams in progress, and a ``close()`` that never pulls a socket
from under them.

Closing a connection pool while another thread is reading one of its sockets is a race: the read
fails with ``Bad file descriptor`` at best, and at worst the descriptor number was already reused
by another socket, whose bytes the reader then gets. So ``close()`` only *marks* the client closed:
new calls are refused at once with :class:`~qwen_api.QwenClientClosedError`, calls in progress stop
at their next step or read with the same error, and the pools are released by whoever finishes
last -- ``close()`` itself when nothing is in progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ._exceptions import QwenClientClosedError

__all__ = ["NEVER_CLOSED", "Lifecycle"]


class Lifecycle:
    """Counts the calls and streams in progress on a client, so ``close()`` releases the pool only
    once none uses it, and calls after ``close()`` are refused."""

    __slots__ = ("_active", "_lock", "_release", "_released", "closed")

    def __init__(self, release: Callable[[], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._release = release
        self._released = False
        self.closed: bool = False

    @staticmethod
    def error() -> QwenClientClosedError:
        """The error a call on a closed client raises."""
        return QwenClientClosedError("this client is closed (close() or aclose() was called); create a new client")

    def enter(self) -> Lifecycle:
        """A call begins; refused once the client is closed."""
        with self._lock:
            if self.closed:
                raise self.error()
            self._active += 1
        return self

    def leave(self) -> None:
        """A call (or the stream it returned) ended; the last one out after ``close()`` releases the pools."""
        with self._lock:
            self._active -= 1
            release = self.closed and self._active == 0 and not self._released
            if release:
                self._released = True
        if release and self._release is not None:
            self._release()

    def close(self) -> bool:
        """Mark closed; True when nothing is in progress, so the caller releases the pools now."""
        with self._lock:
            self.closed = True
            if self._active or self._released:
                return False
            self._released = True
            return True


NEVER_CLOSED = Lifecycle()
"""For streams made without a client (tests, adapters): nothing to leave, never closed."""
