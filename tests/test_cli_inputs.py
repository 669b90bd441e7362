"""``qa check`` on good and bad inputs: bad ones reported by name, good ones still checked, exit code 3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa.cli import main
from tests.helpers import RULES_ONLY, run_qa

DATA = Path(__file__).parent / "data" / "ingest"


def check_json(*args: str, stdin: bytes | None = None) -> tuple[int, dict[str, Any]]:
    """Run ``qa check --format json`` in-process; return the exit code and the parsed report."""
    result = CliRunner().invoke(main, ["check", "--format", "json", "--fail-on", "never", *RULES_ONLY, "--no-progress", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def test_all_good_inputs_exit_0() -> None:
    code, report = check_json(str(DATA / "story.txt"), str(DATA / "feed.atom"), str(DATA / "page.html"))
    assert code == 0
    assert [a["id"] for a in report["articles"]] == [
        str(DATA / "story.txt"), "urn:agency:2026:881", "urn:agency:2026:882", str(DATA / "page.html")
    ]
    assert report["summary"]["input_errors"] == []


def test_missing_file_exits_3_and_the_rest_is_checked(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    code, report = check_json(missing, str(DATA / "story.txt"))
    assert code == 3
    assert [a["id"] for a in report["articles"]] == [str(DATA / "story.txt")]
    assert report["summary"]["input_errors"] == [{"source": missing, "message": "no such file or folder"}]


def test_bad_feed_item_exits_3_and_other_items_are_checked() -> None:
    code, report = check_json(str(DATA / "feed.rss"))
    assert code == 3
    assert [a["id"] for a in report["articles"]] == ["wire-2026-0001", "https://wire.example/world/port-strike", "wire-2026-0004"]
    assert report["summary"]["input_errors"] == [
        {"source": f"{DATA / 'feed.rss'}[item 3]", "message": "feed item 'wire-2026-0003' has no text (no content or description)"}
    ]


def test_bad_jsonl_lines_exit_3_and_good_lines_keep_their_text() -> None:
    code, report = check_json(str(DATA / "articles.jsonl"))
    assert code == 3
    assert [a["id"] for a in report["articles"]] == ["a1", "a2", "a5"]
    assert report["articles"][0]["body"] == "The council voted 7-2 on Monday.\n\nThe mayor said \u201cthe budget is fair\u201d."
    assert [e["source"] for e in report["summary"]["input_errors"]] == [f"{DATA / 'articles.jsonl'}:{n}" for n in (3, 5, 6)]


def test_unsafe_xml_and_binary_files_in_a_folder_exit_3(tmp_path: Path) -> None:
    (tmp_path / "bomb.rss").write_bytes((DATA / "unsafe" / "billion-laughs.rss").read_bytes())
    (tmp_path / "image.txt").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\xff")
    (tmp_path / "secret.txt").write_text("TOP-SECRET-TOKEN")
    (tmp_path / "xxe.xml").write_text(
        f'<!DOCTYPE rss [<!ENTITY s SYSTEM "file://{tmp_path / "secret.txt"}">]>'
        "<rss><channel><item><guid>x</guid><description>&s;</description></item></channel></rss>"
    )
    (tmp_path / "ok.txt").write_text("Fine headline\n\nA fine body.\n")
    code, report = check_json(str(tmp_path))
    assert code == 3
    assert [a["id"] for a in report["articles"]] == [str(tmp_path / "ok.txt"), str(tmp_path / "secret.txt")]
    assert "TOP-SECRET" not in json.dumps(report["summary"])
    assert report["summary"]["input_errors"] == [
        {"source": str(tmp_path / "bomb.rss"), "message": "unsafe XML refused: entity declaration 'lol' is not allowed (entity expansion)"},
        {"source": str(tmp_path / "image.txt"), "message": "binary file (contains NUL bytes), not text"},
        {"source": str(tmp_path / "xxe.xml"), "message": f"unsafe XML refused: external entity 's' (file://{tmp_path / 'secret.txt'}) is not allowed"},
    ]


def test_oversized_article_exits_3_with_the_limit_in_the_message(tmp_path: Path) -> None:
    (tmp_path / "qa.yml").write_text("max_article_chars: 50\n")
    (tmp_path / "long.txt").write_text("Headline\n\n" + "A sentence that goes on. " * 4)
    (tmp_path / "short.txt").write_text("Headline\n\nShort.\n")
    code, report = check_json("--config", str(tmp_path / "qa.yml"), str(tmp_path / "long.txt"), str(tmp_path / "short.txt"))
    assert code == 3
    assert [a["id"] for a in report["articles"]] == [str(tmp_path / "short.txt")]
    (error,) = report["summary"]["input_errors"]
    assert error["message"] == "article is 108 characters long, over the limit of 50 (raise max_article_chars in qa.yml to check it)"


def test_stdin_feed_is_sniffed() -> None:
    code, report = check_json("-", stdin=(DATA / "feed.atom").read_bytes())
    assert code == 0
    assert [a["source"] for a in report["articles"]] == ["<stdin>", "<stdin>"]


def test_empty_stdin_exits_3() -> None:
    code, report = check_json("-", stdin=b"")
    assert code == 3
    assert report["summary"]["input_errors"] == [{"source": "<stdin>", "message": "empty file"}]


def test_text_output_names_the_bad_input_and_the_process_exits_3(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run_qa("check", *RULES_ONLY, str(tmp_path / "empty.txt"), "-", stdin=(DATA / "story.txt").read_text(), cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert f"{tmp_path / 'empty.txt'}: error empty file" in proc.stdout
    assert "1 article(s)" in proc.stdout
