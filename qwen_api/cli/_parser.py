"""The argument parser: every command, its options, and an example in each ``--help``."""

from __future__ import annotations

import argparse
import textwrap
from typing import get_args

from ..types.params import ImageSize, ThinkingMode
from ._common import DEFAULT_MODEL, EXTRA_HEADERS_ENV, MODEL_ENV
from ._har import DEFAULT_HOST
from ._help import command as _command
from ._help import epilog as _epilog
from ._help import formatter as _formatter

_SIZES = get_args(ImageSize)
_THINKING_MODES = get_args(ThinkingMode)

_MAIN_DESCRIPTION = """\
Talk to Qwen Chat (chat.qwen.ai) from a terminal.

Credentials come from QWEN_AUTH_TOKEN and QWEN_COOKIE, in the environment or the .env file in the
working directory (never a parent's; --env-file names another); `qwen auth import-har` writes that
file from a browser export. A .env names hosts (QWEN_BASE_URL...) only together with its own token."""

_MAIN_EPILOG = f"""\
examples:
  qwen auth import-har ~/Downloads/chat.qwen.ai.har   # once: token and cookies into ./.env
  qwen chat "Explain HTTP/2 in two sentences"
  git diff | qwen chat --json > review.jsonl
  qwen chat                                           # interactive session

environment:
  QWEN_AUTH_TOKEN, QWEN_COOKIE, QWEN_REFRESH_TOKEN, QWEN_BX_UA, QWEN_BX_UMIDTOKEN,
  QWEN_FRONTEND_VERSION, QWEN_BASE_URL   read by the SDK (also from .env)
  {MODEL_ENV}                             default model (else {DEFAULT_MODEL})
  {EXTRA_HEADERS_ENV}                     extra request headers, one "Name: value" a line

exit status: 0 success, 1 API error, 2 usage or environment error (a local file problem, a missing
extra), 130 interrupted (Ctrl-C), 141 the reader of a pipe left early (as `head` does)."""


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Options accepted before and after the command name (``qwen -v chat`` and ``qwen chat -v``)."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("connection and output options")
    group.add_argument("--base-url", metavar="URL", default=default(None), help="service URL (env QWEN_BASE_URL)")
    group.add_argument("--timeout", metavar="SECONDS", type=float, default=default(30.0), help="network timeout")
    group.add_argument("--max-retries", metavar="N", type=int, default=default(None), help="retries of failed calls")
    group.add_argument(
        "-H",
        "--header",
        metavar="'NAME: VALUE'",
        action="append",
        default=default(None),
        help=f"extra request header, repeatable (also env {EXTRA_HEADERS_ENV})",
    )
    group.add_argument(
        "--env-file", metavar="PATH", default=default(None), help="read credentials from this .env instead of ./.env"
    )
    group.add_argument("--plain", action="store_true", default=default(False), help="no colours or styling")
    group.add_argument("-v", "--verbose", action="store_true", default=default(False), help="SDK debug log on stderr")


