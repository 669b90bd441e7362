"""read_inputs as a whole: folders, stdin with format sniffing, unique ids, one bad input never stops a run."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from qa.ingest import read_inputs, walk
from qa.model import Article, InputError

DATA = Path(__file__).parent / "data" / "ingest"


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Make ``data`` the process's standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_folder_is_read_recursively_in_sorted_order_by_extension() -> None:
    folder = DATA / "folder"
    assert walk(folder) == [folder / "a.jsonl", folder / "b.txt", folder / "sub" / "a.txt"]  # no .md, no hidden
    ids = [a.id for a in read_inputs([str(folder)]) if isinstance(a, Article)]
    assert ids == ["f1", str(folder / "b.txt"), str(folder / "sub" / "a.txt")]


def test_whole_data_folder_mixes_formats_and_keeps_going_past_errors() -> None:
    items = list(read_inputs([str(DATA)]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(articles) == 16 and len(errors) == 7
    assert errors[-1].message.startswith("unsafe XML refused")
    assert len({a.id for a in articles}) == len(articles)
    assert items == list(read_inputs([str(DATA)]))  # deterministic


def test_folder_without_articles_is_reported(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("nothing here")
    (error,) = read_inputs([str(tmp_path)])
    assert isinstance(error, InputError) and error.source == str(tmp_path)
    assert error.message.startswith("folder has no files to check (looked for .atom, .htm, .html")


def test_repeated_ids_are_made_unique_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "x", "body": "one"}\n{"id": "x", "body": "two"}\n{"id": "x~2", "body": "three"}\n')
    ids = [a.id for a in read_inputs([str(path), str(path)]) if isinstance(a, Article)]
    assert ids == ["x", "x~2", "x~2~2", "x~3", "x~4", "x~2~3"]
    second = [a for a in read_inputs([str(path)]) if isinstance(a, Article)][1]
    assert second.metadata["original_id"] == "x"


@pytest.mark.parametrize(
    ("fixture", "ids"),
    [
        ("story.txt", ["<stdin>"]),
        ("page.html", ["<stdin>"]),
        ("feed.rss", ["wire-2026-0001", "https://wire.example/world/port-strike", "wire-2026-0004"]),
        ("feed.atom", ["urn:agency:2026:881", "urn:agency:2026:882"]),
        ("ninjs-item.json", ["urn:ninjs:agency:2026:77"]),
        ("ninjs-list.json", ["urn:ninjs:agency:2026:78", "urn:ninjs:agency:2026:80"]),
        ("articles.jsonl", ["a1", "a2", "a5"]),
    ],
)
def test_stdin_format_is_sniffed(monkeypatch: pytest.MonkeyPatch, fixture: str, ids: list[str]) -> None:
    stdin(monkeypatch, (DATA / fixture).read_bytes())
    items = list(read_inputs(["-"]))
    assert [a.id for a in items if isinstance(a, Article)] == ids
    assert all(i.source == "<stdin>" or i.source.startswith("<stdin>") for i in items)


def test_stdin_text_keeps_its_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Headline\n\nBody of the story.\n"
    stdin(monkeypatch, text.encode())
    (article,) = read_inputs(["-"])
    assert isinstance(article, Article)
    assert text[article.field_offsets["body"]:] == article.body


def test_single_jsonl_object_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, b'{"id": "only", "title": "T", "body": "B"}')
    (article,) = read_inputs(["-"])
    assert isinstance(article, Article) and (article.id, article.body) == ("only", "B")


@pytest.mark.parametrize(("data", "message"), [(b"", "empty file"), (b"\x00\x01\x02binary", "binary file (contains NUL bytes), not text")])
def test_bad_stdin_is_reported(monkeypatch: pytest.MonkeyPatch, data: bytes, message: str) -> None:
    stdin(monkeypatch, data)
    (error,) = read_inputs(["-"])
    assert isinstance(error, InputError) and (error.source, error.message) == ("<stdin>", message)


def test_every_reader_runs_in_a_fresh_interpreter_of_this_install() -> None:
    """Each format's whole import path (trafilatura, lxml_html_clean, feedparser, charset-normalizer…) as installed:
    an undeclared dependency fails here in CI's fresh venv instead of on a user's first HTML file."""
    import json as json_module
    import subprocess

    from tests.helpers import ROOT

    files = ["story.txt", "page.html", "feed.rss", "feed.atom", "ninjs-item.json", "articles.jsonl"]
    probe = (
        "import json, sys\n"
        "from qa.ingest import read_inputs\n"
        "from qa.model import Article\n"
        "kinds = {p: any(isinstance(i, Article) for i in read_inputs([p])) for p in sys.argv[1:]}\n"
        "print(json.dumps(kinds))\n"
    )
    paths = [str(DATA / name) for name in files]
    done = subprocess.run([sys.executable, "-c", probe, *paths], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert json_module.loads(done.stdout) == dict.fromkeys(paths, True)  # feed.rss also holds a bad item on purpose
