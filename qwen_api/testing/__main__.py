"""``python -m qwen_api.testing``: run the local server until Ctrl-C or SIGTERM.

Prints exactly ``Listening on http://HOST:PORT`` (flushed) as the first line once the socket accepts
connections, so scripts can read the port from it; the next lines say how to use the server (the
``QWEN_BASE_URL`` and ``QWEN_AUTH_TOKEN`` to set). Exits 0 on SIGINT/SIGTERM, 2 on bad settings, when
it cannot listen (a port in use) or without the ``server`` extra (one line on stderr each time).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .._extras import MissingExtraError, is_missing_dependency
from ..listen import ListenError
from .config import ServerConfig
from .script import load_script

ANY_TOKEN = "local-test-token"
"""The token the banner suggests when the server accepts any non-empty one."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m qwen_api.testing", description="Run a local Qwen-compatible server."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--token", default=None, help="accept only this token (default: any non-empty token)")
    parser.add_argument("--answer-length", type=int, default=None, help="answer exactly N characters")
    parser.add_argument("--chunk-size", type=int, default=8, help="characters per answer delta")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between stream events")
    parser.add_argument("--token-lifetime", type=float, default=None, help="validate minted tokens' expiry")
    parser.add_argument("--storage-dir", type=Path, default=None, help="keep uploaded files here")
    parser.add_argument("--parse-polls", type=int, default=1, help="'running' answers before parse success")
    parser.add_argument(
        "--script-file", type=Path, default=None, help="JSON list of scripted answers, served in order (see script.py)"
    )
    return parser


def _check_options(args: argparse.Namespace) -> str | None:
    """What is wrong with the options, in their own names (``--delay must be >= 0, got -1``); None if
    nothing. :class:`ServerConfig` checks the same, but its messages name Python attributes."""
    if not 0 <= args.port <= 65535:
        return "--port must be between 0 and 65535"
    if args.token is not None and not args.token.strip():
        return "--token must not be empty (leave it out to accept any token)"
    bounds = (
        ("--answer-length", args.answer_length, 0, ">="),
        ("--chunk-size", args.chunk_size, 1, ">="),
        ("--delay", args.delay, 0, ">="),
        ("--token-lifetime", args.token_lifetime, 0, ">"),
        ("--parse-polls", args.parse_polls, 0, ">="),
    )
    for option, value, least, relation in bounds:
        if value is None:
            continue
        fits = value >= least if relation == ">=" else value > least  # NaN fits neither
        if not fits:
            return f"{option} must be {relation} {least}, got {value:g}"
    return None


def banner(url: str, token: str, any_token: bool) -> str:
    """What the server prints when it is ready: its URL first, then the two variables that point
    the SDK (or the ``qwen`` command) at it."""
    note = " (any non-empty token is accepted)" if any_token else ""
    return (
        f"Listening on {url}\n"
        f"Point the SDK or the qwen command at it with these environment variables{note}:\n"
        f"  export QWEN_BASE_URL={url}\n"
        f"  export QWEN_AUTH_TOKEN={token}\n"
        "Stop it with Ctrl-C."
    )


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the server until a signal; ``prog`` names the command in error lines (default: the parser's)."""
    parser = _parser()
    args = parser.parse_args(argv)
    name = prog or parser.prog
    problem = _check_options(args)
    if problem:
        print(f"{name}: error: {problem}", file=sys.stderr)
        return 2
    try:
        config = ServerConfig(
            token=args.token,
            answer_length=args.answer_length,
            chunk_size=args.chunk_size,
            delay=args.delay,
            token_lifetime=args.token_lifetime,
            storage_dir=args.storage_dir,
            parse_polls=args.parse_polls,
            script=load_script(args.script_file) if args.script_file is not None else (),
        )
    except ValueError as exc:  # the script file (the options were checked above)
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 2

    try:
        from .server import start
    except ImportError as exc:
        if not is_missing_dependency(exc):
            raise
        missing = MissingExtraError("the local server", "server", exc.name)
        print(f"{name}: error: {missing}", file=sys.stderr)
        return 2

    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        server = start(config, host=args.host, port=args.port)
    except ListenError as exc:  # a port in use, a host that is not this machine's: one line, not a traceback
        print(f"{name}: error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.token:
            token, any_token = args.token, False
        elif config.token_lifetime is not None:  # only tokens it minted are accepted
            token, any_token = server.mint_token(), False
        else:
            token, any_token = ANY_TOKEN, True
        print(banner(server.url, token, any_token), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
