"""JSON Lines: verbatim title/body, extra keys kept, bad lines reported by file:line."""

from __future__ import annotations

from pathlib import Path

from qa.ingest import read_inputs
from qa.model import Article, InputError

DATA = Path(__file__).parent / "data" / "ingest"


def test_good_lines_are_read_and_bad_lines_reported() -> None:
    path = DATA / "articles.jsonl"
    items = list(read_inputs([str(path)]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [(i.source, i.message) for i in items if isinstance(i, InputError)]
    assert [a.id for a in articles] == ["a1", "a2", "a5"]
    assert errors == [
        (f"{path}:3", "not valid JSON: Unterminated string starting at: line 1 column 46 (char 45)"),
        (f"{path}:5", 'missing "body"'),
        (f"{path}:6", "expected a JSON object, got a JSON list"),
    ]


def test_text_is_the_inputs_own_and_extra_keys_are_metadata() -> None:
    a1, a2, a5 = (i for i in read_inputs([str(DATA / "articles.jsonl")]) if isinstance(i, Article))
    assert a1.title == "Council votes on budget"
    assert a1.body == "The council voted 7-2 on Monday.\n\nThe mayor said \u201cthe budget is fair\u201d."
    assert a1.metadata == {"reference": "El consejo votó 7-2 el lunes."}
    assert a1.source == str(DATA / "articles.jsonl")
    assert a2.title == "" and a5.title == ""  # empty and null titles
    assert a5.body == "Line separator\u2028inside a string stays one article."


def test_wrong_types_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "types.jsonl"
    path.write_text('{"id": 1, "body": 5}\n{"id": 2, "title": ["x"], "body": "b"}\n{"id": {}, "body": "b"}\n')
    messages = [i.message for i in read_inputs([str(path)]) if isinstance(i, InputError)]
    assert messages == [
        '"body" must be a string, not int',
        '"title" must be a string, not list',
        '"id" must be a string or number, not dict',
    ]


def test_missing_id_falls_back_to_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "noid.jsonl"
    path.write_text('\n{"title": "T", "body": "B"}\n')
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and article.id == f"{path}:2"



def test_a_truncated_file_reports_its_cut_line_and_keeps_the_lines_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    path.write_text('{"id": "a1", "body": "Whole line."}\n{"id": "a2", "body": "Cut sh', encoding="utf-8")
    article, error = read_inputs([str(path)])
    assert isinstance(article, Article) and article.id == "a1"
    assert isinstance(error, InputError) and error.source == f"{path}:2" and not error.internal
    assert error.message == "not valid JSON: Unterminated string starting at: line 1 column 22 (char 21)"
