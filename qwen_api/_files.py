"""Turn what the user hands to an upload (a path, base64, bytes, a file object) into a validated
:class:`UploadSource`, before any network call is made.

Why this exists: the older SDK labelled every base64 upload ``image/png``, uploaded an empty file for
invalid base64, had no size limit, and did blocking file I/O inside async code. Here every check
(existence, type, readability, emptiness, size, MIME type) runs first and raises
:class:`~qwen_api.core.exceptions.QwenInputError` naming the offending argument (also the built-in
exception for the case: ``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``, ``TypeError``,
``ValueError``), and the
body is streamed from disk in chunks so that a retry can simply iterate again.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import io
import os
import re
import stat
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import anyio
import anyio.to_thread
import attrs

from ._exceptions import (
    QwenFileNotFoundError,
    QwenFilePermissionError,
    QwenInputError,
    QwenInputTypeError,
    QwenInputValueError,
    QwenInvalidRequestError,
    QwenIsADirectoryError,
)
from ._mime import HEAD_SIZE, categories, detect_mimetype, extension_for, sniff

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "SIZE_LIMITS",
    "UploadSource",
    "aprepare_path",
    "detect_mimetype",
    "prepare_base64",
    "prepare_bytes",
    "prepare_fileobj",
    "prepare_path",
]

MiB = 1024 * 1024
DEFAULT_CHUNK_SIZE = 256 * 1024

SIZE_LIMITS: Mapping[str, int] = MappingProxyType(
    {"image": 20 * MiB, "audio": 100 * MiB, "video": 500 * MiB, "file": 100 * MiB}
)
"""The SDK's own upper bound per ``getstsToken`` filetype, checked before anything is sent.

