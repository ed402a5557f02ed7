"""What type a file is: sniffed from its first bytes, else guessed from its name (no I/O here).

The upload sources (``_files.py``) read the head of the file and ask :func:`detect_mimetype`; the
storage grant and the message's file reference need the categories of :func:`categories`.
"""

from __future__ import annotations

import codecs
import functools
import mimetypes
import os

HEAD_SIZE = 8192  # enough for every signature below (the WebM DocType is the deepest, within ~40 bytes)

# Types the stdlib table (Python 3.11) lacks or names in a legacy form.
_EXTRA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".toml": "application/toml",
    ".jsonl": "application/jsonl",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".epub": "application/epub+zip",
    ".rtf": "application/rtf",
    ".gz": "application/gzip",
    ".webp": "image/webp",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".flac": "audio/flac",
    ".m4v": "video/mp4",
    ".mkv": "video/x-matroska",
    ".ts": "video/mp2t",
}
_ZIP_FAMILY = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".epub", ".jar", ".apk"}
_OLE_FAMILY = {".doc", ".xls", ".ppt", ".msg"}
_TEXTUAL = {
    "application/json",
    "application/jsonl",
    "application/javascript",
    "application/xml",
    "application/yaml",
    "application/toml",
    "application/rtf",
    "application/x-sh",
    "application/x-tex",
}
# The extension used for ``upload.<ext>`` when a base64 or bytes upload has no name.
_PREFERRED_EXTENSION = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/tiff": "tiff",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "text/plain": "txt",
    "application/octet-stream": "bin",
}


@functools.cache
def _types_by_extension() -> dict[str, str]:
    # A private MimeTypes() holds only the stdlib's built-in table, not /etc/mime.types, so the result
    # does not depend on the machine; built lazily to keep the import cheap.
    table = mimetypes.MimeTypes()
    return {**table.types_map[False], **table.types_map[True], **_EXTRA_TYPES}


def _by_name(filename: str | None) -> str | None:
    if not filename:
        return None
    return _types_by_extension().get(os.path.splitext(filename)[1].lower())


def extension_for(mimetype: str) -> str:
    if mimetype in _PREFERRED_EXTENSION:
        return _PREFERRED_EXTENSION[mimetype]
    for extension, known in sorted(_types_by_extension().items()):
        if known == mimetype:
            return extension.lstrip(".")
    return "bin"


def _ftyp(head: bytes, extension: str) -> str | None:
    """ISO base media files (MP4, MOV, M4A, 3GP, HEIC, AVIF) all start with an ``ftyp`` box of brands."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    major = head[8:12]
    box_end = min(int.from_bytes(head[0:4], "big"), len(head))
    brands = {major} | {head[i : i + 4] for i in range(16, box_end - 3, 4)}
    if brands & {b"avif", b"avis"}:
        return "image/avif"
    if brands & {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}:
        return "image/heic"
    if major in (b"mif1", b"msf1"):
        return "image/heif"
    if major in (b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ") or extension in (".m4a", ".m4b"):
        return "audio/mp4"
    if major == b"qt  ":
        return "video/quicktime"
    if major.startswith(b"3g2"):
        return "video/3gpp2"
    if major.startswith(b"3gp"):
        return "video/3gpp"
    return "video/mp4"


def _mpeg_audio_frame(head: bytes) -> bool:
    # An MP3 without an ID3 tag starts with a frame header: 11 sync bits, a valid version, layer II or
    # III, and valid bitrate and sample-rate indexes. Layer I is left out on purpose: its header
    # (FF FE/FF FF) collides with the UTF-16 byte-order mark, and nobody ships Layer I any more.
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer in (0b01, 0b10) and bitrate != 0b1111 and sample_rate != 0b11


def sniff(head: bytes, filename: str | None) -> str | None:
    """The type the bytes themselves announce, or None."""
    extension = os.path.splitext(filename or "")[1].lower()
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and len(head) >= 12:
        riff = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
        return riff.get(head[8:12])
    if head.startswith(b"BM") and len(head) >= 14 and head[6:10] == b"\0\0\0\0":
        return "image/bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return (_by_name(filename) if extension in _ZIP_FAMILY else None) or "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return (_by_name(filename) if extension in _OLE_FAMILY else None) or "application/x-ole-storage"
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "audio/aac"  # ADTS
    if head.startswith(b"OggS"):
        return "video/ogg" if b"\x80theora" in head[:96] else "audio/ogg"  # the first page names the codec
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # The DocType sits in the EBML header; further in, "libwebm" may name the muxer of a plain .mkv.
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    return _ftyp(head, extension)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        # Incremental, so a multi-byte character cut at the end of the head is not held against it.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\t\n\r\f\v\b\x1b" for char in text)


def _is_textual(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith(("+xml", "+json")) or mimetype in _TEXTUAL


def detect_mimetype(head: bytes, filename: str | None) -> str:
    """The MIME type of a file from its first bytes (8 KiB is plenty) and, as a hint, its name.

    Magic bytes win over the name, because the name is what users get wrong (a ``.png`` that is a
    JPEG). Names only decide within a container (ZIP -> docx/xlsx/pptx, OLE -> doc/xls/ppt) and for
    formats without a signature. A head that is valid UTF-8 text is ``text/plain`` unless the name
    gives a textual type (``.md``, ``.csv``, ``.json``, ``.svg``...); a non-textual name on text
    (``notes.png``) is not believed.
    """
    sniffed = sniff(head, filename)
    if sniffed is not None:
        return sniffed
    guessed = _by_name(filename)
    if head and _looks_like_text(head):
        return guessed if guessed is not None and _is_textual(guessed) else "text/plain"
    return guessed or "application/octet-stream"


def categories(mimetype: str) -> tuple[str, str]:
    """(getstsToken filetype, FileRef file_class). SVG is XML text, which vision models do not read."""
    major = mimetype.partition("/")[0]
    if major == "image" and mimetype != "image/svg+xml":
        return "image", "vision"
    if major in ("video", "audio"):
        return major, major
    return "file", "document"
