"""Unit tests of the safe YAML loader (pmkit.content.yaml_positions.load_yaml).

Every refusal must come back as a positioned :class:`~pmkit.issues.Issue`
(never an exception), and every accepted value must keep its 1-based
line/column.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from pmkit.content.yaml_positions import MAX_ALIAS_EXPANSION, YamlDocument, load_yaml
from pmkit.issues import Issue

FILE = "some/file.yaml"


def load_ok(text: str | bytes) -> YamlDocument:
    """Load ``text`` and insist that it loads without issues."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc, issues = load_yaml(raw, FILE)
    assert issues == [], [i.format() for i in issues]
    assert doc is not None
    return doc


def refused(text: str | bytes) -> Issue:
    """Load ``text`` and insist that it is refused with exactly one issue."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc, issues = load_yaml(raw, FILE)
    assert doc is None
    assert len(issues) == 1, [i.format() for i in issues]
    issue = issues[0]
    assert issue.file == FILE
    assert issue.severity == "error"
    return issue


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# --------------------------------------------------------------- plain values


def test_plain_values_keep_their_types() -> None:
    doc = load_ok(
        dedent("""
        text: hello
        quoted: "42"
        number: 42
        hex: 0x1f
        ratio: 0.5
        flag: true
        nothing: ~
        items: [a, b]
        nested: {x: 1}
    """)
    )
    assert doc.data == {
        "text": "hello",
        "quoted": "42",
        "number": 42,
        "hex": 31,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "items": ["a", "b"],
        "nested": {"x": 1},
    }
    assert doc.file == FILE


def test_marks_of_values_and_keys_are_one_based() -> None:
    doc = load_ok(
        dedent("""
        # a comment line
        title: Hello
        list:
          - first
          -   second
        nested:
          deeper:
            key: value
    """)
    )
    assert doc.marks[()] == (2, 1)
    assert doc.marks[("title",)] == (2, 8)
    assert doc.key_marks[("title",)] == (2, 1)
    assert doc.marks[("list",)] == (4, 3)
    assert doc.key_marks[("list",)] == (3, 1)
    assert doc.marks[("list", 0)] == (4, 5)
    assert doc.marks[("list", 1)] == (5, 7)
    assert doc.key_marks[("nested", "deeper", "key")] == (8, 5)
    assert doc.marks[("nested", "deeper", "key")] == (8, 10)


def test_position_falls_back_to_nearest_ancestor() -> None:
    doc = load_ok("a:\n  b: 1\n")
    assert doc.position(("a", "missing")) == (2, 3)
    assert doc.position(("a", "b"), key=True) == (2, 3)
    assert doc.position(("a", "b")) == (2, 6)
    issue = doc.issue(("a", "b"), "bad value")
    assert (issue.file, issue.line, issue.column, issue.message) == (FILE, 2, 6, "bad value")


def test_marks_with_crlf_line_endings() -> None:
    doc = load_ok(b"a: 1\r\nb: two\r\n")
    assert doc.data == {"a": 1, "b": "two"}
    assert doc.marks[("b",)] == (2, 4)


def test_multibyte_characters_count_as_one_column() -> None:
    doc = load_ok("caf\u00e9: cr\u00e8me\nx: y\n")
    assert doc.data == {"caf\u00e9": "cr\u00e8me", "x": "y"}
    assert doc.marks[("caf\u00e9",)] == (1, 7)


# ------------------------------------------------------------- duplicate keys


def test_duplicate_key_is_refused_at_the_second_key() -> None:
    issue = refused(
        dedent("""
        title: One
        other: x
        title: Two
    """)
    )
    assert (issue.line, issue.column) == (3, 1)
    assert "duplicate key 'title'" in issue.message
    assert "first defined at line 1" in issue.message


def test_duplicate_key_in_nested_mapping() -> None:
    issue = refused(
        dedent("""
        items:
          - id: a
            text: one
            id: b
    """)
    )
    assert (issue.line, issue.column) == (4, 5)
    assert "duplicate key 'id' (first defined at line 2)" in issue.message


def test_same_key_in_sibling_mappings_is_fine() -> None:
    doc = load_ok("- id: a\n- id: b\n")
    assert doc.data == [{"id": "a"}, {"id": "b"}]


# ----------------------------------------------------------------------- tabs


def test_tab_indentation_is_refused_with_a_hint() -> None:
    issue = refused("a:\n  b: 1\n\tc: 2\n")
    assert (issue.line, issue.column) == (3, 1)
    assert "YAML syntax error" in issue.message
    assert "tabs" in issue.message


def test_tab_at_start_of_nested_line_is_refused_with_a_hint() -> None:
    issue = refused("a:\n\tb: 1\n")
    assert (issue.line, issue.column) == (2, 1)
    assert "tabs" in issue.message


def test_tab_inside_a_quoted_value_is_accepted() -> None:
    assert load_ok('a: "x\ty"\n').data == {"a": "x\ty"}


# ----------------------------------------------------------------- encodings


def test_invalid_utf8_is_positioned_at_the_bad_byte() -> None:
    issue = refused(b"title: ok\ntext: caf\xc3\xa9 \xff here\n")
    # "text: café " is 11 characters: the bad byte is the 12th.
    assert (issue.line, issue.column) == (2, 12)
    assert "not valid UTF-8" in issue.message
    assert "0xff" in issue.message


def test_invalid_utf8_on_first_line() -> None:
    issue = refused(b"\xc0\xafa: 1\n")
    assert (issue.line, issue.column) == (1, 1)
    assert "0xc0" in issue.message


def test_utf16_file_is_reported_as_not_utf8() -> None:
    issue = refused("a: 1\n".encode("utf-16"))
    assert "UTF-8" in issue.message


def test_utf8_bom_is_accepted_and_does_not_shift_columns() -> None:
    doc = load_ok(b"\xef\xbb\xbftitle: Hello\n")
    assert doc.data == {"title": "Hello"}
    assert doc.key_marks[("title",)] == (1, 1)
    assert doc.marks[("title",)] == (1, 8)


def test_bom_then_invalid_byte_is_positioned_without_the_bom() -> None:
    issue = refused(b"\xef\xbb\xbfa: \xff\n")
    assert (issue.line, issue.column) == (1, 4)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"], ids=["nul", "bell", "escape"])
def test_control_character_is_positioned(char: str) -> None:
    """A control character YAML forbids is reported where it is, in the author's terms."""
    issue = refused(f"a: 1\nb: x{char}y\n")
    assert (issue.line, issue.column) == (2, 5)
    assert "<unicode string>" not in issue.message