The service publishes no limits (the models list carries a per-model ``file_limits`` object whose
meaning is not documented), so these are deliberately conservative: large enough for any photo,
document, voice note or short clip a chat turn can use, small enough that a mistaken path (a disk
image, a raw video) fails at once with a clear message instead of after minutes of uploading and a
refusal from the service. The mapping is read-only; callers who need another bound check it themselves.
"""

ProgressCallback = Callable[[int, int], None]


def _input_error(
    argument: str, problem: str, kind: type[QwenInputError] = QwenInputValueError, path: str | None = None
) -> QwenInputError:
    """A local mistake as the built-in exception it is (``kind``), and a ``QwenInvalidRequestError``."""
    error = kind(f"{argument}: {problem}")
    if path is not None and isinstance(error, OSError):
        error.filename = path
    return error


def _size_text(size: int) -> str:
    return f"{size} bytes ({size / MiB:.1f} MiB)"


@attrs.frozen
class UploadSource:
    """A validated upload body and the metadata the upload steps need; built by the ``prepare_*`` functions.

    Exactly one of ``path`` (streamed from disk) and ``data`` (held in memory) is set. ``size`` is the
    Content-Length to declare; streaming fails if the file on disk no longer has that size.
    """

    filename: str
    size: int
    mimetype: str
    filetype: str
    """The ``getstsToken`` category: ``image``, ``video``, ``audio`` or ``file``."""
    file_class: str
    """The FileRef ``file_class``: ``vision`` (images), ``video``, ``audio`` or ``document``."""
    path: Path | None = None
    data: bytes | None = attrs.field(default=None, repr=lambda d: "None" if d is None else f"<{len(d)} bytes>")

    def __attrs_post_init__(self) -> None:
        if (self.path is None) == (self.data is None):
            raise ValueError("UploadSource needs exactly one of path and data")
        if self.data is not None and len(self.data) != self.size:
            raise ValueError("UploadSource.size must equal len(data)")

    def iter_chunks(
        self, chunk_size: int = DEFAULT_CHUNK_SIZE, progress: ProgressCallback | None = None
    ) -> Iterator[bytes]:
        """Yield the body in chunks, reopening the file on every call so a retry can resend it.

        ``progress(sent, total)`` is called after each chunk has been taken by the consumer, ending
        with ``(total, total)``.
        """
        _check_chunk_size(chunk_size)
        sent = 0
        for chunk in self._memory_chunks(chunk_size) if self.data is not None else self._file_chunks(chunk_size):
            yield chunk
            sent += len(chunk)
            if progress is not None:
                progress(sent, self.size)

    async def aiter_chunks(
        self, chunk_size: int = DEFAULT_CHUNK_SIZE, progress: ProgressCallback | None = None
    ) -> AsyncIterator[bytes]:
        """Async :meth:`iter_chunks`: file reads run in a worker thread, never on the event loop."""
        _check_chunk_size(chunk_size)
        sent = 0
        chunks = _aiter(self._memory_chunks(chunk_size)) if self.data is not None else self._afile_chunks(chunk_size)
        async with contextlib.aclosing(chunks):  # close the file as soon as the consumer stops, not at GC
            async for chunk in chunks:
                yield chunk
                sent += len(chunk)
                if progress is not None:
                    progress(sent, self.size)

    def _memory_chunks(self, chunk_size: int) -> Iterator[bytes]:
        assert self.data is not None
        view = memoryview(self.data)
        for start in range(0, self.size, chunk_size):
            yield bytes(view[start : start + chunk_size])

    def _file_chunks(self, chunk_size: int) -> Iterator[bytes]:
        # Exactly ``size`` bytes or an error: the Content-Length was declared (and maybe signed) already.
        assert self.path is not None
        with self._open() as file:
            remaining = self.size
            while remaining:
                chunk = file.read(min(chunk_size, remaining))
                if not chunk:
                    raise self._changed()
                remaining -= len(chunk)
                yield chunk
            if file.read(1):
                raise self._changed()

    async def _afile_chunks(self, chunk_size: int) -> AsyncGenerator[bytes, None]:
        assert self.path is not None
        async with anyio.wrap_file(await anyio.to_thread.run_sync(self._open)) as file:
            remaining = self.size
            while remaining:
                chunk = await file.read(min(chunk_size, remaining))
                if not chunk:
                    raise self._changed()
                remaining -= len(chunk)
                yield chunk
            if await file.read(1):
                raise self._changed()

    def _open(self) -> BinaryIO:
        assert self.path is not None
        try:
            return open_regular(self.path)
        except OSError:
            raise self._changed() from None

    def _changed(self) -> QwenInvalidRequestError:
        return QwenInvalidRequestError(
            f"{str(self.path)!r} changed size (or stopped being a regular file) while it was being uploaded "
            f"(expected {self.size} bytes)"
        )


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file *now*: a file swapped for a FIFO (or a
    device) after it was checked would block the upload forever. Opening without blocking and checking
    the opened descriptor leaves no window between the check and the read."""
    nonblock = getattr(os, "O_NONBLOCK", 0)  # (Windows has no FIFOs to open)
    fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        if nonblock:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


async def _aiter(chunks: Iterator[bytes]) -> AsyncGenerator[bytes, None]:
    for chunk in chunks:
        yield chunk


def _check_chunk_size(chunk_size: int) -> None:
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be positive, got {chunk_size}")


# ------------------------------------------------------------------------------------------------------
# Preparing sources
# ------------------------------------------------------------------------------------------------------


def _basename(filename: str, argument: str) -> str:
    # Both separators, so a Windows path given on Linux (or the reverse) still yields just the name.
    name = re.split(r"[\\/]", filename)[-1].strip()
    if not name or name in (".", ".."):
        raise _input_error(argument, f"filename {filename!r} has no file name in it")
    return name


def _build(
    *, argument: str, filename: str, size: int, mimetype: str, path: Path | None = None, data: bytes | None = None
) -> UploadSource:
    filetype, file_class = categories(mimetype)
    limit = SIZE_LIMITS[filetype]
    if size > limit:
        raise _input_error(
            argument,
            f"{filename!r} is too large to upload: {_size_text(size)} exceeds the {limit // MiB} MiB limit for "
            f"{filetype} files ({mimetype})",
        )
    return UploadSource(
        filename=filename,
        size=size,
        mimetype=mimetype,
        filetype=filetype,
        file_class=file_class,
        path=path,
        data=data,
    )


