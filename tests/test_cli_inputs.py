"""``qa check`` on good and bad inputs: bad ones reported by name, good ones still checked, exit code 3."""

from __future__ import annotations

import json
import os
import stat
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


HOSTILE_FILES: dict[str, bytes] = {
    "surrogate.rss": b'<?xml version="1.0"?><rss version="2.0"><channel><item><guid>s</guid><title>T&#xD800;</title>'
    b"<description>Body &#xD800; text.</description></item></channel></rss>",
    "nonsense.rss": b'<?xml version="1.0" encoding="nonsense-enc"?><rss version="2.0"><channel><item><guid>n</guid>'
    b"<title>T</title><description>Body text.</description></item></channel></rss>",
    "deep.json": b"[" * 100_000 + b"]" * 100_000,
    "bigint.jsonl": b'{"id": ' + b"9" * 5000 + b', "body": "x"}\n',
    "cut.txt": "Gr\u00fc\u00dfe aus K\u00f6ln.".encode("utf-8")[:-2],
    "nul.jsonl": b'{"id": "z", "body": "x\\u0000y \\ud800 z."}\n',
}


def test_folder_with_hostile_files_reports_every_good_article_and_exits_3(tmp_path: Path) -> None:
    good = [f"good{i}.txt" for i in range(5)]
    for name in good:
        (tmp_path / name).write_text(f"Headline {name}\n\n{CLEAN_BODY}", encoding="utf-8")
    for name, data in HOSTILE_FILES.items():
        (tmp_path / name).write_bytes(data)
    code, report = check_json(str(tmp_path))
    assert code == 3
    ids = {a["id"] for a in report["articles"]}
    assert {str(tmp_path / name) for name in good} <= ids
    errors = {Path(e["source"]).name: e["message"] for e in report["summary"]["input_errors"]}
    assert errors == {
        "deep.json": "JSON is nested too deeply (the limit is 32 levels)",
        "bigint.jsonl:1": "a number of 5,000 digits is over the limit of 64 digits",
    }
    texts = {a["id"]: a["body"] for a in report["articles"]}
    assert texts["z"] == "x\ufffdy \ufffd z."  # NUL and lone surrogate repaired, offsets kept
    assert texts["s"] == "Body \ufffd text."


CLEAN_BODY = "The council met on Monday. It approved the budget after a short debate."


def test_a_bug_on_one_item_exits_4_and_every_other_article_is_still_written(tmp_path: Path, monkeypatch: Any) -> None:
    import qa.ingest

    def broken(name: str, data: bytes, max_chars: int) -> Any:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(qa.ingest.READERS, "html", broken)
    (tmp_path / "a.txt").write_text("A\n\n" + CLEAN_BODY, encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "c.txt").write_text("C\n\n" + CLEAN_BODY, encoding="utf-8")
    code, report = check_json(str(tmp_path))
    assert code == 4
    assert [Path(a["id"]).name for a in report["articles"]] == ["a.txt", "c.txt"]
    (error,) = report["summary"]["input_errors"]
    assert error["message"] == "cannot read: unexpected ZeroDivisionError: boom (a bug in qa: please report it)"


def test_a_crash_while_writing_leaves_no_half_report_on_stdout(monkeypatch: Any) -> None:
    from qa.formatters import json as json_formatter

    real = json_formatter.issue_dict

    def crash_late(issue: Any) -> Any:
        raise RuntimeError("formatter bug")

    monkeypatch.setattr(json_formatter, "issue_dict", crash_late)
    result = CliRunner().invoke(main, ["check", "--format", "json", *RULES_ONLY, "tests/data/biden-kishida.txt"])
    assert isinstance(result.exception, RuntimeError)
    assert result.stdout == ""
    monkeypatch.setattr(json_formatter, "issue_dict", real)


def test_report_files_honour_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    story = tmp_path / "s.txt"
    story.write_text("A\n\n" + CLEAN_BODY, encoding="utf-8")
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(main, ["check", "--format", "json", *RULES_ONLY, "-o", str(out), str(story)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    out.chmod(0o604)  # an existing report keeps the permissions its owner gave it
    CliRunner().invoke(main, ["check", "--format", "json", *RULES_ONLY, "-o", str(out), str(story)])
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
