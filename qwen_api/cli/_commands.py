"""``qwen models``, ``qwen chats ...``, ``qwen upload``, ``qwen image`` and ``qwen mock-server``."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._common import (
    UsageError,
    chosen_model,
    format_epoch,
    format_table,
    info,
    isatty,
    make_client,
    print_json,
    rich_console,
    write,
)
from ._uploads import check_paths, upload_one

if TYPE_CHECKING:
    from rich.console import Console

    from qwen_api.types.chats import ChatDetail, ChatSummary
    from qwen_api.types.files import FileResult
    from qwen_api.types.models import Model

_CAPABILITIES = ("vision", "document", "video", "audio", "thinking", "search", "citations")


# -- models ------------------------------------------------------------------------------------------


def _tokens(value: int | None) -> str:
    if value is None:
        return "-"
    if value >= 1024 and value % 1024 == 0:
        return f"{value // 1024}K"
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return str(value)


def _capabilities(model: Model) -> list[str]:
    return [name for name in _CAPABILITIES if getattr(model.capabilities, name)]


def model_dict(model: Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "name": model.name,
        "capabilities": {name: getattr(model.capabilities, name) for name in (*_CAPABILITIES, "thinking_budget")},
        "max_context_length": model.max_context_length,
        "max_generation_length": model.max_generation_length,
        "chat_types": list(model.chat_types),
    }


def cmd_models(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        models = client.models.list()
    if args.json:
        print_json([model_dict(m) for m in models])
        return 0
    header = ["ID", "NAME", "CONTEXT", "OUTPUT", "CAPABILITIES"]
    rows = [
        [
            m.id,
            m.name or "",
            _tokens(m.max_context_length),
            _tokens(m.max_generation_length),
            ", ".join(_capabilities(m)),
        ]
        for m in models
    ]
    _table(args, header, rows)
    return 0


def _table(args: argparse.Namespace, header: list[str], rows: list[list[str]]) -> None:
    console = rich_console(args)
    if console is None:
        write(format_table(rows, header))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for index, column in enumerate(header):
        table.add_column(column, style="cyan" if index == 0 else None, no_wrap=index == 0)
    for row in rows:
        table.add_row(*row)
    console.print(table)


# -- chats -------------------------------------------------------------------------------------------


def summary_dict(chat: ChatSummary) -> dict[str, Any]:
    return {
        "id": chat.id,
        "title": chat.title,
        "chat_type": chat.chat_type,
        "created_at": chat.created_at,
        "updated_at": chat.updated_at,
        "pinned": chat.pinned,
    }


def cmd_chats_list(args: argparse.Namespace) -> int:
    if args.limit < 1 and not args.all:
        raise UsageError("--limit must be at least 1")
    with make_client(args) as client:
        found = client.chats.list()
        chats = list(found if args.all else itertools.islice(found, args.limit))
    if args.json:
        print_json([summary_dict(c) for c in chats])
        return 0
    if not chats:
        info("No chats.")
        return 0
    rows = [[c.id, format_epoch(c.updated_at or c.created_at), c.chat_type or "", c.title or ""] for c in chats]
    _table(args, ["ID", "UPDATED", "TYPE", "TITLE"], rows)
    return 0


def detail_dict(chat: ChatDetail) -> dict[str, Any]:
    return {
        "id": chat.id,
        "title": chat.title,
        "chat_type": chat.chat_type,
        "messages": [
            {
                "id": m.id,
                "role": m.role,
                "content": m.content,
                "reasoning_content": m.reasoning_content,
                "model": m.model,
                "parent_id": m.parent_id,
                "timestamp": m.timestamp,
            }
            for m in chat.messages
        ],
    }


def _show_rich(console: Console, chat: ChatDetail) -> None:
    from rich.text import Text

    console.print(Text(chat.title or "(untitled)", style="bold"), Text(f"  {chat.id}", style="dim"))
    for message in chat.messages:
        console.print()
        label = message.role + (f" ({message.model})" if message.model else "")
        console.print(Text(label, style="bold green" if message.role == "user" else "bold blue"))
        if message.reasoning_content:
            console.print(Text(message.reasoning_content, style="dim italic"))
        console.print(Text(message.content))


def cmd_chats_show(args: argparse.Namespace) -> int:
    with make_client(args) as client:
        chat = client.chats.get(args.chat_id)
    if args.json:
        print_json(detail_dict(chat))
        return 0
    console = rich_console(args)
    if console is not None:
        _show_rich(console, chat)
        return 0
    parts = [f"{chat.title or '(untitled)'}  {chat.id}"]
    for message in chat.messages:
        block = [f"{message.role}:"]
        if message.reasoning_content:
            block.append("[reasoning] " + message.reasoning_content)
        block.append(message.content)
        parts.append("\n".join(block))
    write("\n\n".join(parts) + "\n")
    return 0


def _confirm(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_chats_delete(args: argparse.Namespace) -> int:
    if not args.yes:
        if not isatty(sys.stdin):
            raise UsageError("refusing to delete without confirmation: add --yes")
        count = len(args.chat_ids)
        if not _confirm(f"Delete {count} chat{'s' if count > 1 else ''} ({', '.join(args.chat_ids)})? [y/N] "):
            info("Nothing deleted.")
            return 0
    from qwen_api.core.exceptions import QwenAPIError, QwenInputError, QwenNotFoundError, QwenPermissionError

    # Every id is tried, and each one left undeleted gets its own line: stopping at the first failure
    # left the rest (of an `xargs qwen chats delete --yes` batch) in place without a word. A failure
    # that is not about one chat (the token, the network) ends the run and names the ids left.
    status = 0
    with make_client(args) as client:
        for index, chat_id in enumerate(args.chat_ids):
            try:
                if not client.chats.delete(chat_id):
                    raise QwenNotFoundError("the service answered that it did not delete it")
            except QwenInputError as exc:
                info(f"qwen: error: {exc} (not deleted)")
                status = max(status, 2)
            except (QwenNotFoundError, QwenPermissionError) as exc:
                info(f"qwen: {type(exc).__name__}: {exc} (chat {chat_id} not deleted)")
                status = max(status, 1)
            except QwenAPIError as exc:
                info(f"qwen: {type(exc).__name__}: {exc}")
                info(f"qwen: not deleted: {' '.join(args.chat_ids[index:])}")
                return 1
            else:
                write(f"Deleted {chat_id}\n")
    return status


# -- upload ------------------------------------------------------------------------------------------


def file_dict(result: FileResult) -> dict[str, Any]:
    return {
        "file_id": result.file_id,
        "filename": result.filename,
        "size": result.size,
        "mimetype": result.mimetype,
        "file_type": result.file_type,
        "parse_status": result.parse_status,
        "file_url": result.file_url.split("?", 1)[0],  # the presigned query carries credentials
    }


def cmd_upload(args: argparse.Namespace) -> int:
    paths = check_paths(args.paths)
    with make_client(args) as client:
        for index, path in enumerate(paths):
            result = upload_one(client, path, args)
            if args.json:
                print_json(file_dict(result))
                continue
            fields = file_dict(result)
            width = max(len(k) for k in fields)
            lines = [f"{key.ljust(width)}  {'' if value is None else value}" for key, value in fields.items()]
            write(("\n" if index else "") + "\n".join(lines) + "\n")
    return 0


# -- image -------------------------------------------------------------------------------------------


def cmd_image(args: argparse.Namespace) -> int:
    prompt = " ".join(args.prompt)
    if not prompt.strip():
        raise UsageError("the prompt is empty")
    directory = Path(args.output_dir) if args.output_dir else None
    if directory is not None:  # before generating: a bad folder or a taken file name must not cost an image
        from ._download import check_first_target

        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--output-dir {directory}: {exc.strerror or exc}") from None
        check_first_target(directory, prompt, force=bool(getattr(args, "force", False)))
    with make_client(args) as client:
        response = client.images.generate(prompt, model=chosen_model(args), size=args.size)
        base_url = client.base_url
    if not response.data:
        from ._download import NoImageError

        raise NoImageError("the service's answer carried no image (no image URL came back); nothing was saved")
    saved: list[Path] = []
    if directory is not None:
        from ._download import DownloadError, download_images

        urls = [image.url for image in response.data]
        try:
            saved = download_images(
                urls,
                directory,
                prompt=prompt,
                base_url=base_url,
                timeout=args.timeout,
                force=bool(getattr(args, "force", False)),
            )
        except DownloadError:
            # The images were made (and counted against the account): their URLs must not be lost too.
            info("qwen: the images were generated but not all saved; their URLs: " + " ".join(urls))
            raise
    if args.json:
        images: list[dict[str, Any]] = [{"url": i.url, "width": i.width, "height": i.height} for i in response.data]
        for entry, path in zip(images, saved, strict=False):
            entry["path"] = str(path)
        print_json(
            {
                "chat_id": response.chat_id,
                "response_id": response.response_id,
                "model": response.model,
                "images": images,
            }
        )
        return 0
    for index, generated in enumerate(response.data):
        write(f"{saved[index] if saved else generated.url}\n")
    return 0


# -- mock-server -------------------------------------------------------------------------------------


def cmd_mock_server(args: argparse.Namespace) -> int:
    """Run ``python -m qwen_api.testing``'s ``main`` with the options given here (its banner says
    which ``QWEN_BASE_URL`` and ``QWEN_AUTH_TOKEN`` to set; without the ``server`` extra it prints one
    line with the install command and exits 2)."""
    from qwen_api.testing.__main__ import main as server_main

    argv = ["--host", args.host, "--port", str(args.port)]
    for option, value in (
        ("--token", args.token),
        ("--delay", args.delay),
        ("--answer-length", args.answer_length),
        ("--chunk-size", args.chunk_size),
    ):
        if value is not None:
            argv += [option, str(value)]
    return server_main(argv, prog="qwen")
