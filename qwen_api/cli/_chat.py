"""``qwen chat``: one streamed answer, or an interactive session (REPL)."""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (
    UsageError,
    chosen_model,
    default_model,
    info,
    isatty,
    make_client,
    read_stdin,
    rich_console,
    setting,
    write,
)
from ._render import ChatRenderer, JsonRenderer, PlainRenderer, RichRenderer, render_stream
from ._uploads import check_paths, upload_files

if TYPE_CHECKING:
    from rich.console import Console

    from qwen_api._streaming import Stream
    from qwen_api.client import Qwen
    from qwen_api.resources.chats import Conversation
    from qwen_api.types.chat import ChatResponseStream
    from qwen_api.types.files import FileResult

HISTORY_ENV = "QWEN_HISTORY_FILE"
_REPL_HELP = """\
/new      start a new conversation
/id       show the current chat id
/help     this list
/exit     leave (or Ctrl-D)
Ctrl-C stops the answer being written (and asks the service to stop it)."""


def _read_stdin() -> str:
    text = read_stdin().rstrip()
    if not text.strip():
        raise UsageError("the prompt read from standard input is empty")
    return text


def _stdin_is_piped() -> bool:
    """A pipe or a redirected file: ``git diff | qwen chat "review"``, ``qwen chat "fix" < log``.
    Not a terminal, /dev/null or a socket (a daemon's or ssh's stdin), which may never end."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def resolve_prompt(words: list[str]) -> str | None:
    """The prompt from the arguments, ``-`` or piped stdin (appended to a prompt given as
    arguments); None means: start the REPL."""
    if words == ["-"]:
        return _read_stdin()
    if words:
        prompt = " ".join(words)
        if not prompt.strip():
            raise UsageError("the prompt is empty")
        if _stdin_is_piped():
            piped = sys.stdin.read().rstrip()
            if piped.strip():
                return f"{prompt}\n\n{piped}"
        return prompt
    if isatty(sys.stdin):
        return None
    return _read_stdin()


def make_renderer(args: argparse.Namespace, console: Console | None, show_ids: bool = True) -> ChatRenderer:
    if args.json:
        return JsonRenderer()
    if console is not None:
        return RichRenderer(console, show_ids=show_ids)
    return PlainRenderer()


def _options(args: argparse.Namespace) -> dict[str, Any]:
    return {"thinking": args.thinking, "thinking_mode": args.thinking_mode, "web_search": args.search}


def resume(client: Qwen, chat_id: str, model: str | None) -> Conversation:
    """Continue ``chat_id`` after its last answer (and with its model unless ``--model`` says otherwise)."""
    detail = client.chats.get(chat_id)
    last = next((m for m in reversed(detail.messages) if m.role == "assistant" and m.id), None)
    chosen = model or (last.model if last is not None and last.model else None) or default_model()
    return client.chats.resume(detail.id or chat_id, model=chosen, parent_id=last.id if last is not None else None)


def stop_generation(client: Qwen, stream: Stream[ChatResponseStream]) -> None:
    """After Ctrl-C: ask the service to stop writing the answer nobody reads (best effort)."""
    from qwen_api.core.exceptions import QwenAPIError

    if stream.chat_id and stream.response_id:
        with contextlib.suppress(QwenAPIError):
            client.chats.stop(stream.chat_id, stream.response_id)


def cmd_chat(args: argparse.Namespace) -> int:
    prompt = resolve_prompt(args.prompt)
    paths = check_paths(args.file)
    client = make_client(args)
    try:
        if prompt is None:
            return _repl(args, client, paths)
        files = upload_files(client, paths, args)
        console = None if args.json else rich_console(args)
        renderer = make_renderer(args, console)
        if args.continue_id is not None:  # an empty id is refused, not a new chat
            conversation = resume(client, args.continue_id, None if args.model is None else chosen_model(args))
            stream = conversation.send(prompt, stream=True, files=files or None, **_options(args))
        else:
            stream = client.chat.create(
                messages=[{"role": "user", "content": prompt}],
                model=chosen_model(args),
                stream=True,
                files=files or None,
                **_options(args),
            )
        render_stream(stream, renderer, on_interrupt=lambda answer: stop_generation(client, answer))
        return 0
    finally:
        client.close()


# -- the interactive session ---------------------------------------------------------------------------


def _history_path() -> Path:
    configured = setting(HISTORY_ENV)
    if configured:
        return Path(configured).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "qwen" / "history"


class _History:
    """readline history kept in a private file (prompts can be private too)."""

    def __init__(self) -> None:
        self.path = _history_path()
        self.readline: Any = None
        try:
            import readline
        except ImportError:  # no readline on this platform: input() still works
            return
        self.readline = readline
        readline.set_history_length(1000)
        with contextlib.suppress(OSError):
            readline.read_history_file(self.path)

    def save(self) -> None:
        if self.readline is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(self.path, 0o600)
            self.readline.write_history_file(self.path)
        except OSError:
            pass


def _say(console: Console | None, text: str, style: str = "dim") -> None:
    if console is not None:
        console.print(text, style=style, markup=False, highlight=False)
    else:
        info(text)


def _repl(args: argparse.Namespace, client: Qwen, paths: list[Path]) -> int:
    from qwen_api.core.exceptions import QwenAPIError

    console = None if args.json else rich_console(args)
    model = chosen_model(args)
    conversation: Conversation | None = None
    if args.continue_id is not None:  # an empty id is refused, not a new chat
        conversation = resume(client, args.continue_id, None if args.model is None else chosen_model(args))
        model = conversation.model
    pending: list[FileResult] = upload_files(client, paths, args)
    history = _History()
    where = f"chat {conversation.chat_id}" if conversation is not None else "a new chat"
    _say(console, f"qwen chat: {where} with {model}. Ctrl-C stops an answer, Ctrl-D exits, /help for commands.")
    try:
        while True:
            try:
                line = input("> ")
            except KeyboardInterrupt:
                write("\n")
                continue
            except EOFError:
                write("\n")
                return 0
            text = line.strip()
            if not text:
                continue
            if text.startswith("/"):
                command = text.split()[0].lower()
                if command in ("/exit", "/quit"):
                    return 0
                if command == "/new":
                    conversation = None
                    _say(console, "Started a new conversation.")
                elif command == "/id":
                    _say(console, conversation.chat_id if conversation is not None else "(no chat yet)", "")
                else:
                    _say(console, _REPL_HELP, "")
                continue
            streaming = False
            try:
                if conversation is None:
                    conversation = client.chats.new(model=model)
                stream = conversation.send(text, stream=True, files=pending or None, **_options(args))
                pending = []
                streaming = True
                render_stream(
                    stream,
                    make_renderer(args, console, show_ids=False),
                    on_interrupt=lambda answer: stop_generation(client, answer),
                )
            except KeyboardInterrupt:
                # the answer was stopped and its connection closed (by render_stream): back to the prompt
                if not streaming:
                    _say(console, "[stopped]")
            except QwenAPIError as exc:
                info(f"qwen: {type(exc).__name__}: {exc}")
    finally:
        history.save()
