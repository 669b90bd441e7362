"""The simulated editor of ``qa bench newsroom``: real checks, a real review database, decisions as an editor makes them."""

from __future__ import annotations

from pathlib import Path

from qa.bench.newsroom import checkpoints
from qa.config import Config
from qa.datasets.garbled_news import GarbledArticle, Phrase, find_occurrences
from qa.engine import check
from qa.ingest.txt import split_txt
from qa.learned.finetune import newsroom_folder
from qa.learned.newsroom import read_table
from qa.review.store import Store
from qa.simulate.editor import Tally, review

RULES_ONLY = Config().switched(embeddings=False, languagetool=False, learned=False)
GARBLED = "Ministers meet\n\nThe ministers met in Tokyo on Friday . They held a long talk for an hour.The talks ended , aides said.\n"
CLEAN = "Ministers meet\n\nThe ministers met in Tokyo on Friday. They talked for an hour.\n"
PHRASES = (
    Phrase("g.txt", "Friday .", "Friday.", "other"),  # the space-before finding lies inside it: confirmed
    Phrase("g.txt", ".The", ". The", "sentence boundary"),  # a finding covers exactly this: fixed with what was meant
    Phrase("g.txt", "held a long talk", "talked", "literal idiom"),  # no finding: marked as missed
)


def _reviewed(tmp_path: Path) -> tuple[Store, list[Tally]]:
    articles = [
        GarbledArticle(split_txt(GARBLED, "g.txt"), GARBLED, True, tuple(find_occurrences(GARBLED, PHRASES))),
        GarbledArticle(split_txt(CLEAN, "c.txt"), CLEAN, False),
    ]
    store = Store(tmp_path / "review.sqlite")
    run_id = store.import_report(check([a.article for a in articles], RULES_ONLY), "test")
    ids = sorted(item.id for item in store.queue(run_id))
    return store, [review(store, i, a) for i, a in zip(ids, articles)]


def test_the_editor_confirms_fixes_dismisses_and_marks(tmp_path: Path) -> None:
    store, (garbled, clean) = _reviewed(tmp_path)
    assert garbled == Tally(confirmed=1, fixed=1, dismissed=1, marked=1, articles=1)  # " ," is on no phrase: dismissed
    assert clean == Tally(articles=1) and (garbled + clean).decisions == 6
    actions = {(d["text"], d["action"], d["note"]) for d in store.decisions()}
    assert actions == {(" .", "confirm", ""), (".The", "fix", ". The"), (" ,", "dismiss", "not damage")}
    (mark,) = store.marks()
    assert (mark["text"], mark["meant"], mark["category"], mark["field"]) == ("held a long talk", "talked", "literal idiom", "body")
    assert [h["action"] for h in store.article_history("c.txt")] == ["approve"]
    assert [h["action"] for h in store.article_history("g.txt")] == ["reject"]


def test_learn_writes_the_confirmed_pairs_and_names_them(tmp_path: Path) -> None:
    store, _ = _reviewed(tmp_path)
    learned = newsroom_folder(store, tmp_path / "review.sqlite", tmp_path / "newsroom", None)  # too few damage words for a tagger
    pairs = {(p.wrong, p.meant) for p in read_table(Path(learned["newsroom_table"]))}
    assert pairs == {(".the", ". The"), ("held a long talk", "talked")}
    assert newsroom_folder(Store(tmp_path / "empty.sqlite"), tmp_path / "empty.sqlite", tmp_path / "nothing", None) == {}


def test_checkpoints_spread_from_none_to_all() -> None:
    assert checkpoints(59, 4) == [0, 15, 30, 44, 59]
    assert checkpoints(3, 5) == [0, 1, 2, 3]


def _split(root: Path, split: str, garbled: str, clean: str) -> None:
    (root / split / "garbled").mkdir(parents=True)
    (root / split / "clean").mkdir(parents=True)
    (root / split / "garbled" / "g.txt").write_text(garbled, encoding="utf-8")
    (root / split / "clean" / "c.txt").write_text(clean, encoding="utf-8")
    (root / split / "garbled" / "SPANS.tsv").write_text(
        "file\tphrase\tmeant\tcategory\ng.txt\telectricity stoppages\tpower cuts\tspun synonym\n", encoding="utf-8")


def test_the_curve_command_learns_on_train_and_finds_it_on_dev(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from qa.cli import main

    _split(tmp_path, "train", "Storm hits coast\n\nThe storm brought electricity stoppages to the coast.\n",
           "Storm hits coast\n\nThe storm brought power cuts to the coast.\n")
    _split(tmp_path, "dev", "Rain floods valley\n\nHeavy rain brought electricity stoppages to the valley on Monday.\n",
           "Rain floods valley\n\nHeavy rain flooded roads in the valley on Monday.\n")
    out = tmp_path / "curve.json"
    args = ["bench", "newsroom", "--data", str(tmp_path), "--wikinews", "off", "--work", str(tmp_path / "work"), "--steps", "1", "--json", str(out)]
    result = CliRunner().invoke(main, [*args, "--no-embeddings", "--no-learned", "--languagetool", "off"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    first, last = json.loads(out.read_text())["points"]
    assert (first["articles"], first["decisions"], first["learned"]) == (0, 0, {})
    assert (last["articles"], last["decisions"], last["tally"]["marked"]) == (2, 3, 1)  # one mark, two article decisions
    assert (first["metrics"]["found"], last["metrics"]["found"]) == (0, 1)  # the pair learned on train finds dev's phrase
    assert last["metrics"]["suggestions"]["top1"] == 1  # and suggests what was meant
    assert "| 2 | 3 | 0 / 0 / 1 |" in result.output
