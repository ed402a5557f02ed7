"""``qwen image --output-dir``: save generated images without trusting what the server names.

The service's answer is data from the network, so nothing in it decides where a file lands or
what is fetched: the CLI names each file itself (from the prompt, reduced to ``[a-z0-9-]``), writes
only inside ``--output-dir`` (created exclusively, never through a symlink), never replaces a file
unless ``--force`` is given, fetches only ``http(s)`` URLs on the hosts an answer can legitimately
name (the service's CDN and storage, or the host of ``base_url`` for the local server), follows a
redirect only to such a host, and stops at :data:`MAX_IMAGE_BYTES`.

``--timeout`` bounds connecting and each read; a host that trickles one byte at a time never lets
a read time out, so the downloads of one command, redirects included, must also end within
:data:`DOWNLOAD_TIME_FACTOR` times ``--timeout`` (2 minutes with the default 30 s). Each request's
timeouts are cut to what is left when it starts, and the deadline is checked after every read,
so the command ends at most one ``--timeout`` after it.

Two kinds of failure, two exit codes (README): a refused or failed download is the service's side
(:class:`DownloadError`, exit 1 like any API error); a file in the way is the user's side
(:class:`OutputFileError`, exit 2 like any local file the CLI cannot write).
"""

from __future__ import annotations

import math
import os
import re
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from qwen_api.core.exceptions import QwenAPIError

from ._common import UsageError

MAX_IMAGE_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 3
DOWNLOAD_TIME_FACTOR = 4
"""All the downloads of one ``qwen image -o`` must end within this many ``--timeout``s."""
IMAGE_HOST_SUFFIXES = (".qwenlm.ai", ".qwen.ai", ".aliyuncs.com", ".alicdn.com")
"""Where the service's images live (recorded: ``cdn.qwenlm.ai``; storage: ``*.aliyuncs.com``)."""

_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_CONTENT_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp", "image/gif": ".gif"}


class DownloadError(QwenAPIError):
    """A download refused or failed (the CLI exits as for any API error)."""


class NoImageError(QwenAPIError):
    """The service answered an image request without any image URL (exit 1, as for any API error):
    printing nothing and exiting 0 would tell a script that it worked."""


class OutputFileError(UsageError):
    """A local file in the way of a download (exists without ``--force``, a folder): exit 2."""


def file_stem(prompt: str) -> str:
    """``a lighthouse at dusk!`` -> ``a-lighthouse-at-dusk``: only ``[a-z0-9-]``, at most 40 characters."""
    stem = re.sub(r"[^a-z0-9]+", "-", prompt.lower()).strip("-")[:40].strip("-")
    return stem or "image"


def allowed_host(url: str, base_url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.username is not None or parts.password is not None:
        return False
    host = (parts.hostname or "").lower()
    base = urlsplit(base_url)
    if parts.netloc.lower() == base.netloc.lower() and parts.scheme == base.scheme:
        return True
    return parts.scheme == "https" and any(host.endswith(suffix) for suffix in IMAGE_HOST_SUFFIXES)


def suffix_for(url: str, content_type: str | None) -> str:
    suffix = os.path.splitext(urlsplit(url).path)[1].lower()
    if suffix in _SUFFIXES:
        return suffix
    return _CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower(), ".png")


def _image_path(directory: Path, stem: str, index: int, suffix: str) -> Path:
    return directory / f"{stem}-{index}{suffix}"


def _taken(path: Path) -> OutputFileError:
    return OutputFileError(f"{path} exists; use --force to replace it")


def _refuse_if_taken(path: Path, force: bool) -> None:
    """A folder in the way is never replaced; a file (or a link) only with ``force``."""
    if path.is_dir() and not path.is_symlink():
        raise OutputFileError(f"{path} is a directory; not replaced, even with --force")
    if not force and (path.exists() or path.is_symlink()):
        raise _taken(path)


