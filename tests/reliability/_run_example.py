"""Run one example program with the SDK's DEBUG log on stderr and ``save_logs=True`` forced on.

Used by ``test_secret_hygiene``: ``python _run_example.py examples/streaming.py``. The examples
construct ``Qwen()`` with their own logging settings; this wrapper makes every client log at DEBUG
into ``$QWEN_LOG_DIR`` (the saved log file) and to stderr (the log lines), as a user debugging a
problem would, without editing the examples themselves.
"""

from __future__ import annotations

import logging
import os
import runpy
import sys

from qwen_api import _logging

_configure = _logging.configure


def _debug_and_save(level: object, save_logs: bool, log_dir: object = None) -> None:
    _configure("DEBUG", True, os.environ["QWEN_LOG_DIR"])


_logging.configure = _debug_and_save  # type: ignore[assignment]
_stderr = logging.StreamHandler(sys.stderr)
_stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
logging.getLogger("qwen_api").addHandler(_stderr)

if __name__ == "__main__":
    script = sys.argv[1]
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
