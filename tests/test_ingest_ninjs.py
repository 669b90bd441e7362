"""IPTC ninjs: single items, lists, body_text verbatim, body_html to text, bad items reported."""

from __future__ import annotations

from pathlib import Path

from qa.ingest import read_inputs
from qa.model import Article, InputError

DATA = Path(__file__).parent / "data" / "ingest"


def test_single_item_keeps_body_text_verbatim_and_metadata() -> None:
    (article,) = read_inputs([str(DATA / "ninjs-item.json")])
    assert isinstance(article, Article)
    assert article.id == "urn:ninjs:agency:2026:77"
    assert article.title == "Floods close mountain pass"
    assert article.body == "Heavy rain closed the mountain pass on Sunday.\n\nPolice said it would reopen when the water receded."
    assert article.metadata["language"] == "en" and "body_text" not in article.metadata


def test_list_reads_good_items_and_reports_bad_ones() -> None:
    path = DATA / "ninjs-list.json"
    museum, no_body, not_item, v2 = read_inputs([str(path)])
    assert isinstance(museum, Article)
    assert museum.body == "The museum reopened on Saturday.\n\nQueues formed early."
    assert isinstance(no_body, InputError)
    assert (no_body.source, no_body.message) == (f"{path}[item 2]", "ninjs item has no body_text or body_html")
    assert isinstance(not_item, InputError)
    assert (not_item.source, not_item.message) == (f"{path}[item 3]", "ninjs item is a JSON str, not an object")
    assert isinstance(v2, Article)  # ninjs 2.x headlines/bodies, plain text preferred
    assert (v2.title, v2.body) == ("ninjs 2 headline", "Plain body of a ninjs 2 item.")


def test_invalid_json_is_reported_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"headline": "x", "body_text": ')
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message == "not valid JSON: Expecting value: line 1 column 32 (char 31)"


def test_json_lines_named_json_get_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"id": 1, "body": "a"}\n{"id": 2, "body": "b"}\n')
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message.endswith("(one JSON object per line? name the file .jsonl)")


def test_json_that_is_not_an_item_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "number.json"
    path.write_text("42")
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message == "not a ninjs item or list of items (expected a JSON object or array)"


def test_item_without_uri_is_named_by_its_file(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text('{"headline": "H", "body_html": "<p>Body.</p>"}')
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and article.id == str(path) and article.body == "Body."