# ----------------------------------------------------------- empty documents


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "   \n", "# only a comment\n", "# one\n   # two\n\n"],
    ids=["empty", "blank-lines", "spaces", "comment", "comments-and-blanks"],
)
def test_empty_or_comment_only_file_is_refused(text: str) -> None:
    issue = refused(text)
    assert (issue.line, issue.column) == (1, 1)
    assert "the file is empty" in issue.message


# ---------------------------------------------------------------------- tags


def test_python_tag_is_refused() -> None:
    issue = refused("ok: 1\ncmd: !!python/object/apply:os.system ['echo hacked']\n")
    assert (issue.line, issue.column) == (2, 6)
    assert "python/object/apply:os.system" in issue.message
    assert "not allowed" in issue.message


def test_python_name_tag_on_scalar_is_refused() -> None:
    issue = refused("x: !!python/name:os.system ''\n")
    assert (issue.line, issue.column) == (1, 4)
    assert "not allowed" in issue.message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !custom value\n", "!custom"),
        ("a: !custom [1, 2]\n", "!custom"),
        ("a: !custom {b: 1}\n", "!custom"),
        ("a: !!binary aGVsbG8=\n", "binary"),
        ("a: !!set {x}\n", "set"),
        ("a: !!omap [x: 1]\n", "omap"),
    ],
    ids=["custom-scalar", "custom-sequence", "custom-mapping", "binary", "set", "omap"],
)
def test_tags_beyond_plain_yaml_are_refused(text: str, tag: str) -> None:
    issue = refused(text)
    assert (issue.line, issue.column) == (1, 4)
    assert tag in issue.message
    assert "not allowed" in issue.message


