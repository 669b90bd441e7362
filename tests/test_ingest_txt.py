"""Plain text: headline rule, verbatim body, offsets into the file."""

from __future__ import annotations

from pathlib import Path

from qa.ingest import read_inputs, split_txt
from qa.model import Article


def test_headline_when_a_blank_line_follows() -> None:
    text = "Bridge reopens\n\n  The mayor said so.\nSecond line.\n"
    article = split_txt(text, "s.txt")
    assert (article.id, article.source, article.title) == ("s.txt", "s.txt", "Bridge reopens")
    assert article.body == "The mayor said so.\nSecond line.\n"
    assert text[article.field_offsets["body"]:] == article.body
    assert article.field_positions == {"title": (0, 0), "body": (2, 2)}  # the body's first line is indented
    assert article.position("body", 0) == (3, 3) and article.position("body", 19) == (4, 1)


def test_no_headline_without_a_blank_line() -> None:
    text = "The mayor said so.\nSecond line.\n"
    article = split_txt(text, "s.txt")
    assert (article.title, article.body, article.field_offsets) == ("", text, {"body": 0})


def test_crlf_file_keeps_its_own_text_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    raw = "Headline here\r\n\r\nFirst paragraph.\r\nMore text.\r\n"
    path.write_bytes(raw.encode())
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article)
    assert article.title == "Headline here"
    assert raw[article.field_offsets["title"]:].startswith(article.title)
    assert raw[article.field_offsets["body"]:] == article.body == "First paragraph.\r\nMore text.\r\n"
    assert article.field_positions["body"] == (2, 0)


def test_indented_headline_offset_points_at_the_headline() -> None:
    text = "   Indented headline\n\nBody.\n"
    article = split_txt(text, "s.txt")
    start = article.field_offsets["title"]
    assert text[start:start + len(article.title)] == article.title == "Indented headline"


def test_seed_offsets_match_the_file(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    (article,) = read_inputs([str(seed_path)])
    assert isinstance(article, Article)
    for name in ("title", "body"):
        start = article.field_offsets[name]
        assert text[start:start + len(article.text(name))] == article.text(name)