def prepare_path(path: str | os.PathLike[str], *, argument: str = "file_path") -> UploadSource:
    """Validate a file on disk and describe it; the body is streamed later by :meth:`UploadSource.iter_chunks`.

    ``argument`` is the caller's name for the parameter, used in error messages.
    """
    try:
        file_path = Path(os.fspath(path))
    except TypeError:
        raise _input_error(
            argument, f"expected a path (str or os.PathLike), got {type(path).__name__}", QwenInputTypeError
        ) from None
    return _prepare_path(file_path, file_path.name, argument)


def _prepare_path(file_path: Path, name: str, argument: str) -> UploadSource:
    shown = str(file_path)
    try:
        info = file_path.stat()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _input_error(argument, f"no such file: {shown!r}", QwenFileNotFoundError, shown) from exc
    except PermissionError as exc:
        raise _input_error(
            argument, f"cannot access {shown!r} (permission denied)", QwenFilePermissionError, shown
        ) from exc
    except (OSError, ValueError) as exc:
        raise _input_error(argument, f"cannot access {shown!r}: {exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise _input_error(argument, f"{shown!r} is a directory, not a file", QwenIsADirectoryError, shown)
    if not stat.S_ISREG(info.st_mode):
        raise _input_error(argument, f"{shown!r} is not a regular file (a pipe, socket or device cannot be uploaded)")
    if info.st_size == 0:
        raise _input_error(argument, f"{shown!r} is empty (0 bytes); there is nothing to upload")
    try:
        with open_regular(file_path) as file:
            head = file.read(HEAD_SIZE)
    except PermissionError as exc:
        raise _input_error(
            argument, f"{shown!r} is not readable (permission denied)", QwenFilePermissionError, shown
        ) from exc
    except OSError as exc:
        raise _input_error(argument, f"cannot read {shown!r}: {exc}") from exc
    return _build(
        argument=argument,
        filename=name,
        size=info.st_size,
        mimetype=detect_mimetype(head, name),
        path=file_path.absolute(),
    )


async def aprepare_path(path: str | os.PathLike[str], *, argument: str = "file_path") -> UploadSource:
    """:func:`prepare_path` in a worker thread, so stat() and the head read never block the event loop."""
    return await anyio.to_thread.run_sync(functools.partial(prepare_path, path, argument=argument))


def prepare_bytes(
    data: bytes | bytearray | memoryview, filename: str | None = None, *, argument: str = "data"
) -> UploadSource:
    """Describe an in-memory body. Without ``filename``, the name is ``upload.<ext>`` from the sniffed type."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise _input_error(argument, f"expected bytes, got {type(data).__name__}", QwenInputTypeError)
    body = bytes(data)
    if not body:
        raise _input_error(argument, "is empty (0 bytes); there is nothing to upload")
    mimetype = detect_mimetype(body[:HEAD_SIZE], filename)
    return _in_memory(body, mimetype, filename, argument)


def _in_memory(body: bytes, mimetype: str, filename: str | None, argument: str) -> UploadSource:
    name = _basename(filename, argument) if filename is not None else f"upload.{extension_for(mimetype)}"
    return _build(argument=argument, filename=name, size=len(body), mimetype=mimetype, data=body)


_DATA_URL = re.compile(r"data:(?P<params>[^,]*),(?P<payload>.*)", re.IGNORECASE | re.DOTALL)
_MIME_SYNTAX = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*", re.ASCII)


def prepare_base64(data: str, filename: str | None = None, *, argument: str = "base64_data") -> UploadSource:
    """Decode raw base64 or a ``data:<mime>;base64,...`` URL, strictly, and describe the result.

    Invalid input is refused rather than decoded leniently: the older SDK turned ``"@@@"`` into an
    empty upload. Whitespace and line breaks are ignored; URL-safe ``-``/``_`` are accepted. The type
    comes from the bytes when they carry a signature, else from the data URL, else from the name/text.
    """
    if not isinstance(data, str):
        raise _input_error(argument, f"expected a base64 string, got {type(data).__name__}", QwenInputTypeError)
    text = data.strip()
    declared: str | None = None
    match = _DATA_URL.fullmatch(text)
    if match is not None:
        params = [param.strip() for param in match["params"].split(";")]
        if "base64" not in (param.lower() for param in params[1:]):
            raise _input_error(argument, "a data: URL must be base64-encoded (data:<type>;base64,<data>)")
        if _MIME_SYNTAX.fullmatch(params[0]):
            declared = params[0].lower()
        text = match["payload"]
    elif text[:5].lower() == "data:":
        raise _input_error(argument, "a data: URL needs a ',' before its data")
    payload = "".join(text.split())
    if not payload:
        raise _input_error(argument, "is empty; there is nothing to upload")
    altchars = b"-_" if ("-" in payload or "_" in payload) else None
    try:
        body = base64.b64decode(payload, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _input_error(argument, f"is not valid base64 ({exc}); nothing was uploaded") from exc
    if not body:
        raise _input_error(argument, "decodes to 0 bytes; there is nothing to upload")
    head = body[:HEAD_SIZE]
    mimetype = sniff(head, filename) or declared or detect_mimetype(head, filename)
    return _in_memory(body, mimetype, filename, argument)


def _disk_path(fileobj: BinaryIO) -> Path | None:
    """The file's path when ``fileobj`` is an unread handle on a regular file that is still at that path."""
    name = getattr(fileobj, "name", None)
    if not isinstance(name, str):
        return None
    try:
        if fileobj.tell() != 0:
            return None
        opened = os.fstat(fileobj.fileno())
        on_disk = os.stat(name)
    except (OSError, ValueError, AttributeError):
        return None
    if stat.S_ISREG(opened.st_mode) and os.path.samestat(opened, on_disk):
        return Path(name)
    return None


def prepare_fileobj(fileobj: BinaryIO, filename: str | None = None, *, argument: str = "fileobj") -> UploadSource:
    """Describe a binary file object.

    An unread handle on a file on disk is streamed from its path (and reopened on every retry);
    anything else (BytesIO, a pipe, a half-read file) is read once, from its current position, into
    memory, stopping just past the size limit so a huge stream is refused without being held whole.
    """
    if isinstance(fileobj, io.TextIOBase):
        raise _input_error(argument, "must be opened in binary mode ('rb'), not text mode", QwenInputTypeError)
    readable = getattr(fileobj, "readable", None)
    if callable(readable) and not readable():
        raise _input_error(argument, "is not open for reading")
    name = getattr(fileobj, "name", None)
    shown_name = filename if filename is not None else name if isinstance(name, str) else None

    disk_path = _disk_path(fileobj)
    if disk_path is not None:
        name = _basename(filename, argument) if filename is not None else disk_path.name
        return _prepare_path(disk_path, name, argument)

    head = _read_bytes(fileobj, HEAD_SIZE, argument)
    if not head:
        raise _input_error(argument, "is empty (0 bytes at the current position); there is nothing to upload")
    mimetype = detect_mimetype(head, shown_name)
    limit = SIZE_LIMITS[categories(mimetype)[0]]
    body = head + _read_bytes(fileobj, limit + 1 - len(head), argument)
    return _in_memory(body, mimetype, shown_name, argument)


def _read_bytes(fileobj: BinaryIO, size: int, argument: str) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        try:
            chunk = fileobj.read(min(remaining, MiB))
        except OSError as exc:
            raise _input_error(argument, f"cannot be read: {exc}") from exc
        if not isinstance(chunk, bytes | bytearray):
            raise _input_error(
                argument, f"read() returned {type(chunk).__name__}, not bytes; open it with 'rb'", QwenInputTypeError
            )
        if not chunk:
            break
        chunks.append(bytes(chunk))
        remaining -= len(chunk)
    return b"".join(chunks)