def build_parser() -> argparse.ArgumentParser:
    from qwen_api import __version__

    parser = argparse.ArgumentParser(
        prog="qwen",
        description=_MAIN_DESCRIPTION,
        epilog=_MAIN_EPILOG,
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"qwen-api {__version__}")
    _global_options(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, suppress=True)
    parents = [common]

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    commands.required = True

    # -- chat ------------------------------------------------------------------------------------------
    chat = _command(
        commands,
        "chat",
        "ask a question (streamed), or start an interactive session",
        textwrap.dedent(
            """\
            Stream an answer to PROMPT. Reasoning is shown dimmed and apart from the answer (on stderr
            when stdout is not a terminal), and search sources are listed after it. Input piped or
            redirected into the command is appended to PROMPT (or is the prompt, without PROMPT).
            Without either, an interactive session starts (history with the arrow keys, Ctrl-C
            stops the current answer, Ctrl-D exits)."""
        ),
        _epilog(
            'qwen chat "What is the capital of Mongolia?"',
            'qwen chat --thinking --search "Latest stable Linux kernel?"',
            'qwen chat --file report.pdf "Summarise this in five bullets"',
            "cat question.txt | qwen chat --json",
            'git diff | qwen chat "Review this change"',
            'qwen chat --continue 0f3c...e1 "And in French?"',
        ),
        parents,
    )
    chat.add_argument("prompt", nargs="*", help="the question ('-' reads standard input)")
    chat.add_argument("-m", "--model", help=f"model id or alias (default: ${MODEL_ENV} or {DEFAULT_MODEL})")
    chat.add_argument(
        "--thinking", action=argparse.BooleanOptionalAction, default=None, help="turn reasoning on or off"
    )
    chat.add_argument("--thinking-mode", choices=_THINKING_MODES, help="how long to think")
    chat.add_argument("-s", "--search", action="store_true", default=None, help="search the web first")
    chat.add_argument(
        "-f", "--file", metavar="PATH", action="append", default=[], help="upload and attach a file (repeatable)"
    )
    chat.add_argument(
        "--json",
        action="store_true",
        help="one JSON event per line: reasoning, content, search, done (error or interrupted if it stops early)",
    )
    chat.add_argument("-c", "--continue", dest="continue_id", metavar="CHAT_ID", help="continue this chat")

    # -- models ----------------------------------------------------------------------------------------
    models = _command(
        commands,
        "models",
        "list the models and what they can do",
        "List the models the service offers, with their context size and capabilities.",
        _epilog("qwen models", "qwen models --json | jq -r '.[] | select(.capabilities.vision) | .id'"),
        parents,
    )
    models.add_argument("--json", action="store_true", help="a JSON array")

    # -- chats -----------------------------------------------------------------------------------------
    chats = _command(
        commands,
        "chats",
        "list, show or delete your conversations",
        "Conversations stored on the service.",
        _epilog("qwen chats list", "qwen chats show 0f3c...e1", "qwen chats delete 0f3c...e1 --yes"),
        parents,
    )
    chats_commands = chats.add_subparsers(dest="chats_command", metavar="ACTION", title="actions")
    chats_commands.required = True
    chats_list = _command(
        chats_commands,
        "list",
        "list conversations, newest first",
        "List conversations, newest first.",
        _epilog("qwen chats list --limit 5", "qwen chats list --all --json > chats.json"),
        parents,
    )
    chats_list.add_argument("-n", "--limit", type=int, default=20, help="at most N chats (default 20)")
    chats_list.add_argument("--all", action="store_true", help="every chat (fetches all pages)")
    chats_list.add_argument("--json", action="store_true", help="a JSON array")
    chats_show = _command(
        chats_commands,
        "show",
        "show one conversation's messages",
        "Show the messages of a conversation (the current branch).",
        _epilog("qwen chats show 0f3c...e1", "qwen chats show 0f3c...e1 --json"),
        parents,
    )
    chats_show.add_argument("chat_id", metavar="CHAT_ID")
    chats_show.add_argument("--json", action="store_true", help="a JSON object")
    chats_delete = _command(
        chats_commands,
        "delete",
        "delete conversations",
        "Delete conversations. Asks first on a terminal; elsewhere --yes is required.",
        _epilog(
            "qwen chats delete 0f3c...e1", "qwen chats list --json | jq -r '.[].id' | xargs qwen chats delete --yes"
        ),
        parents,
    )
    chats_delete.add_argument("chat_ids", metavar="CHAT_ID", nargs="+")
    chats_delete.add_argument("-y", "--yes", action="store_true", help="do not ask")

    # -- upload ----------------------------------------------------------------------------------------
    upload = _command(
        commands,
        "upload",
        "upload files and print their ids and URLs",
        "Upload files to the service's storage (a progress bar shows for large files on a terminal).",
        _epilog("qwen upload photo.png", "qwen upload --json slides.pdf notes.txt"),
        parents,
    )
    upload.add_argument("paths", metavar="PATH", nargs="+")
    upload.add_argument("--json", action="store_true", help="one JSON object per file, a line each")

    # -- image -----------------------------------------------------------------------------------------
    image = _command(
        commands,
        "image",
        "generate images from a prompt",
        "Generate images and print their URLs (or save them with --output-dir).",
        _epilog('qwen image "a lighthouse at dusk, watercolour"', 'qwen image --size 16:9 -o out/ "a foggy harbour"'),
        parents,
    )
    image.add_argument("prompt", nargs="+", help="what to draw")
    image.add_argument("-m", "--model", help=f"model id or alias (default: ${MODEL_ENV} or {DEFAULT_MODEL})")
    image.add_argument("--size", choices=_SIZES, default="1:1", help="aspect ratio (default 1:1)")
    image.add_argument(
        "-o", "--output-dir", metavar="DIR", help="download the images into DIR (all within 4 times --timeout)"
    )
    image.add_argument("--force", action="store_true", help="replace files of the same name in --output-dir")
    image.add_argument("--json", action="store_true", help="a JSON object")

    # -- auth ------------------------------------------------------------------------------------------
    auth = _command(
        commands,
        "auth",
        "import credentials from the browser, check them",
        "Set up and check the credentials the SDK uses.",
        _epilog("qwen auth import-har chat.qwen.ai.har", "qwen auth status"),
        parents,
    )
    auth_commands = auth.add_subparsers(dest="auth_command", metavar="ACTION", title="actions")
    auth_commands.required = True
    import_har = _command(
        auth_commands,
        "import-har",
        "read token, cookies and headers from a HAR export into .env",
        textwrap.dedent(
            """\
            Read the token, the cookie jar and the bx-ua, bx-umidtoken and version headers from a HAR
            file and write them to .env (mode 0600; other entries of an existing file are kept).
            No secret is printed.

            To make the HAR: sign in at https://chat.qwen.ai, open the developer tools (F12),
            Network tab, send a message, then right-click a request and choose "Save all as HAR"
            (Chrome: "Export HAR (with sensitive data)"; the default export leaves the token out).
            Delete the HAR afterwards: it holds your session."""
        ),
        _epilog(
            "qwen auth import-har ~/Downloads/chat.qwen.ai.har",
            "qwen auth import-har session.har --output ~/.config/qwen/.env",
        ),
        parents,
    )
    import_har.add_argument("har", metavar="FILE.har")
    import_har.add_argument("-o", "--output", metavar="PATH", default=".env", help="the .env to write (default ./.env)")
    import_har.add_argument("--host", default=DEFAULT_HOST, help=f"the chat host to read (default {DEFAULT_HOST})")
    status = _command(
        auth_commands,
        "status",
        "check the credentials and show who is signed in",
        "Ask the service who the token belongs to (GET /api/v1/auths/) and show when it expires.\n"
        "Without a token it prints 'not signed in' and how to sign in, and exits 0 (--json: signed_in\n"
        "false); a token the service refuses is an API error (exit 1).",
        _epilog("qwen auth status", "qwen auth status --env-file ~/.config/qwen/.env --json"),
        parents,
    )
    status.add_argument("--json", action="store_true", help="a JSON object")

    # -- mock-server -----------------------------------------------------------------------------------
    mock = _command(
        commands,
        "mock-server",
        "run a local Qwen-compatible server for offline use",
        "Run the SDK's local server (needs the 'server' extra) until Ctrl-C. It prints the\n"
        "QWEN_BASE_URL and QWEN_AUTH_TOKEN that point the SDK and the other qwen commands at it.",
        _epilog(
            "qwen mock-server --port 8765",
            "QWEN_BASE_URL=http://127.0.0.1:8765 QWEN_AUTH_TOKEN=test qwen chat hello",
        ),
        [],  # the connection and output options are the client's: none applies to a server
    )
    mock.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    mock.add_argument("--port", type=int, default=0, help="port (default 0: a free one, printed)")
    mock.add_argument("--token", help="accept only this token (default: any non-empty token)")
    mock.add_argument("--delay", type=float, help="seconds between stream events")
    mock.add_argument("--answer-length", type=int, help="answer exactly N characters")
    mock.add_argument("--chunk-size", type=int, help="characters per answer chunk")

    # -- doctor (qwen_api/cli/_doctor.py) ----------------------------------------------------------------
    from ._doctor import add_doctor_command

    add_doctor_command(commands, parents)

    # -- serve (the OpenAI-compatible gateway; see _serve.py) --------------------------------------------
    from ._serve import add_parser as add_serve

    add_serve(commands, parents, _formatter)  # type: ignore[arg-type]
    return parser