def test_explicit_str_tag_is_accepted() -> None:
    doc = load_ok("version: !!str 1.0\n!!str 2: two\n")
    assert doc.data == {"version": "1.0", "2": "two"}


@pytest.mark.parametrize(
    "text",
    ["a: !!int abc\n", "a: !!float abc\n", "a: !!bool maybe\n"],
    ids=["int", "float", "bool"],
)
def test_explicit_tag_with_an_impossible_value_is_an_issue(text: str) -> None:
    """``!!int abc`` must be reported at its place, not raise out of the loader."""
    issue = refused(text)
    assert (issue.line, issue.column) == (1, 4)


# ---------------------------------------------------------------- merge keys


def test_merge_key_is_refused() -> None:
    issue = refused(
        dedent("""
        base: &base
          x: 1
        child:
          <<: *base
          y: 2
    """)
    )
    assert (issue.line, issue.column) == (4, 3)
    assert "merge keys" in issue.message


def test_quoted_merge_key_is_plain_text() -> None:
    assert load_ok("'<<': 1\n").data == {"<<": 1}


# -------------------------------------------------------------------- aliases


def test_modest_alias_use_is_accepted() -> None:
    doc = load_ok(
        dedent("""
        defaults: &defaults {alpha-pm: 1, beta-pm: 2}
        one: *defaults
        two: *defaults
        list: &list [a, b, c]
        again: *list
    """)
    )
    assert doc.data["one"] == {"alpha-pm": 1, "beta-pm": 2}
    assert doc.data["two"] == doc.data["one"]
    assert doc.data["again"] == ["a", "b", "c"]


def test_recursive_alias_is_refused() -> None:
    issue = refused("a: &loop\n  - x\n  - *loop\n")
    assert "refers to itself" in issue.message
    assert issue.line == 1


def test_recursive_mapping_alias_is_refused() -> None:
    issue = refused("a: &m {b: *m}\n")
    assert "refers to itself" in issue.message


