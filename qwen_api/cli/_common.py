"""What every command shares: the client factory, extra headers, terminal detection, output helpers."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from qwen_api._config import ClientConfig
    from qwen_api.client import Qwen

EXTRA_HEADERS_ENV = "QWEN_EXTRA_HEADERS"
MODEL_ENV = "QWEN_MODEL"
DEFAULT_MODEL = "qwen-max-latest"


NO_TOKEN = (
    "no Qwen token: set QWEN_AUTH_TOKEN (and QWEN_COOKIE) in the environment or in a .env file, or run "
    "`qwen auth import-har FILE.har` to write them from a browser export of chat.qwen.ai "
    "(`qwen auth import-har --help` says how to make one)"
)
"""What a shell user reads when no token is set (the SDK's own text speaks to Python code)."""


class UsageError(Exception):
    """A mistake in how the command was called: exit status 2, like argparse's own errors."""


def default_model() -> str:
    return setting(MODEL_ENV).strip() or DEFAULT_MODEL


def chosen_model(args: argparse.Namespace) -> str:
    """``--model``, else the default; an empty ``--model ""`` (a script's unset variable) is an error,
    not a quiet switch to the default."""
    if args.model is None:
        return default_model()
    if not args.model.strip():
        raise UsageError("--model must not be empty")
    return str(args.model)


def parse_header_lines(lines: Iterable[str], source: str) -> dict[str, str]:
    """``Name: value`` lines (blank lines and ``#`` comments skipped) as a header mapping."""
    headers: dict[str, str] = {}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition(":")
        name = name.strip()
        if not sep or not name or any(c.isspace() for c in name):
            raise UsageError(f"{source}: expected 'Name: value', got {line!r}")
        headers[name] = value.strip()
    return headers


def extra_headers(cli_headers: Iterable[str] | None) -> dict[str, str]:
    """Headers from ``QWEN_EXTRA_HEADERS`` (one ``Name: value`` a line), then ``-H`` options."""
    headers = parse_header_lines(setting(EXTRA_HEADERS_ENV).splitlines(), EXTRA_HEADERS_ENV)
    headers.update(parse_header_lines(cli_headers or (), "--header"))
    return headers


class _EnvFile:
    """The ``--env-file`` of this run (None: the working directory's ``.env``, as the SDK reads it)."""

    path: Path | None = None


def use_env_file(path: str | None) -> None:
    """``--env-file``: the file every client of this run reads instead of ``./.env``.

    It is handed to the SDK (``env_file=``), never copied into ``os.environ``: the SDK takes hosts
    (``QWEN_BASE_URL``...) from a ``.env`` only together with that file's own token, and a copy in the
    environment would look like the user's own setting, sending an environment token to the file's host.
    """
    _EnvFile.path = None
    if not path:
        return
    file = Path(path).expanduser()
    if not file.is_file():
        raise UsageError(f"--env-file {path}: {'a directory, not a file' if file.is_dir() else 'no such file'}")
    _EnvFile.path = file


def env_file() -> Path | None:
    """The ``--env-file`` given to this run, if any (for ``Qwen(env_file=...)``)."""
    return _EnvFile.path


def setting(name: str) -> str:
    """A setting of the command itself (``QWEN_MODEL``, ``QWEN_EXTRA_HEADERS``...): the environment,
    else the ``--env-file`` (never a host: those are the SDK's, with its own rule); "" when unset."""
    value = os.environ.get(name, "")
    if value or _EnvFile.path is None:
        return value
    from dotenv import dotenv_values

    return dotenv_values(_EnvFile.path).get(name) or ""


def config_from_args(args: argparse.Namespace) -> ClientConfig:
    """The settings a client would use (same lookup: arguments, environment, ``.env``); without a
    token, the error says what a shell user can do (:data:`NO_TOKEN`), as :func:`make_client`'s does."""
    from qwen_api._config import resolve_config

    with _worded_for_a_shell():
        return resolve_config(
            api_key=None,
            cookie=None,
            base_url=args.base_url or None,
            auth_base_url=None,
            timeout=args.timeout,
            max_retries=args.max_retries,
            default_headers=extra_headers(args.header),
            refresh_token=None,
            env_file=_EnvFile.path,
        )


@contextlib.contextmanager
def _worded_for_a_shell() -> Iterator[None]:
    """The SDK's "no token" error (the only one resolving the settings raises) reworded as
    :data:`NO_TOKEN`: its own text speaks to Python code."""
    from qwen_api.core.exceptions import QwenAuthenticationError

    try:
        yield
    except QwenAuthenticationError:
        raise QwenAuthenticationError(NO_TOKEN) from None


def credentials_file() -> Path | None:
    """The ``.env`` file the token comes from: ``--env-file``, else the SDK's own ``.env`` (the one in
    the working directory, never a parent's); None when the token is set in the environment."""
    if os.environ.get("QWEN_AUTH_TOKEN"):
        return None
    from dotenv import dotenv_values

    found = _EnvFile.path or Path.cwd() / ".env"
    if not found.is_file() or not dotenv_values(found).get("QWEN_AUTH_TOKEN"):
        return None
    return found


def _replace_cookie_value(cookie: str, name: str, value: str) -> str:
    parts = []
    for part in cookie.split(";"):
        key, sep, _ = part.strip().partition("=")
        parts.append(f"{name}={value}" if sep and key == name else part.strip())
    return "; ".join(p for p in parts if p)


def save_renewed_tokens(access_token: str, refresh_token: str | None) -> None:
    """``on_token_refresh``: write the renewed pair back where it came from, so that the next run
    starts from it (the service's refresh tokens are rotated: the old one is spent)."""
    path = credentials_file()
    if path is None:
        info(
            "qwen: note: the access token was renewed for this run only; it comes from the environment, "
            "so the new token and refresh token were not saved (a .env file keeps them up to date)"
        )
        return
    import io

    from dotenv import dotenv_values

    from ._har import HarError, merge_env, write_private

    try:
        text = path.read_text(encoding="utf-8")
        updates = {"QWEN_AUTH_TOKEN": access_token}
        if refresh_token:
            updates["QWEN_REFRESH_TOKEN"] = refresh_token
            cookie = dotenv_values(stream=io.StringIO(text)).get("QWEN_COOKIE")
            if cookie and "refresh_token=" in cookie:
                updates["QWEN_COOKIE"] = _replace_cookie_value(cookie, "refresh_token", refresh_token)
        merged, _ = merge_env(text, updates, managed=updates)
        write_private(path, merged)
    except (OSError, ValueError, HarError) as exc:
        info(f"qwen: the access token was renewed, but saving it to {path} failed: {exc}")


def configure_logging(verbose: bool) -> None:
    if not verbose:
        return
    logger = logging.getLogger("qwen_api")
    handler = logging.StreamHandler(sys.stderr)
    for redacting in logger.filters:  # the SDK's filter scrubs tokens, cookies and signatures; the
        handler.addFilter(redacting)  # handler repeats it for records of child loggers too
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def make_client(
    args: argparse.Namespace, on_token_refresh: Callable[[str, str | None], None] = save_renewed_tokens
) -> Qwen:
    """A client from the global options, the environment and ``.env`` (the SDK's own lookup).

    When the SDK renews the short-lived access token, the new pair is saved back to that ``.env``.
    """
    from qwen_api.client import Qwen

    with _worded_for_a_shell():
        return Qwen(
            base_url=args.base_url,
            timeout=args.timeout,
            logging_level="DEBUG" if args.verbose else None,
            max_retries=args.max_retries,
            default_headers=extra_headers(args.header),
            on_token_refresh=on_token_refresh,
            env_file=_EnvFile.path,
        )


# -- terminals --------------------------------------------------------------------------------------


def isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def rich_console(args: argparse.Namespace, stream: IO[str] | None = None) -> Console | None:
    """A rich console for ``stream`` (stdout by default) when it is a terminal, rich is installed
    and ``--plain`` was not given; otherwise None (plain text)."""
    stream = stream if stream is not None else sys.stdout
    if getattr(args, "plain", False) or not isatty(stream):
        return None
    try:
        from rich.console import Console
    except ImportError:
        return None
    return Console(file=stream, highlight=False, emoji=False, soft_wrap=True)


STDOUT_CLOSED = "standard output is closed (to discard the output, redirect it to /dev/null)"
STDIN_CLOSED = "standard input is closed: give the prompt as an argument, or pipe it in"


def require_stdout() -> None:
    """Refuse to start without a standard output (``qwen models >&-``: Python then has no ``sys.stdout``):
    every command writes its result there, and one that sent a prompt or an upload first would spend it."""
    if sys.stdout is None:
        raise UsageError(STDOUT_CLOSED)


def read_stdin() -> str:
    """All of standard input; a :class:`UsageError` when the shell closed it (``qwen chat <&-``)."""
    if sys.stdin is None:
        raise UsageError(STDIN_CLOSED)
    return sys.stdin.read()


class _Stdout:
    """``write``'s default stream: whatever ``sys.stdout`` is at the time of the call."""


_STDOUT = _Stdout()


def write(text: str, stream: IO[str] | _Stdout | None = _STDOUT) -> None:
    """Write and flush at once, so a reader of a pipe sees every piece as it arrives (stdout by default).

    ``stream`` None is a closed stream (``sys.stderr`` after ``2>&-``): the text is dropped, never sent
    to stdout instead, where scripts would read a note or a model's thinking as the answer."""
    target = sys.stdout if isinstance(stream, _Stdout) else stream
    if target is None:
        if isinstance(stream, _Stdout):
            raise UsageError(STDOUT_CLOSED)
        return
    target.write(text)
    target.flush()


def print_json(value: Any) -> None:
    write(json.dumps(value, ensure_ascii=False) + "\n")


def info(message: str) -> None:
    """A human note on stderr (never mixed into stdout, which scripts read; dropped after ``2>&-``)."""
    write(message + "\n", sys.stderr)


def format_table(rows: list[list[str]], header: list[str]) -> str:
    """Plain aligned columns (two spaces apart), the last column left ragged."""
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    lines = []
    for row in table:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def format_epoch(value: int | float | None) -> str:
    """Local ``YYYY-MM-DD HH:MM`` for seconds (or milliseconds) since the epoch."""
    if value is None:
        return "-"
    from datetime import datetime

    seconds = value / 1000 if value > 1e12 else value
    try:
        return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return str(value)


def humanize_duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 90:
        return f"{round(seconds)} seconds"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} minutes"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} hours"
    return f"{round(seconds / 86400)} days"


def jsonable(mapping: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if mapping is None else {str(k): v for k, v in mapping.items()}
