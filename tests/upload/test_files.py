"""Upload sources: every refusal happens before any network call, MIME sniffing, chunked streaming."""

from __future__ import annotations

import base64
import io
import os
import pathlib
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest

from qwen_api import _files
from qwen_api._files import (
    SIZE_LIMITS,
    UploadSource,
    aprepare_path,
    detect_mimetype,
    prepare_base64,
    prepare_bytes,
    prepare_fileobj,
    prepare_path,
)
from qwen_api.core.exceptions import QwenInvalidRequestError

MiB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(100)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(100)


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + bytes(64)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with path.open("wb") as file:
        file.write(head)
        file.truncate(size)
    return path


# ---------------------------------------------------------------------------------------------------------
# Errors, all QwenInvalidRequestError naming the argument, all before any network call
# ---------------------------------------------------------------------------------------------------------


def test_missing_file_names_the_argument_and_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "photo.png"
    with pytest.raises(QwenInvalidRequestError, match=r"^file_path: no such file: .*nope/photo\.png") as info:
        prepare_path(missing)
    assert isinstance(info.value.__cause__, FileNotFoundError)
    with pytest.raises(QwenInvalidRequestError, match=r"^ImageBlock\.path: no such file"):
        prepare_path(str(missing), argument="ImageBlock.path")


def test_path_through_a_regular_file_is_missing(tmp_path: Path) -> None:
    parent = _write(tmp_path / "file.txt", b"x")
    with pytest.raises(QwenInvalidRequestError, match="no such file"):
        prepare_path(parent / "child.png")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QwenInvalidRequestError, match="is a directory"):
        prepare_path(tmp_path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.png", b"")
    with pytest.raises(QwenInvalidRequestError, match=r"empty\.png.*is empty \(0 bytes\)"):
        prepare_path(empty)


def test_non_regular_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(QwenInvalidRequestError, match="not a regular file"):
        prepare_path(fifo)  # must not block waiting for a writer
    with pytest.raises(QwenInvalidRequestError, match="not a regular file"):
        prepare_path("/dev/null")


def test_unreadable_file_is_refused_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = _write(tmp_path / "secret.png", PNG)
    real_open = _files.open_regular

    def deny(path: Path) -> object:
        if path == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(_files, "open_regular", deny)  # the one place files are opened (see open_regular)
    with pytest.raises(QwenInvalidRequestError, match=r"secret\.png.*not readable \(permission denied\)") as info:
        prepare_path(secret)
    assert isinstance(info.value.__cause__, PermissionError)


def test_inaccessible_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(self: Path, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "stat", deny)
    with pytest.raises(QwenInvalidRequestError, match=r"cannot access .* \(permission denied\)"):
        prepare_path(tmp_path / "x.png")


def test_not_a_path_is_refused() -> None:
    with pytest.raises(QwenInvalidRequestError, match="expected a path"):
        prepare_path(42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filetype", "head", "name"),
    [
        ("image", PNG, "huge.png"),
        ("audio", b"ID3\x04\x00" + bytes(20), "huge.mp3"),
        ("video", _ftyp(b"isom", b"isom", b"mp41"), "huge.mp4"),
        ("file", PDF, "huge.pdf"),
    ],
)
def test_size_limit_per_filetype(tmp_path: Path, filetype: str, head: bytes, name: str) -> None:
    limit = SIZE_LIMITS[filetype]
    at_limit = prepare_path(_sparse(tmp_path / ("ok-" + name), limit, head))
    assert (at_limit.filetype, at_limit.size) == (filetype, limit)
    over = _sparse(tmp_path / name, limit + 1, head)
    message = rf"^file_path: '{name}' is too large to upload: {limit + 1} bytes .* exceeds the {limit // MiB} MiB limit"
    with pytest.raises(QwenInvalidRequestError, match=message):
        prepare_path(over)


def test_documented_limits() -> None:
    assert dict(SIZE_LIMITS) == {"image": 20 * MiB, "audio": 100 * MiB, "video": 500 * MiB, "file": 100 * MiB}
    with pytest.raises(TypeError):
        SIZE_LIMITS["image"] = 1  # type: ignore[index]


def test_size_limit_for_in_memory_sources() -> None:
    big = PNG + bytes(20 * MiB)
    with pytest.raises(QwenInvalidRequestError, match=r"^data: 'upload\.png' is too large.*20 MiB limit for image"):
        prepare_bytes(big)
    with pytest.raises(QwenInvalidRequestError, match=r"^base64_data: .*too large"):
        prepare_base64(base64.b64encode(big).decode())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("@@@", "not valid base64"),
        ("aGVsbG8", "not valid base64"),  # missing padding
        ("aGVsbG8=!", "not valid base64"),
        ("aGVs bG8=\x00", "not valid base64"),
        ("====", "not valid base64"),
        ("", "is empty"),
        ("   \n ", "is empty"),
        ("data:image/png;base64,", "is empty"),
        ("data:image/png;base64,@@@", "not valid base64"),
        ("data:image/png,iVBORw0KGgo=", "must be base64-encoded"),
        ("data:image/png;base64", "needs a ','"),
        ("data:text/plain;charset=utf-8,hello", "must be base64-encoded"),
    ],
)
def test_invalid_base64_is_refused(data: str, message: str) -> None:
    with pytest.raises(QwenInvalidRequestError, match=rf"^base64_data: .*{message}"):
        prepare_base64(data)