def billion_laughs(levels: int) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        refs = ", ".join([f"*l{n - 1}"] * 10)
        lines.append(f"l{n}: &l{n} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_before_expansion() -> None:
    issue = refused(billion_laughs(9))
    assert "YAML aliases would expand this file to" in issue.message
    assert f"more than {MAX_ALIAS_EXPANSION:,}" in issue.message
    assert "write the values out" in issue.message
    assert (issue.line, issue.column) == (1, 1)


def test_alias_expansion_below_the_limit_is_accepted() -> None:
    # 4 levels: 10 + 100 + 1,000 + 10,000 expanded leaves, well under the limit.
    doc = load_ok(billion_laughs(4))
    assert len(doc.data["l3"]) == 10
    assert doc.data["l3"][0][0][0] == ["lol"] * 10


def test_deep_nesting_is_refused() -> None:
    depth = 100
    issue = refused("a: " + "[" * depth + "]" * depth + "\n")
    assert "nesting deeper than" in issue.message
    assert issue.line == 1


def test_pathologically_deep_nesting_is_refused_without_crashing() -> None:
    """A 400 KB file of nested brackets must be an issue, not a crash of the process.

    Run in a child process: the failure this guards against is a segfault.
    """
    code = (
        "from pmkit.content.yaml_positions import load_yaml\n"
        "n = 200_000\n"
        "doc, issues = load_yaml(b'a: ' + b'[' * n + b']' * n + b'\\n', 'deep.yaml')\n"
        "print(doc is None, [i.message for i in issues])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.startswith("True")
    assert "nesting deeper than" in result.stdout


# ---------------------------------------------------------- documents, syntax


def test_multiple_documents_are_refused() -> None:
    issue = refused("a: 1\n---\nb: 2\n")
    assert (issue.line, issue.column) == (2, 1)
    assert "one document per file" in issue.message


def test_explicit_document_start_is_accepted() -> None:
    doc = load_ok("---\na: 1\n")
    assert doc.data == {"a": 1}
    assert doc.marks[("a",)] == (2, 4)


def test_syntax_error_is_positioned() -> None:
    issue = refused("a: 1\nb: [1, 2\nc: 3\n")
    assert issue.line == 3
    assert issue.message.startswith("YAML syntax error:")
    assert "flow sequence" in issue.message


def test_bad_indentation_is_positioned() -> None:
    issue = refused("a:\n  b: 1\n c: 2\n")
    assert issue.line == 3
    assert "YAML syntax error" in issue.message


def test_unclosed_quote_is_a_syntax_error() -> None:
    issue = refused('a: 1\nb: "never closed\n')
    assert issue.line >= 2
    assert "YAML syntax error" in issue.message


# ------------------------------------------------------------- mapping keys


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("yes: 1\n", 1, 1),
        ("on: 1\n", 1, 1),
        ("1: one\n", 1, 1),
        ("a:\n  2.5: x\n", 2, 3),
        ("~: nothing\n", 1, 1),
        ("2024-01-01: day\n", 1, 1),
        ("? [a, b]\n: 1\n", 1, 3),
        ("? {a: 1}\n: 1\n", 1, 3),
    ],
    ids=["yes", "on", "int", "nested-float", "null", "date", "sequence-key", "mapping-key"],
)
def test_non_string_keys_are_refused(text: str, line: int, column: int) -> None:
    issue = refused(text)
    assert (issue.line, issue.column) == (line, column)
    assert "a mapping key must be plain text" in issue.message
    assert "quote it" in issue.message


def test_quoted_keys_that_look_like_other_types_are_text() -> None:
    doc = load_ok("'yes': 1\n\"1\": 2\n")
    assert doc.data == {"yes": 1, "1": 2}


# ---------------------------------------------------------------------- dates


def test_dates_are_kept_as_written() -> None:
    doc = load_ok("day: 2024-01-02\nstamp: 2001-12-14t21:59:43.10-05:00\n")
    assert doc.data == {"day": "2024-01-02", "stamp": "2001-12-14t21:59:43.10-05:00"}
    assert all(isinstance(v, str) for v in doc.data.values())


def test_null_document_loads_as_none() -> None:
    """A lone null is a document (with nothing in it); the schema reports it, not the loader."""
    doc = load_ok("~\n")
    assert doc.data is None


@pytest.mark.parametrize(
    ("text", "position", "fix"),
    [
        ("title: Careers: an overview\n", (1, 15), "a value that contains `: ` must be quoted"),
        ("a: b\n c: d\n", (2, 3), "indented like the field above it"),
        ("a:\n  - x\n y: 1\n", (3, 2), "check the indentation of this line and the one above"),
        ('title: "unclosed\n', (2, 1), "a quote opened earlier is never closed"),
        ("tags: [one, two\n", (2, 1), "a `[` or `{` is never closed"),
        ("name: @handle\n", (1, 7), "must be quoted"),
    ],
)
def test_yaml_slips_get_the_likely_fix(text: str, position: tuple[int, int], fix: str) -> None:
    """libyaml's own words stay (searchable), followed by what usually fixes them."""
    issue = refused(text)
    assert (issue.line, issue.column) == position
    assert issue.message.startswith("YAML syntax error: ")
    assert fix in issue.message