def _write_new(path: Path, chunks: Sequence[bytes], force: bool) -> None:
    """Create ``path`` (inside its folder, no symlink followed); an existing file only with ``force``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if force and (path.exists() or path.is_symlink()):
        _refuse_if_taken(path, force)
        path.unlink()  # the link itself, never its target
    try:
        fd = os.open(path, flags, 0o644)  # O_EXCL: a file that appeared since is still refused
    except FileExistsError:
        raise _taken(path) from None
    with os.fdopen(fd, "wb") as file:
        for chunk in chunks:
            file.write(chunk)


def check_first_target(directory: Path, prompt: str, force: bool) -> None:
    """Refuse, before an image is generated, when the first image's file is already taken.

    Its suffix comes with the image, so every suffix the service uses is checked: a name taken in
    any of them is reported now rather than after the generation has spent the account's quota.
    """
    stem = file_stem(prompt)
    for suffix in _SUFFIXES:
        _refuse_if_taken(_image_path(directory, stem, 1, suffix), force)


def download_images(
    urls: Sequence[str], directory: Path, *, prompt: str, base_url: str, timeout: float, force: bool
) -> list[Path]:
    import httpx

    stem = file_stem(prompt)
    saved: list[Path] = []
    deadline = _Deadline(timeout)
    with httpx.Client(timeout=timeout, follow_redirects=False) as http:
        for index, url in enumerate(urls, 1):
            chunks, content_type = _fetch(http, url, base_url, index, deadline)
            path = _image_path(directory, stem, index, suffix_for(url, content_type))
            _write_new(path, chunks, force)
            saved.append(path)
    return saved


def _where(url: str) -> str:
    """The scheme and host of ``url`` for a message (never its path or query, which may be long)."""
    parts = urlsplit(url)
    if parts.hostname:
        return f"{parts.scheme}://{parts.hostname}"
    return f"a {parts.scheme or 'relative'} URL without a host"


class _Deadline:
    """The one deadline of all the downloads of a command: :data:`DOWNLOAD_TIME_FACTOR` times ``--timeout``."""

    def __init__(self, timeout: float) -> None:
        self.seconds = DOWNLOAD_TIME_FACTOR * timeout
        self._end = time.monotonic() + self.seconds

    def left(self) -> float:
        return self._end - time.monotonic()

    def check(self, index: int) -> None:
        if self.left() <= 0:
            raise DownloadError(
                f"downloading image {index} did not finish within {self.seconds:g} s "
                f"({DOWNLOAD_TIME_FACTOR} times --timeout); the image host is too slow"
            )

    def timeout(self, timeout: float, index: int) -> float:
        """``timeout`` cut to what is left, so no single read runs past the deadline."""
        self.check(index)
        return max(0.001, min(timeout, self.left()))


def _fetch(http: object, url: str, base_url: str, index: int, deadline: _Deadline) -> tuple[list[bytes], str | None]:
    import httpx

    assert isinstance(http, httpx.Client)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        if not allowed_host(current, base_url):
            raise DownloadError(
                f"image {index}: refusing to download from {_where(current)} (not a host the service's answers name)"
            )
        read_timeout = http.timeout.read
        per_read = deadline.timeout(read_timeout if read_timeout is not None else math.inf, index)
        try:
            with http.stream("GET", current, headers={"Accept-Encoding": "identity"}, timeout=per_read) as answer:
                if answer.is_redirect:
                    current = urljoin(current, answer.headers.get("location", ""))
                    continue
                answer.raise_for_status()
                declared = answer.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > MAX_IMAGE_BYTES:
                    raise DownloadError(f"image {index} is larger than {MAX_IMAGE_BYTES} bytes")
                chunks, size = [], 0
                for chunk in answer.iter_bytes():
                    deadline.check(index)
                    size += len(chunk)
                    if size > MAX_IMAGE_BYTES:
                        raise DownloadError(f"image {index} is larger than {MAX_IMAGE_BYTES} bytes")
                    chunks.append(chunk)
                return chunks, answer.headers.get("content-type")
        except httpx.TimeoutException:
            deadline.check(index)  # a read cut short by the deadline says so
            raise DownloadError(f"downloading image {index} timed out") from None
        except httpx.HTTPStatusError as exc:
            raise DownloadError(f"downloading image {index} failed: HTTP {exc.response.status_code}") from None
        except httpx.HTTPError as exc:
            raise DownloadError(f"downloading image {index} failed: {type(exc).__name__}") from None
    raise DownloadError(f"image {index}: more than {MAX_REDIRECTS} redirects")
