"""The ``qwen_api`` logger: silent by default, never touches the root logger, and a client that did
not ask for a level does not override one somebody chose."""

from __future__ import annotations

import logging
import logging.handlers
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from qwen_api import Qwen, _logging

SDK = logging.getLogger("qwen_api")


@pytest.fixture(autouse=True)
def fresh_logger() -> Iterator[None]:
    """Each test starts with the logger as a fresh import leaves it, and leaves it so."""
    level, handlers = SDK.level, list(SDK.handlers)
    SDK.setLevel(logging.NOTSET)
    yield
    SDK.setLevel(level)
    for handler in list(SDK.handlers):
        if handler not in handlers:
            SDK.removeHandler(handler)
            handler.close()
            _logging._file_handlers.pop(Path(getattr(handler, "baseFilename", "")), None)


def test_the_package_only_adds_a_null_handler_and_leaves_the_root_logger_alone() -> None:
    root = logging.getLogger()
    root_level, root_handlers = root.level, list(root.handlers)
    assert any(isinstance(handler, logging.NullHandler) for handler in SDK.handlers)
    Qwen(api_key="tok-logging", logging_level="DEBUG").close()
    assert SDK.level == logging.DEBUG
    assert (root.level, root.handlers) == (root_level, root_handlers)


def test_the_default_level_applies_only_while_nobody_chose_one() -> None:
    Qwen(api_key="tok-logging").close()
    assert SDK.level == logging.INFO  # the documented default, on a fresh logger
    Qwen(api_key="tok-logging", logging_level="DEBUG").close()
    Qwen(api_key="tok-logging").close()  # a later client that did not ask keeps the chosen level
    assert SDK.level == logging.DEBUG
    Qwen(api_key="tok-logging", logging_level="INFO").close()  # one that asks, gets it
    assert SDK.level == logging.INFO


def test_the_applications_own_level_is_kept() -> None:
    SDK.setLevel(logging.WARNING)
    Qwen(api_key="tok-logging").close()
    assert SDK.level == logging.WARNING


@pytest.mark.parametrize(("kwargs", "level"), [({"log_level": "ERROR"}, logging.ERROR), ({"log_level": 15}, 15)])
def test_the_older_sdks_log_level_name_sets_the_level(kwargs: dict[str, object], level: int) -> None:
    Qwen(api_key="tok-logging", **kwargs).close()  # type: ignore[arg-type]
    assert SDK.level == level


def test_saved_logs_rotate_into_private_files(tmp_path: Path) -> None:
    Qwen(api_key="tok-logging-secret", logging_level="DEBUG", save_logs=True, log_dir=str(tmp_path)).close()
    (handler,) = [
        h
        for h in SDK.handlers
        if isinstance(h, _logging._PrivateRotatingFileHandler) and Path(h.baseFilename).parent == tmp_path.resolve()
    ]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    handler.maxBytes = 200  # rotate after a couple of lines
    for n in range(10):
        SDK.info("line %d with Bearer tok-logging-secret", n)
    handler.flush()
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["qwen_api.log", "qwen_api.log.1", "qwen_api.log.2", "qwen_api.log.3"]
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        text = file.read_text()
        assert "line" in text and "tok-logging-secret" not in text