def test_base64_must_be_a_string() -> None:
    with pytest.raises(QwenInvalidRequestError, match="expected a base64 string, got bytes"):
        prepare_base64(b"aGVsbG8=")  # type: ignore[arg-type]


def test_base64_accepts_line_breaks_urlsafe_and_case_insensitive_data_urls() -> None:
    payload = bytes(range(256)) * 3
    wrapped = base64.encodebytes(payload).decode()  # 76-column lines
    assert prepare_base64(wrapped).data == payload
    assert prepare_base64(base64.urlsafe_b64encode(payload).decode()).data == payload
    url = "DATA:Image/PNG;Base64," + base64.b64encode(PNG).decode()
    source = prepare_base64(url)
    assert (source.data, source.mimetype, source.filename) == (PNG, "image/png", "upload.png")


def test_base64_mime_from_bytes_then_data_url_then_sniffing() -> None:
    # The bytes win over a wrong data URL (the old SDK said image/png for everything).
    jpeg_as_png = "data:image/png;base64," + base64.b64encode(JPEG).decode()
    assert prepare_base64(jpeg_as_png).mimetype == "image/jpeg"
    # Bytes without a signature: the data URL's type is used.
    text = base64.b64encode(b"a,b\n1,2\n").decode()
    assert prepare_base64("data:text/csv;base64," + text).mimetype == "text/csv"
    assert prepare_base64("data:;base64," + text).mimetype == "text/plain"
    assert prepare_base64("data:not a type;base64," + text).mimetype == "text/plain"
    # No data URL: sniffed from the bytes, or from the name.
    assert prepare_base64(base64.b64encode(PDF).decode()).mimetype == "application/pdf"
    assert prepare_base64(text, filename="table.csv").mimetype == "text/csv"


@pytest.mark.parametrize(
    ("body", "filename"),
    [
        (PNG, "upload.png"),
        (JPEG, "upload.jpg"),
        (b"GIF89a" + bytes(20), "upload.gif"),
        (PDF, "upload.pdf"),
        (b"ID3\x03" + bytes(20), "upload.mp3"),
        (_ftyp(b"qt  "), "upload.mov"),
        (_ftyp(b"isom"), "upload.mp4"),
        (b"plain text", "upload.txt"),
        (b"\x00\x01\x02\x03", "upload.bin"),
    ],
)
def test_synthesized_filename_from_mime(body: bytes, filename: str) -> None:
    assert prepare_base64(base64.b64encode(body).decode()).filename == filename
    assert prepare_bytes(body).filename == filename


