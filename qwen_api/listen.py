"""Open a server's listening sockets before uvicorn starts, so a failure to listen is an exception here.

uvicorn binds inside its own event loop: on a port in use it logs the ``OSError`` and calls ``sys.exit``
(in a thread the exception vanishes, a port out of range escapes as ``OverflowError``). Binding first,
as asyncio's ``create_server`` would (every address the host resolves to), turns each of those into one
:class:`ListenError` that says where and why, and leaves uvicorn sockets that are already listening.
"""

from __future__ import annotations

import errno
import os
import socket

__all__ = ["ListenError", "close", "listen"]

_BACKLOG = 2048  # uvicorn's default


class ListenError(OSError):
    """The server cannot listen on ``host:port``: ``str()`` is ``cannot listen on HOST:PORT: reason``."""

    def __init__(self, host: str, port: int, reason: str, code: int | None = None) -> None:
        super().__init__(code, reason)
        self.host = host
        self.port = port
        self.reason = reason

    def __str__(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"cannot listen on {shown}:{self.port}: {self.reason}"


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def listen(host: str, port: int, backlog: int = _BACKLOG) -> list[socket.socket]:
    """Sockets bound to ``port`` on every address of ``host`` (``""``: all interfaces) and listening.

    With ``port`` 0 the first socket picks a free port and the others take the same one. An address
    the system cannot assign (an IPv6 ``localhost`` where IPv6 is off) is skipped while another binds.

    Raises:
        ValueError: ``port`` is outside 0-65535.
        ListenError: the host does not resolve, or no address could be bound (the port is in use...).
    """
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be between 0 and 65535, got {port}")
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        reason = _reason(exc) if isinstance(exc, OSError) else "not a valid host name"
        raise ListenError(host, port, reason, getattr(exc, "errno", None)) from None
    sockets: list[socket.socket] = []
    skipped: OSError | None = None
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":  # as asyncio does: a restart need not wait out TIME_WAIT
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:  # the IPv4 address gets its own socket
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and len(sockets) > 1:
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            try:
                sock.bind(address)
            except OSError as exc:
                if exc.errno != errno.EADDRNOTAVAIL or len(infos) == 1:
                    raise
                skipped = skipped or exc
                sockets.pop().close()
                continue
            sock.listen(backlog)
        if not sockets:
            raise skipped or OSError(errno.EADDRNOTAVAIL, "no address to listen on")
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise ListenError(host, port, _reason(exc), exc.errno) from None
    return sockets


def close(sockets: list[socket.socket]) -> None:
    """Close sockets :func:`listen` opened (after the server stopped, or when it failed to start)."""
    for sock in sockets:
        sock.close()
