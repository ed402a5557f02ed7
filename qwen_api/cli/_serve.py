"""``qwen serve``: run the OpenAI- and Anthropic-compatible gateway (extra ``gateway``) until Ctrl-C or SIGTERM.

Prints exactly one line on stdout, ``Listening on http://HOST:PORT``, once the socket accepts
connections (so scripts can read the port when started with ``--port 0``); the access log goes to
stderr. A host other than loopback needs ``--api-key``: the gateway spends its owner's Qwen account.
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys

from .._extras import MissingExtraError, is_missing_dependency
from ._common import _worded_for_a_shell, env_file, extra_headers, info, write

EXIT_USAGE = 2


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
    formatter: type[argparse.HelpFormatter] | None = None,
) -> None:
    serve = commands.add_parser(
        "serve",
        help="run an OpenAI- and Anthropic-compatible gateway to Qwen Chat",
        description=(
            "Serve the OpenAI API (/v1/chat/completions, /v1/models, /v1/images/generations) and the\n"
            "Anthropic Messages API (/v1/messages, /v1/messages/count_tokens; key in x-api-key) on top of\n"
            "your Qwen Chat account(s). Credentials as for every command (QWEN_AUTH_TOKEN...), or --accounts\n"
            'FILE: a JSON list of {"name", "auth_token", "refresh_token"?, "cookie"?}. Needs the gateway extra.'
        ),
        epilog=(
            "examples:\n  qwen serve --port 8000\n"
            "  qwen serve --host 0.0.0.0 --api-key sk-local-1 --accounts accounts.json\n"
            "  OPENAI_BASE_URL=http://127.0.0.1:8000/v1 OPENAI_API_KEY=unused python my_agent.py\n"
            "  ANTHROPIC_BASE_URL=http://127.0.0.1:8000 ANTHROPIC_API_KEY=unused claude"
        ),
        formatter_class=formatter or argparse.RawDescriptionHelpFormatter,
        parents=parents,
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument(
        "--api-key",
        dest="api_keys",
        metavar="KEY",
        nargs="+",
        action="extend",
        default=[],
        help="accept clients sending Authorization: Bearer KEY or x-api-key: KEY (several: --api-key K1 K2)",
    )
    serve.add_argument("--accounts", metavar="FILE", help="JSON list of upstream accounts (renewed tokens are saved)")
    serve.add_argument("--state", metavar="FILE", help="keep the conversation map in this SQLite file")
    serve.add_argument(
        "--account-concurrency",
        type=int,
        default=16,
        metavar="N",
        help="answers in flight per account at most (default 16)",
    )
    serve.add_argument(
        "--graceful-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="on shutdown, how long running answers may take to finish (default 30)",
    )
    serve.add_argument(
        "--repair-rounds",
        type=int,
        default=1,
        metavar="N",
        help="times a failing tool call or JSON answer is sent back to the model to fix (0-3, default 1)",
    )
    serve.add_argument(
        "--warm-chats",
        action="store_true",
        help=(
            "keep one upstream chat made ahead per account and model, so a new conversation's first token"
            " does not wait for creating one (the unused ones are deleted at shutdown)"
        ),
    )
    serve.add_argument("--no-access-log", action="store_true", help="do not log one line per request on stderr")


def _access_log(enabled: bool) -> None:
    logger = logging.getLogger("qwen_api.gateway")
    logger.propagate = False
    if not enabled:
        logger.setLevel(logging.WARNING)
    else:
        logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    logger.addHandler(handler)


def cmd_serve(args: argparse.Namespace) -> int:
    if args.port < 0 or args.port > 65535:
        info("qwen: error: --port must be between 0 and 65535")
        return EXIT_USAGE
    if args.account_concurrency < 1:
        info("qwen: error: --account-concurrency must be at least 1")
        return EXIT_USAGE
    if not 0 <= args.repair_rounds <= 3:
        info("qwen: error: --repair-rounds must be between 0 and 3")
        return EXIT_USAGE
    try:
        from qwen_api.gateway.server import ServeOptions, build_app, is_loopback, parse_keys, run
    except ImportError as exc:  # the `gateway` extra: one line and exit 2 (1 is for API errors), as mock-server
        if not is_missing_dependency(exc):
            raise
        raise MissingExtraError("qwen serve", "gateway", exc.name) from None
    keys = parse_keys(args.api_keys)
    if not is_loopback(args.host) and not keys:
        info(
            f"qwen: error: refusing to listen on {args.host} without --api-key: anyone who can reach it "
            "would use your Qwen account. Give --api-key KEY (clients send Authorization: Bearer KEY), "
            "or keep the default --host 127.0.0.1."
        )
        return EXIT_USAGE
    from qwen_api.gateway.accounts import AccountFileError

    options = ServeOptions(
        host=args.host,
        port=args.port,
        api_keys=keys,
        accounts_file=args.accounts,
        state_file=args.state,
        base_url=args.base_url,
        timeout=args.timeout,
        max_retries=args.max_retries,
        default_headers=extra_headers(args.header),
        account_concurrency=args.account_concurrency,
        graceful_seconds=args.graceful_timeout,
        repair_rounds=args.repair_rounds,
        warm_chats=args.warm_chats,
        env_file=env_file(),
    )
    _access_log(not args.no_access_log)  # first: reading the accounts file may warn
    try:
        with _worded_for_a_shell():  # no token: what to set or run, as every other command says it
            app = build_app(options)
    except AccountFileError as exc:
        info(f"qwen: error: --accounts {exc}")
        return EXIT_USAGE
    except sqlite3.Error as exc:
        info(f"qwen: error: --state {args.state}: {exc}")
        return EXIT_USAGE
    return run(options, lambda url: write(f"Listening on {url}\n"), app=app)