def test_user_filename_keeps_its_basename_only() -> None:
    encoded = base64.b64encode(PNG).decode()
    assert prepare_base64(encoded, filename="photo 1 (copy) 图片.png").filename == "photo 1 (copy) 图片.png"
    assert prepare_base64(encoded, filename="/etc/../home/me/cat.png").filename == "cat.png"
    assert prepare_base64(encoded, filename="C:\\Users\\me\\cat.png").filename == "cat.png"
    for bad in ("", "dir/", "..", "a/."):
        with pytest.raises(QwenInvalidRequestError, match="has no file name"):
            prepare_base64(encoded, filename=bad)


def test_bytes_errors() -> None:
    with pytest.raises(QwenInvalidRequestError, match=r"^data: is empty"):
        prepare_bytes(b"")
    with pytest.raises(QwenInvalidRequestError, match="expected bytes, got str"):
        prepare_bytes("text")  # type: ignore[arg-type]
    assert prepare_bytes(bytearray(PNG)).data == PNG


# ---------------------------------------------------------------------------------------------------------
# File objects
# ---------------------------------------------------------------------------------------------------------


def test_fileobj_on_disk_streams_from_its_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "scan.pdf", PDF)
    with path.open("rb") as file:
        source = prepare_fileobj(file)
    assert (source.path, source.data, source.filename, source.mimetype) == (path, None, "scan.pdf", "application/pdf")
    with path.open("rb") as file:
        renamed = prepare_fileobj(file, filename="dir/report.docx")
    assert (renamed.path, renamed.filename) == (path, "report.docx")


def test_fileobj_name_decides_within_zip_container(tmp_path: Path) -> None:
    path = _write(tmp_path / "tmp8x2k", b"PK\x03\x04" + bytes(60))
    with path.open("rb") as file:
        assert prepare_fileobj(file).mimetype == "application/zip"
    with path.open("rb") as file:
        assert prepare_fileobj(file, filename="report.docx").mimetype.endswith("wordprocessingml.document")


def test_half_read_fileobj_is_read_from_its_position(tmp_path: Path) -> None:
    path = _write(tmp_path / "data.bin", b"HEADER" + PNG)
    with path.open("rb") as file:
        file.read(6)
        source = prepare_fileobj(file)
    assert (source.path, source.data, source.mimetype, source.filename) == (None, PNG, "image/png", "data.bin")


def test_in_memory_and_pipe_fileobjs_are_read() -> None:
    source = prepare_fileobj(io.BytesIO(JPEG))
    assert (source.data, source.filename, source.filetype, source.file_class) == (JPEG, "upload.jpg", "image", "vision")
    read_fd, write_fd = os.pipe()
    with os.fdopen(write_fd, "wb") as writer:
        writer.write(b"notes\n")
    with os.fdopen(read_fd, "rb") as reader:
        piped = prepare_fileobj(reader, filename="notes.md")
    assert (piped.data, piped.mimetype, piped.filename) == (b"notes\n", "text/markdown", "notes.md")


def test_fileobj_errors(tmp_path: Path) -> None:
    with pytest.raises(QwenInvalidRequestError, match=r"^fileobj: is empty"):
        prepare_fileobj(io.BytesIO(b""))
    with pytest.raises(QwenInvalidRequestError, match="binary mode"):
        prepare_fileobj(io.StringIO("text"))  # type: ignore[arg-type]
    with (
        (tmp_path / "w.bin").open("wb") as writer,
        pytest.raises(QwenInvalidRequestError, match="not open for reading"),
    ):
        prepare_fileobj(writer)

    class Broken(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: object) -> int:
            raise OSError(5, "Input/output error")

    with pytest.raises(QwenInvalidRequestError, match="cannot be read"):
        prepare_fileobj(Broken())  # type: ignore[arg-type]


def test_endless_stream_is_refused_after_reading_just_past_the_limit() -> None:
    class Endless(io.RawIOBase):
        delivered = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            start = PNG if self.delivered == 0 else b""
            n = len(buffer)
            buffer[:n] = (start + bytes(n))[:n]
            self.delivered += n
            return n

    stream = Endless()
    with pytest.raises(QwenInvalidRequestError, match="20 MiB limit for image"):
        prepare_fileobj(stream)  # type: ignore[arg-type]
    assert SIZE_LIMITS["image"] < stream.delivered <= SIZE_LIMITS["image"] + MiB


