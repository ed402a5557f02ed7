"""``qwen models``, ``chats``, ``upload``, ``image``, ``mock-server``; help, usage errors, start-up cost."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qwen_api.cli import main
from qwen_api.testing import RunningServer, expected_answer

from .conftest import Cli, Reader, base_env, in_pty, sigint_default

COMMANDS = [
    ["chat"],
    ["models"],
    ["chats"],
    ["chats", "list"],
    ["chats", "show"],
    ["chats", "delete"],
    ["upload"],
    ["image"],
    ["auth"],
    ["auth", "import-har"],
    ["auth", "status"],
    ["mock-server"],
]


# -- help and usage ------------------------------------------------------------------------------------


def test_top_level_help_runs_as_a_module(cli: Cli) -> None:
    result = cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: qwen ")
    assert "examples:" in result.stdout and "exit status" in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_help_shows_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: qwen {' '.join(command)}")
    example = out.split("example", 1)[1]
    assert "\n  qwen " in example or "qwen " in example.splitlines()[1], out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["chat", "--thinking-mode", "slow", "hi"],
        ["image", "--size", "2:1", "a cat"],
        ["chats"],
        ["models", "--timeout", "soon"],
    ],
    ids=str,
)
def test_usage_errors_exit_2(cli: Cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.returncode == 2, result
    assert "usage: qwen" in result.stderr or "error:" in result.stderr


def test_bad_extra_header_is_a_usage_error(cli: Cli) -> None:
    result = cli("models", QWEN_EXTRA_HEADERS="no colon here")
    assert result.returncode == 2
    assert "QWEN_EXTRA_HEADERS" in result.stderr


def _modules_after(code: str, tmp_path: Path) -> list[str]:
    script = code + "\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=base_env(tmp_path), timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_importing_the_sdk_loads_neither_the_cli_nor_rich(tmp_path: Path) -> None:
    loaded = _modules_after("import sys, qwen_api", tmp_path)
    assert not [m for m in loaded if m == "qwen_api.cli" or m.startswith(("qwen_api.cli.", "rich"))]
    # (a client needs httpx, and httpx itself imports rich when its own CLI's packages are installed)
    client = _modules_after("import sys\nfrom qwen_api import Qwen\nQwen(api_key='x', base_url='http://h')", tmp_path)
    assert not [m for m in client if m == "qwen_api.cli" or m.startswith("qwen_api.cli.")]


def test_without_rich_everything_still_works_in_plain_text(cli: Cli) -> None:
    from .conftest import WITHOUT_RICH

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", WITHOUT_RICH, *args],
            capture_output=True,
            text=True,
            cwd=cli.cwd,
            env=cli.env(),
            stdin=subprocess.DEVNULL,
            timeout=30,
        )

    assert run("chat", "no rich").stdout == expected_answer("no rich") + "\n"
    assert run("models").stdout.startswith("ID ")


# -- models --------------------------------------------------------------------------------------------


def test_models_table_and_json(cli: Cli) -> None:
    table = cli("models")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "CONTEXT", "OUTPUT", "CAPABILITIES"]
    assert any(line.startswith("qwen3.7-max ") and "thinking" in line for line in lines)
    models = json.loads(cli("models", "--json").stdout)
    by_id = {m["id"]: m for m in models}
    assert by_id["qwen3.7-max"]["capabilities"]["vision"] is True
    assert by_id["qwen3-coder-plus"]["capabilities"]["thinking"] is False
    assert isinstance(by_id["qwen3.7-max"]["max_context_length"], int)


# -- chats ---------------------------------------------------------------------------------------------


def test_chats_list_show_delete(cli: Cli, server: RunningServer) -> None:
    created = json.loads(cli("chat", "--json", "remember me").stdout.splitlines()[-1])
    chat_id = created["chat_id"]

    listed = cli("chats", "list")
    assert listed.returncode == 0, listed.stderr
    assert any(line.startswith(chat_id) and line.endswith("remember me") for line in listed.stdout.splitlines())
    as_json = json.loads(cli("chats", "list", "--json", "--limit", "1").stdout)
    assert [c["id"] for c in as_json] == [chat_id]  # newest first

    shown = cli("chats", "show", chat_id)
    assert shown.returncode == 0, shown.stderr
    assert "user:\nremember me" in shown.stdout
    assert "assistant:\n" + expected_answer("remember me") in shown.stdout
    detail = json.loads(cli("chats", "show", chat_id, "--json").stdout)
    assert [m["role"] for m in detail["messages"]] == ["user", "assistant"]

    refused = cli("chats", "delete", chat_id)  # stdin is not a terminal: --yes is required
    assert refused.returncode == 2 and "--yes" in refused.stderr
    deleted = cli("chats", "delete", chat_id, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout == f"Deleted {chat_id}\n"
    assert chat_id in server.state.deleted_chats

    gone = cli("chats", "show", chat_id)
    assert gone.returncode == 1
    assert gone.stderr.startswith("qwen: QwenNotFoundError: ")


def test_deleting_several_chats_tries_each_and_names_those_left(cli: Cli, server: RunningServer) -> None:
    first, second = (json.loads(cli("chat", "--json", text).stdout.splitlines()[-1])["chat_id"] for text in "ab")
    result = cli("chats", "delete", "--yes", first, "no-such-chat", second)
    assert result.returncode == 1
    assert result.stdout == f"Deleted {first}\nDeleted {second}\n"  # the one after the failure too
    assert "QwenNotFoundError" in result.stderr and "(chat no-such-chat not deleted)" in result.stderr
    assert {first, second} <= set(server.state.deleted_chats)
    bad = cli("chats", "delete", "--yes", "a/b")
    assert bad.returncode == 2 and "not deleted" in bad.stderr


def test_deleting_stops_at_a_failure_that_is_not_about_one_chat(cli: Cli, server: RunningServer) -> None:
    chat_id = json.loads(cli("chat", "--json", "c").stdout.splitlines()[-1])["chat_id"]
    result = cli("--header", "x-qwen-mock-fault: http_401", "chats", "delete", "--yes", chat_id, "other")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"qwen: not deleted: {chat_id} other"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chat", "--continue", "", "hi"], "is not a chat id"),
        (["chat", "-m", "", "hi"], "--model must not be empty"),
        (["image", "-m", " ", "a cat"], "--model must not be empty"),
    ],
)
def test_an_empty_chat_id_or_model_is_refused_not_replaced(cli: Cli, args: list[str], message: str) -> None:
    """A script whose variable came out empty must not go on in a new chat or with the default model."""
    result = cli(*args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--max-retries", "-3", "models"], "qwen: error: --max-retries must be an integer >= 0, got -3"),
        (["--timeout", "0", "models"], "qwen: error: --timeout must be a positive number of seconds, got 0.0"),
        (
            ["--base-url", "notaurl", "models"],
            "qwen: error: --base-url (or QWEN_BASE_URL) must start with http:// or https://, got 'notaurl'",
        ),
        (["upload", "empty.txt"], "qwen: error: 'empty.txt' is empty (0 bytes); there is nothing to upload"),
    ],
)
def test_refused_arguments_are_named_as_the_shell_user_gave_them(
    cli: Cli, tmp_path: Path, args: list[str], line: str
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]


def test_invalid_chat_id_is_a_usage_error(cli: Cli) -> None:
    result = cli("chats", "show", "a/b")
    assert result.returncode == 2
    assert "not a chat id" in result.stderr


# -- upload and image ----------------------------------------------------------------------------------


def test_upload_prints_the_file_and_json(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hello upload\n")
    plain = cli("upload", "hello.txt")
    assert plain.returncode == 0, plain.stderr
    fields = dict(line.split(None, 1) for line in plain.stdout.splitlines() if len(line.split(None, 1)) == 2)
    assert fields["filename"] == "hello.txt" and fields["size"] == "13" and fields["mimetype"] == "text/plain"
    assert fields["file_url"].startswith(server.url)
    lines = cli("upload", "--json", "hello.txt", "hello.txt").stdout.splitlines()
    results = [json.loads(line) for line in lines]
    assert len(results) == 2 and results[0]["file_id"] != results[1]["file_id"]
    assert all(upload.size == 13 for upload in server.state.uploads.values() if upload.key.endswith("hello.txt"))


def test_upload_of_a_missing_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("upload", "nothing.bin")
    assert result.returncode == 2 and "nothing.bin: no such file" in result.stderr


def test_image_prints_urls_and_downloads(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    plain = cli("image", "a lighthouse")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith(server.url) and plain.stdout.strip().endswith(".png")
    result = cli("image", "--size", "16:9", "--json", "-o", "out", "a harbour")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    image = body["images"][0]
    assert image["width"] > image["height"]
    saved = tmp_path / image["path"]
    assert saved.read_bytes().startswith(b"\x89PNG")


def test_image_output_file_conflicts_are_local_errors_exit_2(cli: Cli, server: RunningServer, tmp_path: Path) -> None:
    # README: 1 is for API errors, 2 for a local file the CLI cannot read or write.
    assert cli("image", "-o", "out", "a harbour").returncode == 0
    generated = len(server.state.requests_to("/api/v2/chat/completions"))
    again = cli("image", "-o", "out", "a harbour")
    assert again.returncode == 2, again.stderr
    assert again.stderr.strip().splitlines() == [
        f"qwen: error: {Path('out') / 'a-harbour-1.png'} exists; use --force to replace it"
    ]
    (tmp_path / "out" / "a-harbour-1.png").rename(tmp_path / "out" / "a-harbour-1.webp")
    taken = cli("image", "-o", "out", "a harbour")  # any suffix the image could come with
    assert taken.returncode == 2, taken.stderr
    assert f"{Path('out') / 'a-harbour-1.webp'} exists" in taken.stderr
    assert len(server.state.requests_to("/api/v2/chat/completions")) == generated  # refused before generating
    assert cli("image", "-o", "out", "--force", "a harbour").returncode == 0
    (tmp_path / "out" / "a-harbour-1.png").unlink()
    (tmp_path / "out" / "a-harbour-1.png").mkdir()  # a folder where the image would go
    for force in ((), ("--force",)):
        blocked = cli("image", "-o", "out", *force, "a harbour")
        assert blocked.returncode == 2, blocked.stderr
        line = blocked.stderr.strip()
        assert line.startswith("qwen: error: ") and "a-harbour-1.png" in line and "\n" not in line
        assert "DownloadError" not in line


def test_image_download_failure_stays_an_api_error_exit_1(cli: Cli, server: RunningServer) -> None:
    server.add_fault("http_500", path="/output/*")  # the image itself cannot be fetched
    try:
        failed = cli("image", "-o", "out", "a harbour")
    finally:
        server.clear_faults()
    assert failed.returncode == 1, failed.stderr
    note, error = failed.stderr.splitlines()
    assert error == "qwen: DownloadError: downloading image 1 failed: HTTP 500"
    assert note.startswith("qwen: the images were generated but not all saved; their URLs: " + server.url)


# -- mock-server ---------------------------------------------------------------------------------------


def test_mock_server_serves_the_cli(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    with sigint_default():
        proc = subprocess.Popen(
            [sys.executable, "-m", "qwen_api", "mock-server", "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env=env,
            bufsize=0,
        )
    assert proc.stdout is not None and proc.stderr is not None
    reader = Reader(proc.stdout.fileno(), proc)
    try:
        reader.until(lambda data: b"\n" in data, 20, "the Listening line")
        first = reader.data.decode().splitlines()[0]
        assert first.startswith("Listening on http://127.0.0.1:")
        url = first.removeprefix("Listening on ")
        chat = subprocess.run(
            [sys.executable, "-m", "qwen_api", "chat", "offline"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**env, "QWEN_BASE_URL": url, "QWEN_AUTH_TOKEN": "anything"},
            stdin=subprocess.DEVNULL,
            timeout=30,
        )
        assert chat.returncode == 0, chat.stderr
        assert chat.stdout == expected_answer("offline") + "\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(15) == 0
    finally:
        reader.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.parametrize("without_rich", [False, True], ids=["rich", "no-rich"])
def test_large_upload_shows_progress_on_a_terminal(cli: Cli, tmp_path: Path, without_rich: bool) -> None:
    (tmp_path / "big.bin").write_bytes(bytes(2 * 1024 * 1024))
    with in_pty(cli, "upload", "big.bin", without_rich=without_rich) as (proc, master):
        reader = Reader(master, proc)
        reader.rest(20)
        proc.wait(10)
        reader.close()
    output = reader.data.decode(errors="replace")
    assert proc.returncode == 0, output
    assert "Uploading big.bin" in output
    assert ("2.1 MB" in output) if not without_rich else ("100%" in output)
    assert "file_id" in output


def test_a_reader_that_leaves_early_ends_the_cli_quietly(cli: Cli) -> None:
    proc = cli.popen("chat", "long", headers={"x-qwen-mock-answer-length": "300000"})
    assert proc.stdout is not None and proc.stderr is not None
    reader = Reader(proc.stdout.fileno(), proc)
    reader.until(lambda data: len(data) >= 20, 15, "20 bytes")
    reader.close()
    assert reader.data.startswith(b"You said: long")
    proc.stdout.close()  # like `| head -c 20`
    assert proc.wait(20) == 141
    assert proc.stderr.read() == b""
    proc.stderr.close()
