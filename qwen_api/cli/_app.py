"""Parse, dispatch, and turn every outcome into an exit status and (at most) one line on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from .._extras import MissingExtraError
from ..listen import ListenError
from ._common import UsageError, configure_logging, require_stdout, use_env_file
from ._har import HarError

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

Handler = Callable[[argparse.Namespace], int]

_SDK_ARGUMENTS = {
    "max_retries ": "--max-retries ",
    "base_url ": "--base-url (or QWEN_BASE_URL) ",
    "timeout ": "--timeout ",
    "file_path: ": "",
}
"""The SDK names its arguments in the errors it raises; a shell user gave the option (or the file)."""


_SDK_REFRESH_HINT = (
    "give the client a refresh token (refresh_token= or QWEN_REFRESH_TOKEN, or a cookie with refresh_token=)"
)
_SHELL_REFRESH_HINT = "set QWEN_REFRESH_TOKEN (`qwen auth import-har FILE.har` saves both tokens)"
"""The expired-token error's advice, as a shell user follows it."""


def _for_a_shell(message: str) -> str:
    """``message`` with a leading SDK argument name put as the command's option."""
    for argument, option in _SDK_ARGUMENTS.items():
        if message.startswith(argument):
            return option + message[len(argument) :]
    return message


def _handler(args: argparse.Namespace) -> Handler:
    command = args.command
    if command == "chat":
        from ._chat import cmd_chat

        return cmd_chat
    if command == "serve":
        from ._serve import cmd_serve

        return cmd_serve
    if command == "doctor":
        from ._doctor import cmd_doctor

        return cmd_doctor
    if command == "auth":
        from . import _auth

        return {"import-har": _auth.cmd_import_har, "status": _auth.cmd_status}[args.auth_command]
    from . import _commands

    if command == "chats":
        return {
            "list": _commands.cmd_chats_list,
            "show": _commands.cmd_chats_show,
            "delete": _commands.cmd_chats_delete,
        }[args.chats_command]
    handlers: dict[str, Handler] = {
        "models": _commands.cmd_models,
        "upload": _commands.cmd_upload,
        "image": _commands.cmd_image,
        "mock-server": _commands.cmd_mock_server,
    }
    return handlers[command]


def _error(message: str) -> None:
    if sys.stderr is None:  # `2>&-`: nowhere to say it; the exit status still does
        return
    try:
        sys.stderr.write(f"qwen: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After EPIPE: point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def run(argv: Sequence[str] | None = None) -> int:
    from qwen_api.core.exceptions import QwenAPIError, QwenInputError

    try:
        from ._parser import build_parser

        args = build_parser().parse_args(argv)
        configure_logging(args.verbose)
        use_env_file(args.env_file)
        require_stdout()
        return _handler(args)(args)
    except SystemExit as exc:  # argparse: --help, --version (0) and usage errors (2)
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `qwen chat ... | head -1`: the reader left; not an error of ours
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except QwenInputError as exc:  # refused before anything was sent: a bad argument or local file
        _error(f"error: {_for_a_shell(str(exc))}")
        return EXIT_USAGE
    except QwenAPIError as exc:
        _error(f"{type(exc).__name__}: {str(exc).replace(_SDK_REFRESH_HINT, _SHELL_REFRESH_HINT)}")
        return EXIT_API_ERROR
    except MissingExtraError as exc:  # an optional dependency: what to install, not a traceback
        _error(f"error: {exc}")
        return EXIT_USAGE
    except (UsageError, HarError, ValueError) as exc:  # ValueError: an argument the SDK refused
        _error(f"error: {_for_a_shell(str(exc))}")
        return EXIT_USAGE
    except ListenError as exc:  # `qwen serve` / `mock-server`: a port in use, a host not this machine's
        _error(f"error: {exc}")
        return EXIT_USAGE
    except OSError as exc:  # a local file or folder we were told to read or write
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"error: {where}{exc.strerror or exc}")
        return EXIT_USAGE
