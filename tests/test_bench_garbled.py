"""``qa bench garbled``: scoring on hand-made reports, the command on a tiny fake data folder, and the real data when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.bench.garbled import file_findings, score_garbled, suggestion_matches
from qa.cli import main
from qa.datasets.garbled_news import (
    GarbledArticle,
    Occurrence,
    Phrase,
    default_garbled_dir,
    find_occurrences,
    read_garbled_split,
    read_spans,
)
from qa.errors import InputReadError
from qa.ingest.txt import split_txt
from qa.model import ArticleResult, Field, Issue, Report, Severity, ToolInfo, Verdict

RULES_ONLY = ["--no-embeddings", "--no-learned", "--languagetool", "off"]


def _article(key: str, text: str, phrases: tuple[Phrase, ...] = (), garbled: bool = True) -> GarbledArticle:
    return GarbledArticle(split_txt(text, key), text, garbled, tuple(find_occurrences(text, phrases)))


def _issue(field: Field, start: int, end: int, text: str, *suggestions: str, rule: str = "r", severity: Severity = Severity.MINOR) -> Issue:
    return Issue(rule, "fluency", severity, "m", field, start, end, text, suggestions)


def _result(bench: GarbledArticle, issues: tuple[Issue, ...] = (), penalty: float = 0.0, words: int = 10) -> ArticleResult:
    return ArticleResult(bench.article, issues, words, penalty, Verdict.PASS if penalty < 1 else Verdict.REVIEW)


def _report(*results: ArticleResult) -> Report:
    return Report(ToolInfo("qa", "0", "sig"), results)


def _occurrence(text: str, phrase: str, meant: str) -> Occurrence:
    (found,) = find_occurrences(text, [Phrase("f.txt", phrase, meant, "other")])
    return found


# reading


def test_read_spans_keeps_quotes_and_empty_meanings(tmp_path: Path) -> None:
    path = tmp_path / "SPANS.tsv"
    path.write_text('file\tphrase\tmeant\tcategory\na.txt\tsaid "no\t\tother\n', encoding="utf-8")
    assert read_spans(path) == [Phrase("a.txt", 'said "no', "", "other")]


def test_a_phrase_covers_every_occurrence_title_included() -> None:
    text = "Power outage hits\n\nThe power outage spread. Another power outage.\n"
    found = find_occurrences(text, [Phrase("a.txt", "power outage", "", "other")])
    assert [(o.start, o.end) for o in found] == [(23, 35), (52, 64)]  # case-sensitive: "Power" in the title is not it
    assert [text[o.start : o.end] for o in find_occurrences(text, [Phrase("a.txt", "outage", "", "other")])] == ["outage"] * 3


def test_findings_move_into_the_file_by_field() -> None:
    text = "  Head line\n\n  Body text here.\n"
    bench = _article("a", text)
    title, body = _issue("title", 0, 4, "Head"), _issue("body", 5, 9, "text")
    info = _issue("body", 0, 4, "Body", severity=Severity.INFO)
    moved = file_findings(_result(bench, (title, body, info)))
    assert [text[s:e] for s, e, _ in moved] == ["Head", "text"]  # info findings left out


# scoring


TEXT = "Energy outages hit\n\nThe energy outages hit the city. The protection chief said so, the the mayor added.\n"
PHRASES = (
    Phrase("g.txt", "energy outages", "power outages", "spun synonym"),
    Phrase("g.txt", "protection chief", "defence minister", "wrong-sense word"),
    Phrase("g.txt", "the the", "the", "grammar/pronoun"),
)


def test_recall_per_category_precision_and_rules() -> None:
    garbled = _article("g", TEXT, PHRASES)
    body = garbled.article.body
    at = body.index
    issues = (
        _issue("body", at("energy") + 7, at("energy") + 14, "outages", "power", rule="spin"),  # on "energy outages" (partly)
        _issue("body", at("The protection") - 1, at("The protection"), " ", rule="stray"),  # ends where no phrase starts
        _issue("body", at("protection chief") + 16, at("protection chief") + 17, ",", rule="edge"),  # starts where the phrase ends
        _issue("body", at("the the"), at("the the") + 7, "the the", "the", rule="repeat"),
    )
    clean = _article("c", "Rain\n\nRain fell.\n", garbled=False)
    report = _report(_result(garbled, issues, penalty=4.0), _result(clean, (_issue("body", 0, 4, "Rain", rule="spin"),), words=3))
    m = score_garbled([garbled, clean], report)
    assert (m["rows"], m["occurrences"], m["found"], m["rows_found"], m["recall"]) == (3, 3, 2, 2, 2 / 3)
    assert m["by_category"]["spun synonym"] == {"occurrences": 1, "found": 1, "recall": 1.0}
    assert m["by_category"]["wrong-sense word"] == {"occurrences": 1, "found": 0, "recall": 0.0}
    assert m["by_category"]["literal idiom"] == {"occurrences": 0, "found": 0, "recall": None}
    assert (m["findings"], m["on_phrase"], m["precision"]) == (4, 2, 0.5)
    assert (m["clean_words"], m["clean_findings"], m["clean_per_1000"]) == (3, 1, 1000 / 3)
    assert m["rules"]["spin"] == {"garbled": 1, "on_phrase": 1, "clean": 1}
    assert m["rules"]["edge"] == {"garbled": 1, "on_phrase": 0, "clean": 0}
    assert m["suggestions"] == {
        "found_with_meant": 2, "with_suggestion": 2, "top1": 1, "top3": 1, "top1_share": 0.5, "top3_share": 0.5,
    }  # "the the" → "the" matches; "power" for "outages" does not: "outages" is a word of the meaning


def test_auc_counts_ties_as_half_and_verdict_shares() -> None:
    garbled = [_article(f"g{k}", "T\n\nBody.\n", ()) for k in range(2)]
    clean = [_article(f"c{k}", "T\n\nBody.\n", garbled=False) for k in range(2)]
    penalties = {"g0": 2.0, "g1": 0.0, "c0": 0.0, "c1": 1.0}
    report = _report(*(_result(a, penalty=penalties[a.article.id]) for a in [*garbled, *clean]))
    m = score_garbled([*garbled, *clean], report)
    assert m["auc"] == (1 + 1 + 0.5 + 0) / 4  # 2>0, 2>1, 0=0 ties, 0<1
    assert (m["garbled_not_passed"], m["clean_passed"]) == (0.5, 0.5)


def test_top3_counts_a_match_in_second_or_third_place_only() -> None:
    garbled = _article("g", TEXT, PHRASES[:1])
    at = garbled.article.body.index("energy outages")
    issue = _issue("body", at, at + 6, "energy", "electricity", "grid", "power", "mains")
    m = score_garbled([garbled], _report(_result(garbled, (issue,))))["suggestions"]
    assert (m["top1"], m["top3"], m["with_suggestion"]) == (0, 1, 1)


# suggestion matches


def test_replacing_the_finding_gives_the_meaning() -> None:
    text = "He said the the mayor left."
    o = _occurrence(text, "the the", "the")
    assert suggestion_matches(text, o, 8, 15, "the")
    assert not suggestion_matches(text, o, 8, 15, "a")


def test_case_quotes_and_spacing_are_normalised_but_punctuation_counts() -> None:
    text = "and added, That is fine"
    o = _occurrence(text, "and added, That is", "and added, “That is")
    at = text.index("That")
    assert suggestion_matches(text, o, at, at + 4, '"that')  # straight quote, lower case
    assert not suggestion_matches(text, o, at, at + 4, "That")  # changes nothing
    spaced = "ended , then"
    assert suggestion_matches(spaced, _occurrence(spaced, "ended ,", "ended,"), 5, 7, ",")  # the space is the error


def test_a_finding_on_part_of_the_phrase_matches_by_the_words_it_brings() -> None:
    text = "the inflation explosion grew"
    o = _occurrence(text, "the inflation explosion", "an explosive spread of inflationary pressure")
    at = text.index("explosion")
    assert suggestion_matches(text, o, at, at + 9, "spread")
    assert suggestion_matches(text, o, at - 10, at + 9, "explosive spread")
    assert not suggestion_matches(text, o, at, at + 9, "spread surge boom")  # words the meaning lacks
    assert not suggestion_matches(text, o, at, at + 9, "the spread")  # "the" is printed in the phrase, not brought by the editor
    assert not suggestion_matches(text, o, at, at + 9, "explosion spread")  # drops nothing
    assert not suggestion_matches(text, o, at, at + 9, "explosion")  # changes nothing
    assert not suggestion_matches(text, o, at, at + 9, "")  # a deletion that does not give the meaning


def test_a_finding_wider_than_the_phrase_must_leave_the_rest_as_printed() -> None:
    text = "Then energy outages hit."
    o = _occurrence(text, "energy outages", "power outages")
    assert suggestion_matches(text, o, 0, 19, "Then power outages")
    assert not suggestion_matches(text, o, 0, 19, "Now power outages")  # "Then" is no word of the phrase: (b) cannot help
    energy = text.index("energy")
    assert not suggestion_matches(text, o, energy + 7, energy + 14, "power")  # the wrong word: "outages" is meant


# the command


def _fake_data(root: Path) -> None:
    """Two garbled articles and one clean one, with a SPANS row that names no printed phrase."""
    garbled, clean = root / "dev" / "garbled", root / "dev" / "clean"
    garbled.mkdir(parents=True)
    clean.mkdir(parents=True)
    (garbled / "g1.txt").write_text("Talks on the the budget\n\nThe ministry said the talks on the the budget ended , and the energy outages went on.\n", encoding="utf-8")
    (garbled / "g2.txt").write_text("Minister visits port\n\nThe protection chief visited the port on Monday.\n", encoding="utf-8")
    (clean / "c1.txt").write_text("Rain floods roads\n\nRain fell across the region on Monday, and the the roads flooded.\n", encoding="utf-8")
    rows = [
        ("g1.txt", "the the", "the", "grammar/pronoun"),  # title and body: two occurrences
        ("g1.txt", "ended ,", "ended,", "other"),
        ("g1.txt", "energy outages", "power outages", "spun synonym"),
        ("g2.txt", "protection chief", "defence minister", "wrong-sense word"),
        ("g2.txt", "no such words", "", "other"),
    ]
    (garbled / "SPANS.tsv").write_text("file\tphrase\tmeant\tcategory\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    (root / "wiki.jsonl").write_text('{"id": "w1", "title": "Council approves budget", "body": "The city council approved the budget on Tuesday."}\n', encoding="utf-8")


def _bench(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bench", "garbled", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_command_on_a_fake_folder_prints_exact_numbers(tmp_path: Path) -> None:
    _fake_data(tmp_path)
    out = tmp_path / "out.json"
    code, text = _bench("--data", str(tmp_path), "--wikinews", str(tmp_path / "wiki.jsonl"), *RULES_ONLY, "--json", str(out))
    assert code == 0, text
    # g1: "the the" twice and " ," (3 minor findings, 21 words: penalty 14.29); g2 no finding; c1 one "the the" in 15 words
    for line in [
        "| article triage AUC (penalty, garbled vs clean) | 0.500 | 0.500 |",  # 14.29 > 6.67, 0 < 6.67
        "| garbled articles not passed | 0.500 | – |",
        "| clean articles passed | 0.000 | 1.000 ideal |",
        "| findings per 1,000 words, clean articles | 66.667 | 0 ideal |",
        "| findings per 1,000 words, Wikinews | 0.000 | 0 ideal |",
        "| Wikinews articles passed | 1.000 | 1.000 ideal |",
        "| span recall (phrase occurrences overlapped) | 0.600 | – |",  # 3 of 5
        "| span recall (SPANS rows, any occurrence) | 0.500 | – |",  # 2 of the 4 rows printed in their file
        "| span precision (findings on a phrase) | 1.000 | – |",
        "| suggestion matches meant, top-1 | 1.000 | – |",  # "the" twice, "," once
        "| grammar/pronoun | 2 | 2 | 1.000 |",
        "| spun synonym | 1 | 0 | 0.000 |",
        "| literal idiom | 0 | 0 | – |",
        "| structure.repeated-word | 2 | 2 | 1.000 | 1 | 0 |",
        "| punctuation.space-before | 1 | 1 | 1.000 | 0 | 0 |",
    ]:
        assert line in text
    assert "1 SPANS rows not found in their file" in text
    data = json.loads(out.read_text())
    assert data["unfound_rows"] == [{"file": "g2.txt", "phrase": "no such words"}]
    assert (data["metrics"]["occurrences"], data["metrics"]["found"], data["metrics"]["suggestions"]["top3"]) == (5, 3, 3)
    assert data["wikinews"]["articles"] == 1 and data["split"] == "dev"


def test_wikinews_off_and_a_missing_split(tmp_path: Path) -> None:
    _fake_data(tmp_path)
    code, text = _bench("--data", str(tmp_path), "--wikinews", "off", *RULES_ONLY)
    assert code == 0 and "Wikinews" not in text
    code, text = _bench("--data", str(tmp_path), "--split", "train", "--wikinews", "off", *RULES_ONLY)
    assert code == 2 and "no train/garbled/SPANS.tsv" in text


def _real_data() -> Path:
    try:
        return default_garbled_dir()
    except InputReadError:
        pytest.skip("no ../shared/garbled-news here (set QA_GARBLED_DIR)")


def test_real_dev_split_reads_every_annotation() -> None:
    articles, unfound = read_garbled_split(_real_data(), "dev")
    assert unfound == []
    assert sum(a.garbled for a in articles) == 20 and sum(not a.garbled for a in articles) == 9
    assert len({o.phrase for a in articles for o in a.occurrences}) == 283


def test_real_dev_split_rules_only(tmp_path: Path) -> None:
    root = _real_data()
    out = tmp_path / "dev.json"
    code, text = _bench("--data", str(root), "--wikinews", "off", *RULES_ONLY, "--json", str(out))
    assert code == 0, text
    m = json.loads(out.read_text())["metrics"]
    assert (m["garbled_articles"], m["clean_articles"], m["rows"]) == (20, 9, 283)
    assert 0 <= m["recall"] <= 1 and m["auc"] >= 0.5