# ---------------------------------------------------------------------------------------------------------
# MIME detection
# ---------------------------------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + bytes(30)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(30)
EBML = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84"


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        # images
        (PNG, None, "image/png"),
        (PNG, "photo.jpg", "image/png"),  # the bytes win over a wrong extension
        (JPEG, None, "image/jpeg"),
        (b"GIF87a" + bytes(10), None, "image/gif"),
        (b"GIF89a" + bytes(10), None, "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", None, "image/webp"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", None, "image/bmp"),
        (b"II*\x00\x08\x00\x00\x00", None, "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", None, "image/tiff"),
        (_ftyp(b"heic", b"mif1", b"heic"), None, "image/heic"),
        (_ftyp(b"mif1", b"mif1", b"heic"), None, "image/heic"),
        (_ftyp(b"mif1", b"mif1"), None, "image/heif"),
        (_ftyp(b"avif", b"avif", b"mif1"), None, "image/avif"),
        (_ftyp(b"mif1", b"avif", b"miaf"), None, "image/avif"),
        # documents
        (PDF, None, "application/pdf"),
        (PDF, "notes.txt", "application/pdf"),
        (ZIP, "report.docx", DOCX),
        (ZIP, "sheet.XLSX", XLSX),
        (ZIP, "deck.pptx", PPTX),
        (ZIP, "archive.zip", "application/zip"),
        (ZIP, None, "application/zip"),
        (ZIP, "photo.png", "application/zip"),
        (OLE, "old.doc", "application/msword"),
        (OLE, "old.xls", "application/vnd.ms-excel"),
        (OLE, None, "application/x-ole-storage"),
        # audio
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", None, "audio/mpeg"),
        (b"\xff\xfb\x90\x64" + bytes(20), None, "audio/mpeg"),  # MPEG-1 layer III frame
        (b"\xff\xf3\x84\xc4" + bytes(20), None, "audio/mpeg"),  # MPEG-2 layer III frame
        (b"\xff\xf1\x50\x80" + bytes(20), None, "audio/aac"),  # ADTS
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", None, "audio/wav"),
        (b"OggS\x00\x02" + bytes(22) + b"\x01vorbis", None, "audio/ogg"),
        (b"OggS\x00\x02" + bytes(22) + b"OpusHead", None, "audio/ogg"),
        (b"fLaC\x00\x00\x00\x22", None, "audio/flac"),
        (_ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), None, "audio/mp4"),
        (_ftyp(b"isom", b"isom", b"iso2"), "voice.m4a", "audio/mp4"),
        # video
        (_ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), None, "video/mp4"),
        (_ftyp(b"mp42", b"mp42", b"isom"), "clip.mp4", "video/mp4"),
        (_ftyp(b"qt  ", b"qt  "), None, "video/quicktime"),
        (_ftyp(b"3gp4", b"3gp4"), None, "video/3gpp"),
        (EBML + b"webm\x42\x87", None, "video/webm"),
        (EBML + b"matroska", None, "video/x-matroska"),
        (b"RIFF\x24\x08\x00\x00AVI LIST", None, "video/x-msvideo"),
        (b"OggS\x00\x02" + bytes(22) + b"\x80theora", None, "video/ogg"),
        # text
        (b"hello, world\n", None, "text/plain"),
        (b"# Title\n\nSome *markdown*.\n", "README.md", "text/markdown"),
        (b"a,b\n1,2\n", "table.csv", "text/csv"),
        (b'{"a": 1}', "data.json", "application/json"),
        (b"key: value\n", "conf.yaml", "application/yaml"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "image/svg+xml"),
        (b"print('hi')\n", "script.py", "text/x-python"),
        (b"just text", "photo.png", "text/plain"),  # a non-textual name on text is not believed
        (b"const x: number = 1;\n", "app.ts", "text/plain"),  # .ts is MPEG-TS by name, but this is text
        (b"BM is just the start of this sentence", None, "text/plain"),  # not a BMP header
        ("caf\u00e9 \u56fe\u7247 \U0001f600".encode()[:-1], None, "text/plain"),  # emoji cut mid-sequence
        ("\ufeffBOM text".encode(), None, "text/plain"),
        # binary without a signature
        (bytes(64), None, "application/octet-stream"),
        (bytes(64), "song.mp3", "audio/mpeg"),
        (b"\x00\x01\x02garbage", "blob.unknownext", "application/octet-stream"),
        ("\ufeffUTF-16 text".encode("utf-16-le"), None, "application/octet-stream"),  # FF FE is not MP3
        (b"", "x.pdf", "application/pdf"),
        (b"", None, "application/octet-stream"),
    ],
)
def test_detect_mimetype(head: bytes, filename: str | None, expected: str) -> None:
    assert detect_mimetype(head, filename) == expected


