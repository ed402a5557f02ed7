"""``qwen chat``: streaming through a pipe and a terminal, JSON events, stdin, --continue, Ctrl-C, the REPL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

from qwen_api.testing import RunningServer, expected_answer, expected_reasoning

from .conftest import TOKEN, Cli, Reader, in_pty, wait_for
from .test_auth import sample_har, write_har

SLOW = {"x-qwen-mock-delay": "0.15"}
ENDLESS = {"x-qwen-mock-delay": "0.1", "x-qwen-mock-answer-length": "5000"}


def _events(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_answer_arrives_chunk_by_chunk_through_a_pipe(cli: Cli) -> None:
    proc = cli.popen("chat", "pipe me", headers=SLOW)
    assert proc.stdout is not None
    reader = Reader(proc.stdout.fileno(), proc)
    try:
        reader.until(lambda data: data.startswith(b"You said"), 15, "the first chunk")
        assert proc.poll() is None, "the first chunk only showed up once the process had ended"
        output = reader.rest(20)
        assert proc.wait(20) == 0
    finally:
        reader.close()
        proc.kill()
        proc.communicate()  # waits, and closes both pipes
    assert output.decode() == expected_answer("pipe me") + "\n"
    while_running = [piece for piece, running in reader.pieces if running]
    assert len(while_running) >= 2, f"expected several chunks while the answer streamed, got {reader.pieces!r}"


def test_json_lines_parse_and_carry_every_part(cli: Cli, server: RunningServer) -> None:
    result = cli("chat", "--thinking", "--search", "--json", "find things")
    assert result.returncode == 0, result.stderr
    events = _events(result.stdout)
    kinds = [event["type"] for event in events]
    assert kinds[-1] == "done"
    assert kinds.index("reasoning") < kinds.index("content")
    assert "search" in kinds
    reasoning = "".join(str(e["text"]) for e in events if e["type"] == "reasoning")
    content = "".join(str(e["text"]) for e in events if e["type"] == "content")
    # (the SDK's reasoning may carry the summary titles too; every thought must be there, in order)
    thoughts = expected_reasoning("find things").split("\n\n")
    positions = [reasoning.find(thought) for thought in thoughts]
    assert -1 not in positions and positions == sorted(positions), reasoning
    assert content == expected_answer("find things", search=True)
    search = next(e for e in events if e["type"] == "search")
    results = search["results"]
    assert isinstance(results, list) and results and {"url", "title"} <= set(results[0])
    done = events[-1]
    assert done["chat_id"] in server.state.chats
    assert done["response_id"]
    assert isinstance(done["usage"], dict) and done["usage"]["output_tokens"]


def test_plain_output_keeps_reasoning_apart_and_lists_sources_after(cli: Cli) -> None:
    result = cli("chat", "--thinking", "--search", "plain please")
    assert result.returncode == 0, result.stderr
    answer, _, sources = result.stdout.partition("\n\nSources:\n")
    assert answer == expected_answer("plain please", search=True)
    assert sources.startswith("[1] ") and "https://" in sources
    assert "Thinking" in result.stderr and expected_reasoning("plain please").split("\n\n")[0] in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr  # no terminal styling in a pipe


def test_prompt_is_read_from_stdin_when_piped(cli: Cli) -> None:
    result = cli("chat", input="a piped question\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_answer("a piped question") + "\n"
    dash = cli("chat", "-", input="dash question")
    assert dash.stdout == expected_answer("dash question") + "\n"


def test_piped_input_is_appended_to_a_prompt_given_as_arguments(cli: Cli) -> None:
    result = cli("chat", "review this", input="DIFF LINE 1\nDIFF LINE 2\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_answer("review this\n\nDIFF LINE 1\nDIFF LINE 2") + "\n"
    alone = cli("chat", "just the prompt")  # stdin is /dev/null: not read, not waited on
    assert alone.stdout == expected_answer("just the prompt") + "\n"


def test_local_file_errors_are_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli("image", "--output-dir", str(blocker / "sub"), "a cat")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--output-dir" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    har = write_har(tmp_path / "session.har", sample_har())
    result = cli("auth", "import-har", str(har), "-o", str(tmp_path))  # a folder, not a file
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert str(tmp_path) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_empty_stdin_is_a_usage_error(cli: Cli) -> None:
    result = cli("chat", input="  \n")
    assert result.returncode == 2
    assert "empty" in result.stderr


def test_continue_adds_a_turn_after_the_last_answer(cli: Cli, server: RunningServer) -> None:
    first = _events(cli("chat", "--json", "turn one").stdout)[-1]
    chat_id = str(first["chat_id"])
    second = cli("chat", "--continue", chat_id, "--json", "turn two")
    assert second.returncode == 0, second.stderr
    done = _events(second.stdout)[-1]
    assert done["chat_id"] == chat_id
    turns = server.state.chats[chat_id].turns
    assert [t.prompt for t in turns] == ["turn one", "turn two"]
    assert turns[1].requested_parent_id == first["response_id"]


def test_file_is_uploaded_and_attached(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("some notes\n")
    result = cli("chat", "--file", "notes.txt", "--json", "read the notes")
    assert result.returncode == 0, result.stderr
    completion = [r for r in server.state.requests if r.path == "/api/v2/chat/completions"][-1]
    files = completion.json["messages"][0]["files"]
    assert [f["name"] for f in files] == ["notes.txt"]


def test_missing_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("chat", "--file", "missing.pdf", "hi")
    assert result.returncode == 2
    assert "missing.pdf: no such file" in result.stderr


def test_api_error_exits_1_with_one_typed_line(cli: Cli) -> None:
    result = cli("chat", "hi", headers={"x-qwen-mock-fault": "envelope_unauthorized"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qwen: QwenAuthenticationError: "), result.stderr
    assert TOKEN not in result.stderr + result.stdout


def test_missing_token_exits_1_with_how_to(cli: Cli) -> None:
    result = cli("chat", "hi", QWEN_AUTH_TOKEN="")
    assert result.returncode == 1
    assert "QwenAuthenticationError" in result.stderr and "qwen auth import-har" in result.stderr


def test_ctrl_c_mid_answer_exits_130_and_closes_the_connection(cli: Cli, server: RunningServer) -> None:
    proc = cli.popen("chat", "a very long story", headers=ENDLESS)
    assert proc.stdout is not None and proc.stderr is not None
    reader = Reader(proc.stdout.fileno(), proc)
    try:
        reader.until(lambda data: b"You said" in data, 15, "the first chunk")
        assert server.open_connections() >= 1
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 130
    finally:
        reader.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert b"interrupted" in proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    wait_for(lambda: server.open_connections() == 0, 10, "the server to see the connection closed")
    assert_generation_stopped(server)


def assert_generation_stopped(server: RunningServer) -> None:
    """The CLI asked the service to stop the very answer it was showing."""
    answer = server.state.requests_to("/api/v2/chat/completions")[-1]
    stop = server.state.requests_to("/api/v2/chat/completions/stop")[-1]
    assert stop.json["chat_id"] == answer.query["chat_id"]
    assert stop.json["response_id"] in server.state.stopped_responses


# -- a terminal ------------------------------------------------------------------------------------------


def _read_all(reader: Reader, proc: subprocess.Popen[bytes]) -> str:
    reader.rest(15)
    proc.wait(10)
    return reader.data.decode(errors="replace")


def test_terminal_output_is_styled_with_reasoning_dimmed(cli: Cli) -> None:
    with in_pty(cli, "chat", "--thinking", "style me") as (proc, master):
        reader = Reader(master, proc)
        output = _read_all(reader, proc)
        reader.close()
    assert proc.returncode == 0, output
    assert "\x1b[2" in output  # dim (reasoning)
    assert "Thinking" in output and "You said: style me" in output
    assert "qwen chat --continue" in output


def test_terminal_lists_search_sources_after_the_answer(cli: Cli) -> None:
    with in_pty(cli, "chat", "--search", "look it up") as (proc, master):
        reader = Reader(master, proc)
        output = _read_all(reader, proc)
        reader.close()
    assert proc.returncode == 0, output
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\]8;[^\x1b]*\x1b\\\\", "", output)
    answer_at = plain.index("You said: look it up")
    sources_at = plain.index("Sources")
    assert answer_at < sources_at and "[1] " in plain[sources_at:] and "https://" in plain[sources_at:]
    assert "\x1b[1m" in output  # the heading is bold on a terminal


def test_plain_flag_turns_styling_off_on_a_terminal(cli: Cli) -> None:
    with in_pty(cli, "chat", "--plain", "no style") as (proc, master):
        reader = Reader(master, proc)
        output = _read_all(reader, proc)
        reader.close()
    assert proc.returncode == 0, output
    assert "\x1b[" not in output and "You said: no style" in output


def test_repl_ctrl_c_stops_the_answer_and_ctrl_d_exits(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    with in_pty(cli, "chat", headers=ENDLESS) as (proc, master):
        reader = Reader(master, proc)
        reader.until(lambda data: b"> " in data, 15, "the prompt")
        os.write(master, b"hello repl\r")
        reader.until(lambda data: b"You said: hello repl" in data, 15, "the answer to start")
        os.write(master, b"\x03")  # Ctrl-C, through the terminal: SIGINT to the foreground process
        reader.until(lambda data: data.rstrip().endswith(b">") and b"[stopped]" in data, 10, "the prompt again")
        assert proc.poll() is None, "Ctrl-C during an answer must not end the session"
        # The process lives on, so only the CLI itself can have closed the answer's connection. The stop
        # request that follows it may stay pooled; an answer left open would make that two connections.
        wait_for(lambda: server.open_connections() <= 1, 10, "the answer's connection to close")
        assert_generation_stopped(server)
        os.write(master, b"\x04")  # Ctrl-D at the prompt
        assert proc.wait(10) == 0
        reader.close()
    history = (tmp_path / "history").read_text()
    assert "hello repl" in history
    assert oct((tmp_path / "history").stat().st_mode & 0o777) == oct(0o600)


def test_terminal_without_rich_falls_back_to_plain_text(cli: Cli) -> None:
    with in_pty(cli, "chat", "--thinking", "bare terminal", without_rich=True) as (proc, master):
        reader = Reader(master, proc)
        output = _read_all(reader, proc)
        reader.close()
    assert proc.returncode == 0, output
    assert "\x1b[" not in output
    assert "You said: bare terminal" in output and "Thinking" in output


def test_an_error_mid_answer_ends_the_json_lines_with_an_error_event(cli: Cli, server: RunningServer) -> None:
    server.add_fault("drop_after_events", times=1, path="/api/v2/chat/completions", after=4)
    try:
        result = cli("chat", "--json", "cut me off")
    finally:
        server.clear_faults()
    assert result.returncode == 1, result.stderr
    events = _events(result.stdout)
    assert events[-1]["type"] == "error" and events[-1]["error"] == "QwenStreamInterruptedError"
    assert "done" not in [e["type"] for e in events]
    assert result.stderr.startswith("qwen: QwenStreamInterruptedError: ") and result.stderr.count("\n") == 1


def test_verbose_log_goes_to_stderr_without_secrets(cli: Cli) -> None:
    result = cli("-v", "chat", "log me", QWEN_COOKIE="cna=cookie-secret-98765; x=1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_answer("log me") + "\n"
    assert "DEBUG qwen_api: -> POST" in result.stderr
    assert TOKEN not in result.stderr and "cookie-secret-98765" not in result.stderr
