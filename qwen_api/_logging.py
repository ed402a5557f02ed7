"""The ``qwen_api`` logger: silent by default, redacting secrets always.

Importing the package only adds a NullHandler. ``Qwen(logging_level=...)`` sets this logger's
level (never the root logger's), and ``save_logs=True`` adds a rotating file created with mode
0600. Every record passes a filter that removes the client's token, cookie values, STS keys and
signatures -- including ones that reach us inside exception texts or URLs.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from io import TextIOWrapper
from pathlib import Path

from ._redaction import secrets

logger = logging.getLogger("qwen_api")
logger.addHandler(logging.NullHandler())


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = secrets.redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = secrets.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        return True


_filter = RedactingFilter()
logger.addFilter(_filter)


def child_logger(name: str) -> logging.Logger:
    """A ``qwen_api.<name>`` logger that redacts too: a logger's filters do not apply to records
    propagated from its children, so each child needs the filter itself."""
    child = logger.getChild(name)
    if _filter not in child.filters:
        child.addFilter(_filter)
    return child


class _DefaultLevel(str):
    """The documented default ``logging_level="INFO"``, told apart from an explicit ``"INFO"``."""

    __slots__ = ()


DEFAULT_LEVEL = _DefaultLevel("INFO")
"""Sets the level only while nobody has: a second client (or the application's own
``logging.getLogger("qwen_api").setLevel``) is not overridden by a client that did not ask."""


def configure(level: str | int | None, save_logs: bool, log_dir: str | os.PathLike[str] | None = None) -> None:
    if level is DEFAULT_LEVEL and logger.level != logging.NOTSET:
        level = None
    if level is not None:
        if isinstance(level, str):
            resolved = logging.getLevelName(level.upper())
            if not isinstance(resolved, int):
                raise ValueError(f"logging_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}")
            level = resolved
        logger.setLevel(level)
    if save_logs:
        _add_file_handler(Path(log_dir or os.environ.get("QWEN_LOG_DIR") or "logs"))


_file_handlers: dict[Path, logging.Handler] = {}


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every file it opens, rotated ones included, is readable by the owner only."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        os.chmod(self.baseFilename, 0o600)
        return super()._open()


def _add_file_handler(directory: Path) -> None:
    path = (directory / "qwen_api.log").resolve()
    if path in _file_handlers:
        return
    directory.mkdir(parents=True, exist_ok=True)
    handler = _PrivateRotatingFileHandler(path, maxBytes=5 * 1024 * 1024, backupCount=3, encoding="utf-8")
    handler.addFilter(_filter)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    _file_handlers[path] = handler