@pytest.mark.parametrize(
    ("body", "name", "filetype", "file_class"),
    [
        (PNG, "a.png", "image", "vision"),
        (_ftyp(b"heic", b"heic"), "a.heic", "image", "vision"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.svg", "file", "document"),
        (b"ID3\x03" + bytes(8), "a.mp3", "audio", "audio"),
        (_ftyp(b"M4A "), "a.m4a", "audio", "audio"),
        (_ftyp(b"isom"), "a.mp4", "video", "video"),
        (EBML + b"webm", "a.webm", "video", "video"),
        (PDF, "a.pdf", "file", "document"),
        (ZIP, "a.docx", "file", "document"),
        (b"text", "a.txt", "file", "document"),
    ],
)
def test_service_categories(body: bytes, name: str, filetype: str, file_class: str) -> None:
    source = prepare_bytes(body, name)
    assert (source.filetype, source.file_class) == (filetype, file_class)


# ---------------------------------------------------------------------------------------------------------
# Streaming
# ---------------------------------------------------------------------------------------------------------


def _sources(tmp_path: Path) -> list[UploadSource]:
    content = PNG + os.urandom(1000 * 1000)
    return [prepare_path(_write(tmp_path / "p.png", content)), prepare_bytes(content)]


def _recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    calls: list[tuple[int, int]] = []
    return calls, lambda sent, total: calls.append((sent, total))


def _check_progress(calls: list[tuple[int, int]], total: int, chunk_size: int) -> None:
    assert calls[-1] == (total, total)
    assert [sent for sent, _ in calls] == sorted({sent for sent, _ in calls})
    assert all(t == total for _, t in calls)
    assert len(calls) == -(-total // chunk_size)


def test_iter_chunks_is_re_iterable_with_progress(tmp_path: Path) -> None:
    for source in _sources(tmp_path):
        expected = source.data if source.data is not None else source.path.read_bytes()  # type: ignore[union-attr]
        for chunk_size in (64 * 1024, 1000 * 1000 + 200, 7):
            calls, progress = _recorder()
            chunks = list(source.iter_chunks(chunk_size=chunk_size, progress=progress))
            assert b"".join(chunks) == expected
            assert all(0 < len(chunk) <= chunk_size for chunk in chunks)
            _check_progress(calls, source.size, chunk_size)
        # A second pass (a retry) sends the same bytes again.
        assert b"".join(source.iter_chunks()) == b"".join(source.iter_chunks()) == expected


async def test_aiter_chunks_is_re_iterable_with_progress(tmp_path: Path) -> None:
    for source in _sources(tmp_path):
        expected = source.data if source.data is not None else source.path.read_bytes()  # type: ignore[union-attr]
        for _attempt in range(2):
            calls, progress = _recorder()
            chunks = [chunk async for chunk in source.aiter_chunks(chunk_size=100_000, progress=progress)]
            assert b"".join(chunks) == expected
            _check_progress(calls, source.size, 100_000)


def test_chunk_size_must_be_positive(tmp_path: Path) -> None:
    source = _sources(tmp_path)[0]
    with pytest.raises(ValueError, match="chunk_size"):
        next(source.iter_chunks(chunk_size=0))


@pytest.mark.parametrize("new_content", [PNG, PNG + bytes(1000) + b"more"], ids=["shrunk", "grew"])
def test_file_changing_size_after_prepare_fails_the_stream(tmp_path: Path, new_content: bytes) -> None:
    path = _write(tmp_path / "p.png", PNG + bytes(1000))
    source = prepare_path(path)
    path.write_bytes(new_content)
    with pytest.raises(QwenInvalidRequestError, match="changed size"):
        list(source.iter_chunks())


async def test_file_changing_size_fails_the_async_stream(tmp_path: Path) -> None:
    path = _write(tmp_path / "p.png", PNG + bytes(1000))
    source = prepare_path(path)
    path.write_bytes(PNG)
    with pytest.raises(QwenInvalidRequestError, match="changed size"):
        _ = [chunk async for chunk in source.aiter_chunks()]


def test_upload_source_invariants(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        UploadSource("a", 1, "text/plain", "file", "document")
    with pytest.raises(ValueError, match="exactly one"):
        UploadSource("a", 1, "text/plain", "file", "document", path=tmp_path, data=b"x")
    with pytest.raises(ValueError, match="size"):
        UploadSource("a", 2, "text/plain", "file", "document", data=b"x")
    assert "<3 bytes>" in repr(UploadSource("a", 3, "text/plain", "file", "document", data=b"abc"))


BIG = 64 * MiB


@pytest.fixture
def sparse_big_file(tmp_path: Path) -> Path:
    return _sparse(tmp_path / "big.bin", BIG)


def test_large_file_streams_with_bounded_memory(sparse_big_file: Path) -> None:
    source = prepare_path(sparse_big_file)
    assert (source.size, source.data, source.filetype) == (BIG, None, "file")
    tracemalloc.start()
    try:
        total = 0
        for chunk in source.iter_chunks():
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == BIG
    assert peak < 8 * MiB


async def test_large_file_streams_async_with_bounded_memory(sparse_big_file: Path) -> None:
    source = await aprepare_path(sparse_big_file)
    tracemalloc.start()
    try:
        total = 0
        async for chunk in source.aiter_chunks():
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == BIG
    assert peak < 8 * MiB


async def test_async_streaming_keeps_the_event_loop_responsive(sparse_big_file: Path) -> None:
    source = await aprepare_path(sparse_big_file)
    events: list[str] = []
    done = anyio.Event()

    async def ticker() -> None:
        while not done.is_set():
            events.append("tick")
            await anyio.sleep(0)

    async with anyio.create_task_group() as group:
        group.start_soon(ticker)
        async for _chunk in source.aiter_chunks(chunk_size=MiB):
            events.append("chunk")  # the consumer itself never awaits anything
        done.set()

    first, last = events.index("chunk"), len(events) - 1 - events[::-1].index("chunk")
    between = events[first:last]
    # The ticker ran between chunks: every read gave the loop back instead of blocking it.
    assert between.count("tick") >= between.count("chunk") - 1 > 0


async def test_aprepare_path_runs_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "p.png", PNG)
    real = _files.prepare_path

    def slow_prepare(*args: object, **kwargs: object) -> UploadSource:
        time.sleep(0.3)  # a slow disk / network filesystem
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_files, "prepare_path", slow_prepare)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await anyio.sleep(0.01)

    async with anyio.create_task_group() as group:
        group.start_soon(ticker)
        source = await aprepare_path(path)
        group.cancel_scope.cancel()
    assert source == real(path)
    assert ticks >= 5  # a blocking call would have left the ticker at 1


async def test_aprepare_path_raises_the_same_errors(tmp_path: Path) -> None:
    with pytest.raises(QwenInvalidRequestError, match=r"^file_path: no such file"):
        await aprepare_path(tmp_path / "missing.png")
    with pytest.raises(QwenInvalidRequestError, match=r"^VideoBlock\.path: .* is a directory"):
        await aprepare_path(tmp_path, argument="VideoBlock.path")
