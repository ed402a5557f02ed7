"""Run ``python -m qwen_api`` as a user would: a subprocess against the local server over a socket.

Each run gets a clean environment (only the variables a test sets, no stray ``QWEN_*``) and the
test's ``tmp_path`` as working directory and HOME, so no ``.env`` or history of the developer's is
read. Waiting is always for a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import selectors
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from qwen_api.testing import RunningServer, serve

TOKEN = "cli-test-token-1234567890"
RUN_TIMEOUT = 30.0


@pytest.fixture(scope="package")
def server() -> Iterator[RunningServer]:
    with serve() as running:
        yield running


def base_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QWEN_HISTORY_FILE": str(home / "history"),
    }
    # coverage follows the CLI into its process (pyproject: [tool.coverage.run] patch = ["subprocess"])
    env.update({name: value for name, value in os.environ.items() if name.startswith("COVERAGE_")})
    env.update(extra)
    return env


class Cli:
    """``cli("chat", "hi")`` runs ``python -m qwen_api chat hi`` with the server's URL and a token."""

    def __init__(self, server: RunningServer, cwd: Path) -> None:
        self.server = server
        self.cwd = cwd

    def env(self, headers: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
        variables = {"QWEN_AUTH_TOKEN": TOKEN, "QWEN_BASE_URL": self.server.url}
        if headers:
            variables["QWEN_EXTRA_HEADERS"] = "\n".join(f"{k}: {v}" for k, v in headers.items())
        variables.update(extra)
        return base_env(self.cwd, **{k: v for k, v in variables.items() if v is not None})

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "qwen_api", *args]

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        headers: Mapping[str, str] | None = None,
        env: dict[str, str] | None = None,
        **extra: str,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*args),
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=self.cwd,
            env=env if env is not None else self.env(headers, **extra),
            timeout=RUN_TIMEOUT,
        )

    def popen(self, *args: str, headers: Mapping[str, str] | None = None, **extra: str) -> subprocess.Popen[bytes]:
        with sigint_default():
            return subprocess.Popen(
                self.argv(*args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.cwd,
                env=self.env(headers, **extra),
                bufsize=0,
            )


@pytest.fixture
def cli(server: RunningServer, tmp_path: Path) -> Cli:
    return Cli(server, tmp_path)


@contextlib.contextmanager
def sigint_default() -> Iterator[None]:
    """Children inherit an *ignored* SIGINT (a CI shell's background job); make it default for them."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous is signal.SIG_IGN:
            signal.signal(signal.SIGINT, previous)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Reader:
    """Read a file descriptor incrementally, remembering each piece and whether the child still ran."""

    def __init__(self, fd: int, proc: subprocess.Popen[bytes]) -> None:
        self.fd = fd
        self.proc = proc
        self.data = b""
        self.pieces: list[tuple[bytes, bool]] = []
        self.closed = False
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ)

    def read_some(self, timeout: float) -> bytes:
        if self.closed or not self._selector.select(timeout):
            return b""
        running = self.proc.poll() is None
        try:
            piece = os.read(self.fd, 65536)
        except OSError:  # a pty whose other end closed answers EIO
            piece = b""
        if not piece:
            self.closed = True
            return b""
        self.data += piece
        self.pieces.append((piece, running))
        return piece

    def until(self, predicate: Callable[[bytes], bool], timeout: float, what: str) -> bytes:
        deadline = time.monotonic() + timeout
        while not predicate(self.data):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise AssertionError(f"timed out waiting for {what}; got {self.data[-500:]!r}")
            self.read_some(min(left, 0.5))
        return self.data

    def rest(self, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self.read_some(min(deadline - time.monotonic(), 0.5))
        return self.data

    def close(self) -> None:
        self._selector.close()


_LAUNCHER = (
    "import fcntl, os, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"  # the pty becomes the controlling terminal: ^C sends SIGINT
    "os.execv(sys.executable, [sys.executable, '-m', 'qwen_api', *sys.argv[1:]])\n"
)

WITHOUT_RICH = (
    "import runpy, sys\n"
    "class _NoRich:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'rich' or name.startswith('rich.'):\n"
    "            raise ModuleNotFoundError(f'No module named {name!r} (hidden by the test)', name=name)\n"
    "sys.meta_path.insert(0, _NoRich())\n"
    "sys.argv[0] = 'qwen'\n"
    "runpy.run_module('qwen_api', run_name='__main__', alter_sys=True)\n"
)
"""``python -c WITHOUT_RICH ARGS...`` runs the CLI as if the ``cli`` extra (rich) were not installed."""


@contextlib.contextmanager
def in_pty(
    cli: Cli, *args: str, headers: Mapping[str, str] | None = None, without_rich: bool = False
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """Run the CLI with a pseudo-terminal as its stdin, stdout, stderr and controlling terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = cli.env(headers, TERM="xterm-256color", COLUMNS="120", LINES="40")
    launcher = _LAUNCHER
    if without_rich:
        launcher = launcher.replace("'-m', 'qwen_api'", "'-c', WITHOUT_RICH").replace(
            "import fcntl", f"WITHOUT_RICH = {WITHOUT_RICH!r}\nimport fcntl"
        )
    with sigint_default():
        proc = subprocess.Popen(
            [sys.executable, "-c", launcher, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cli.cwd,
            env=env,
            start_new_session=True,
        )
    os.close(slave)
    try:
        yield proc, master
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        os.close(master)
