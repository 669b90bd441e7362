"""Raw input handling: encodings, BOMs, binary and empty files, missing paths, size limits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.ingest import read_inputs, source
from qa.model import Article, InputError


def read_all(*paths: Path | str, max_chars: int = 200_000) -> list[Article | InputError]:
    """Everything read_inputs yields for the paths."""
    return list(read_inputs([str(p) for p in paths], max_chars))


def only_error(items: list[Article | InputError]) -> InputError:
    """The single InputError of a read."""
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café reopens in São Paulo\n\nThe café, closed since março, reopened à la carte.\n".encode("latin-1"))
    (article,) = read_all(path)
    assert isinstance(article, Article)
    assert article.title == "Café reopens in São Paulo"
    assert "março" in article.body and "à la carte" in article.body


def test_windows_1252_quotes_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    text = "Minister \u201cregrets\u201d remarks\n\nThe minister said she \u201cregretted\u201d the remarks \u2013 and apologised to the families who had complained.\n"
    path.write_bytes(text.encode("cp1252"))
    (article,) = read_all(path)
    assert isinstance(article, Article)
    assert article.title == "Minister \u201cregrets\u201d remarks"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_sets_the_encoding_and_is_not_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("Headline\n\nBody text.\n".encode(encoding))
    (article,) = read_all(path)
    assert isinstance(article, Article)
    assert (article.title, article.body) == ("Headline", "Body text.\n")


def test_binary_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    error = only_error(read_all(path))
    assert error.source == str(path)
    assert error.message == "binary file (contains NUL bytes), not text"


@pytest.mark.parametrize(("content", "message"), [(b"", "empty file"), (b" \n\t\n", "empty file (only whitespace)")])
def test_empty_file_is_reported(tmp_path: Path, content: bytes, message: str) -> None:
    for name in ("empty.txt", "empty.rss", "empty.jsonl", "empty.json", "empty.html"):
        (tmp_path / name).write_bytes(content)
        error = only_error(read_all(tmp_path / name))
        assert (error.source, error.message) == (str(tmp_path / name), message)


def test_missing_path_is_reported_and_the_rest_still_read(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody.\n")
    missing, article = read_all(tmp_path / "missing.txt", good)
    assert isinstance(missing, InputError)
    assert (missing.source, missing.message) == (str(tmp_path / "missing.txt"), "no such file or folder")
    assert isinstance(article, Article) and article.id == str(good)


def test_article_over_the_size_limit_is_reported_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Title\n\n" + "word " * 30)
    error = only_error(read_all(path, max_chars=100))
    assert error.source == str(path)
    assert error.message == "article is 155 characters long, over the limit of 100 (raise max_article_chars in qa.yml to check it)"
    assert isinstance(read_all(path, max_chars=155)[0], Article)


def test_size_limit_applies_per_article_not_per_file(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "short", "title": "", "body": "ok"}\n{"id": "long", "title": "", "body": "' + "x" * 50 + '"}\n')
    short, long = read_all(path, max_chars=10)
    assert isinstance(short, Article) and short.id == "short"
    assert isinstance(long, InputError) and long.source == f"{path}:2"
    assert "over the limit of 10" in long.message


def test_file_over_the_byte_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 64)
    path = tmp_path / "big.rss"
    path.write_text("<rss>" + " " * 100 + "</rss>")
    error = only_error(read_all(path))
    assert error.message == "file is 111 bytes, over the limit of 64 bytes per input file"


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody.\n")
    path.chmod(0)
    try:
        try:
            path.open("rb").close()
        except PermissionError:
            error = only_error(read_all(path))
            assert error.message == "cannot read: Permission denied"
        else:
            pytest.skip("file permissions are not enforced for this user (root)")
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b", "a\ufffdb"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("bell\x07 and C1\x85 kept", "bell\ufffd and C1\x85 kept"),
        ("tab\tline\nreturn\r", "tab\tline\nreturn\r"),
        ("no\ufffechar", "no\ufffdchar"),
    ],
)
def test_clean_text_replaces_what_is_not_text_one_for_one(text: str, expected: str) -> None:
    assert source.clean_text(text) == expected
    assert len(source.clean_text(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ("[" * 40 + "]" * 40, "nested 40 levels deep, over the limit of 32"),
        ('{"id": ' + "9" * 5000 + "}", "a number of 5,000 digits is over the limit of 64 digits"),
        ('{"x": 1e999}', "is too large"),
        ('{"x": NaN}', "NaN is not a JSON value"),
    ],
)
def test_parse_json_limits_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(source.Unreadable, match=message):
        source.parse_json(text)


def test_parse_json_keeps_ordinary_values() -> None:
    assert source.parse_json('{"id": -12, "x": [1.5, {"y": null}]}') == {"id": -12, "x": [1.5, {"y": None}]}


@pytest.mark.parametrize(
    ("declaration", "data"),
    [
        ("nonsense-enc", "Caf\u00e9".encode("utf-8")),  # unknown name: detected instead
        ("utf-16", "Caf\u00e9".encode("utf-8")),  # impossible for ASCII-readable bytes
        ("ascii", "Caf\u00e9".encode("utf-8")),  # wrong: the bytes do not decode with it
        ("iso-8859-1", "Caf\u00e9".encode("latin-1")),  # right: used
    ],
)
def test_markup_declared_encoding_is_checked_before_use(declaration: str, data: bytes) -> None:
    raw = f'<?xml version="1.0" encoding="{declaration}"?><p>'.encode("ascii") + data + b"</p>"
    text = source.markup_text(raw)
    assert "Caf\u00e9" in text and declaration not in text


def test_markup_character_references_to_non_characters_become_replacement_marks() -> None:
    text = source.markup_text(b"<p>a&#xD800;b&#0;c&#x1F600;d&#65;e&#99999999999f&#x0000000041;</p>")
    assert text == "<p>a&#xFFFD;b&#xFFFD;c&#x1F600;d&#65;e&#xFFFD;f&#x0000000041;</p>"


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in only_error(read_all(fifo)).message
