"""The parser on the corpus of messy outputs, whole and streamed, plus the split-independence property."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qwen_api.tools import ParsedToolCall, ToolCallParser
from qwen_api.tools._json import BalancedScanner, JsonStringTracker

from .corpus import CALL, CASES, TOOLS, Case


def run(pieces: list[str]) -> tuple[str, list[ParsedToolCall]]:
    parser = ToolCallParser(TOOLS)
    events: list[str | ParsedToolCall] = []
    for piece in pieces:
        events += parser.feed(piece)
    events += parser.finish()
    text = "".join(event for event in events if isinstance(event, str))
    return text, [event for event in events if isinstance(event, ParsedToolCall)]


def summary(calls: list[ParsedToolCall]) -> list[tuple[str, object, bool]]:
    out = []
    for call in calls:
        try:
            arguments = json.loads(call.arguments)
        except ValueError:
            arguments = None
        out.append((call.name, arguments, call.ok))
    return out


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_whole_answer(case: Case) -> None:
    text, calls = run([case.text])
    assert text == case.visible
    assert summary(calls) == [tuple(call) for call in case.calls]
    shown = text.replace("`<tool_call>`", "")  # a tag named in inline code is text, the calls' markup never
    for call in calls:
        assert "<tool_call" not in shown and "</tool_call" not in shown
        assert (call.error is None) == call.ok


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_one_character_at_a_time(case: Case) -> None:
    assert run(list(case.text)) == run([case.text])


def test_failing_calls_say_why() -> None:
    _, calls = run(['<tool_call>{"name": "get_weather", "arguments": {"town": "Paris"}}</tool_call>'])
    assert calls[0].error is not None and "'city' is a required property" in calls[0].error
    _, calls = run(['<tool_call>{"name": "nope", "arguments": {}}</tool_call>'])
    assert calls[0].error is not None and "get_weather, search, list_files" in calls[0].error


def test_text_before_a_possible_call_is_held_back_until_known() -> None:
    parser = ToolCallParser(TOOLS)
    assert parser.feed("Hello <tool_c") == ["Hello"]
    assert parser.feed("all>") == []
    out = parser.feed('{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>')
    assert [type(event) for event in out] == [ParsedToolCall]
    assert parser.finish() == []


def test_a_false_alarm_is_released() -> None:
    parser = ToolCallParser(TOOLS)
    assert parser.feed("x <tool") == ["x"]
    assert "".join(str(event) for event in parser.feed("box>")) == " <toolbox>"


def test_feed_after_finish_is_an_error() -> None:
    parser = ToolCallParser(TOOLS)
    parser.finish()
    with pytest.raises(RuntimeError):
        parser.feed("x")


def test_a_long_call_streams_in_linear_time() -> None:
    # 200 KB of arguments in 8-character pieces: each feed scans only the new text.
    payload = json.dumps({"name": "search", "arguments": {"query": "x" * 200_000}})
    text = "<tool_call>" + payload + "</tool_call>"
    pieces = [text[i : i + 8] for i in range(0, len(text), 8)]
    _, calls = run(pieces)
    assert len(calls) == 1 and calls[0].ok


def test_text_between_an_unclosed_call_and_the_next_opener_is_read_as_text() -> None:
    """Found by the split property: an unclosed call ran on to the next opener and swallowed what lay
    between (here a code fence's opening line, whose closing line then opened a block that hid the
    last call as text; in general any narration there was dropped)."""
    unclosed = 'Let me check. <tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}'
    fenced = "```xml\n" + CALL + "\n```"
    text = unclosed + "\n" + fenced + "\n" + unclosed
    for pieces in ([text], [text[i : i + 7] for i in range(0, len(text), 7)]):
        out, calls = run(pieces)
        assert [call.name for call in calls] == ["get_weather"] * 3 and all(call.ok for call in calls)
        assert "<tool_call>" not in out and "```" not in out
        assert out.count("Let me check.") == 2
    out, calls = run([unclosed + " Then: <tool_call>" + '{"name": "search", "arguments": {"query": "x"}}</tool_call>'])
    assert [call.name for call in calls] == ["get_weather", "search"] and "Then:" in out


def test_an_opener_named_in_prose_is_held_only_until_what_follows_it_shows() -> None:
    parser = ToolCallParser(TOOLS)
    assert parser.feed("Write a `<tool_ca") == ["Write a `"]
    assert parser.feed("ll>") == []  # may still open a call
    out = parser.feed("` block.")  # a backtick follows: inline code naming the tag
    assert "".join(str(event) for event in out) == "<tool_call>` block."
    assert parser.finish() == []


@pytest.mark.parametrize(
    "after",
    [
        " " * 300,  # more blanks than a call puts before its body
        "x" * 200,  # a "name" longer than any tool name
        "get_weather" + " " * 300,
    ],
    ids=["blanks", "long-word", "name-then-blanks"],
)
def test_the_hold_after_an_opener_is_bounded(after: str) -> None:
    parser = ToolCallParser(TOOLS)
    out = parser.feed("<tool_call>" + after)
    assert "<tool_call>" in "".join(str(event) for event in out)  # released before the answer ends


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('<tool_call>\n  {"name": "search", "arguments": {"query": "q"}}</tool_call>', "json"),
        ('<tool_call>[{"name": "search", "arguments": {"query": "q"}}]</tool_call>', "list"),
        ('<tool_call>"name": "search", "arguments": {"query": "q"}}</tool_call>', "quoted-key"),
        ('<tool_call>\n```json\n{"name": "search", "arguments": {"query": "q"}}\n```\n</tool_call>', "fence"),
        ("<tool_call><function=search><parameter=query>q</parameter></function></tool_call>", "xml"),
        ('<tool_call>search \n {"query": "q"}</tool_call>', "name-line"),
        ("<tool_call>search<arg_key>query</arg_key><arg_value>q</arg_value></tool_call>", "glm"),
    ],
)
def test_every_call_form_still_opens_a_call(text: str, kind: str) -> None:
    for pieces in ([text], list(text)):
        shown, calls = run(pieces)
        assert [call.name for call in calls] == ["search"], kind
        assert "<tool_call>" not in shown


def test_tags_inside_long_arguments_are_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file being written that holds many ``</tool_call>`` / ``<tool_call>`` / fences: each one asks
    whether it lies inside a JSON string, and the answer must not rescan the call so far (that made
    a 136 KB answer take seconds, and doubling it quadrupled the time)."""
    scanned = 0
    feed = BalancedScanner.feed

    def counting(self: BalancedScanner, piece: str) -> int | None:
        nonlocal scanned
        scanned += len(piece)
        return feed(self, piece)

    monkeypatch.setattr(BalancedScanner, "feed", counting)
    content = "line <tool_call> and </tool_call> then\n```\n" * 1500
    for text in (
        "<tool_call>" + json.dumps({"name": "search", "arguments": {"query": content}}) + "</tool_call>",
        "```json\n" + json.dumps({"name": "search", "arguments": {"query": content}}) + "\n```",
    ):
        scanned = 0
        _, calls = run([text[i : i + 7] for i in range(0, len(text), 7)])
        assert [(call.name, call.ok) for call in calls] == [("search", True)]
        assert json.loads(calls[0].arguments) == {"query": content}
        assert scanned <= 3 * len(text)  # linear: rescanning at each tag would be ~1500 times the text


