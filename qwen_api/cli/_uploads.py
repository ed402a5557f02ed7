"""Uploads with a progress bar (on a terminal, for large files), shared by ``upload`` and ``chat --file``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import UsageError, isatty, rich_console, write

if TYPE_CHECKING:
    from qwen_api.client import Qwen
    from qwen_api.types.files import FileResult

#: Files at least this large get a progress bar (when stderr is a terminal).
PROGRESS_THRESHOLD = 1024 * 1024

Progress = Callable[[int, int], None]


def check_paths(paths: list[str]) -> list[Path]:
    """Refuse missing or unreadable files before anything is sent (a usage error)."""
    checked = []
    for name in paths:
        path = Path(name).expanduser()
        if not path.exists():
            raise UsageError(f"{name}: no such file")
        if not path.is_file():
            raise UsageError(f"{name}: not a regular file")
        checked.append(path)
    return checked


@contextlib.contextmanager
def upload_progress(args: argparse.Namespace, path: Path) -> Iterator[Progress | None]:
    """A ``progress(sent, total)`` callback drawing a bar on stderr, or None when none is wanted."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < PROGRESS_THRESHOLD or getattr(args, "plain", False) or not isatty(sys.stderr):
        yield None
        return
    console = rich_console(args, sys.stderr)
    if console is None:  # a terminal, but rich is not installed: a percentage line
        shown = -1

        def report_plain(sent: int, total: int) -> None:
            nonlocal shown
            percent = int(sent * 100 / total) if total else 0
            if percent != shown:
                shown = percent
                write(f"\rUploading {path.name}: {percent:3d}%", sys.stderr)

        try:
            yield report_plain
        finally:
            write("\n", sys.stderr)
        return

    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(
        TextColumn("Uploading {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(path.name, total=size)

        def report(sent: int, total: int) -> None:
            bar.update(task, completed=sent, total=total or size)

        yield report


def upload_one(client: Qwen, path: Path, args: argparse.Namespace) -> FileResult:
    with upload_progress(args, path) as progress:
        if progress is None:
            return client.chat.upload_file(file_path=str(path))
        return client.chat.upload_file(file_path=str(path), progress=progress)


def upload_files(client: Qwen, paths: list[Path], args: argparse.Namespace) -> list[FileResult]:
    return [upload_one(client, path, args) for path in paths]
