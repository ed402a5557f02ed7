"""``python -m qwen_api.testing``: run the local server until Ctrl-C or SIGTERM.

Prints exactly ``Listening on http://HOST:PORT`` (flushed) once the socket accepts connections, so
scripts can read the port from the first line of stdout; exits 0 on SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .config import ServerConfig
from .script import load_script


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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m qwen_api.testing``: serve the local Qwen-compatible server until interrupted."""
    args = _parser().parse_args(argv)
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
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    from .server import start

    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    server = start(config, host=args.host, port=args.port)
    try:
        print(f"Listening on {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