def test_the_json_string_tracker_follows_strings_piece_by_piece() -> None:
    tracker = JsonStringTracker()
    for piece, inside in [("  ", False), ('{"a": "x', True), ("\\", True), ('"', True), ('y"', False), ("}", False)]:
        tracker.feed(piece)
        assert tracker.inside_string is inside, piece
    tracker.feed('"after the value"')
    assert not tracker.inside_string
    prose = JsonStringTracker()
    prose.feed('say "hi')
    assert not prose.inside_string  # not JSON: nothing in it is a JSON string


@st.composite
def split_answers(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """A corpus answer, or several glued together with random narration, cut at random places.

    The flag says whether the answer is well formed (each part on its own lines, no code shown
    in an ordinary code block), where no call markup may be left in the text at all.
    """
    parts = draw(st.lists(st.sampled_from(CASES), min_size=1, max_size=3))
    glue = draw(
        st.lists(st.sampled_from(["", "\n", " ", "\n\nSo:\n", "ok ", "`", "<", "{", "```\n"]), min_size=2, max_size=2)
    )
    text = glue[0].join(case.text for case in parts) + glue[1]
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    well_formed = (
        (len(parts) == 1 or glue[0] in ("\n", "\n\nSo:\n"))
        and "```python" not in text
        and not any("<tool_call>" in case.visible for case in parts)  # a tag named in prose is shown
    )
    return text, pieces, well_formed


@settings(max_examples=300, deadline=None)
@given(split_answers())
def test_any_split_gives_the_same_calls_and_text(sample: tuple[str, list[str], bool]) -> None:
    text, pieces, well_formed = sample
    whole_text, whole_calls = run([text])
    split_text, split_calls = run(pieces)
    assert split_text == whole_text
    assert split_calls == whole_calls
    assert all(call.name for call in whole_calls)
    if well_formed:
        assert "<tool_call>" not in split_text.lower()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('<>`{}[]"\n :tool_call/function=ab')), max_size=80), st.data())
def test_any_split_of_any_text(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=10)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    whole = run([text])
    assert run(pieces) == whole
    assert all(call.name for call in whole[1])  # a block that names no tool is never a call
