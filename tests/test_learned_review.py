"""Editors' decisions in a real review database (built through the Store API) as the tagger's labelled words."""

from __future__ import annotations

from pathlib import Path

from qa.datasets.example import Example
from qa.learned.review import CLEAN_SOURCE, DECIDED_SOURCE, UNDECIDED, damage_words, review_examples, split_by_article
from qa.review.marks import MissedMark
from qa.review.store import Store
from tests.review_support import APPROVED, DAMAGED, make_report, reviewed_newsroom, write_articles


def _labelled(example: Example) -> dict[str, list[int]]:
    """Each word of the sentence with the labels it got (a word may occur twice)."""
    found: dict[str, list[int]] = {}
    for (start, end), label in zip(example.words, example.labels):
        found.setdefault(example.text[start:end], []).append(label)
    return found


def test_marks_and_confirmed_findings_are_damage_dismissals_and_approved_articles_clean(tmp_path: Path) -> None:
    store = reviewed_newsroom(tmp_path / "review.sqlite", tmp_path / "feed.jsonl")
    found, counts = review_examples(store)
    assert (counts.articles, counts.clean_articles, counts.confirmed, counts.dismissed, counts.marks, counts.left_out) == (11, 3, 1, 1, 14, 0)
    summit = [e for e in found if e.document == "d-summit"]
    assert [e.text for e in summit] == ["Before the virtual billet, officials spoke.",
                                        "The leaders resolved to back down against the efforts of their rivals, officials said on Friday."]
    fixed, dismissed = (_labelled(e) for e in summit)
    assert fixed["virtual"] == fixed["billet"] == [1] and fixed["officials"] == [UNDECIDED]  # the article was not passed
    assert dismissed["back"] == dismissed["down"] == dismissed["against"] == [0] and dismissed["rivals"] == [UNDECIDED]
    approved = [e for e in found if e.document in {str(a["id"]) for a in APPROVED}]
    assert len(approved) == 10 and all(e.source == CLEAN_SOURCE and set(e.labels) == {0} for e in approved)
    storm = [e for e in found if e.document == "d-storm"]
    assert all(e.source == DECIDED_SOURCE for e in storm) and len(storm) == 2  # the third sentence has no decided word
    assert _labelled(storm[0])["trees"] == [1] and _labelled(storm[0])["coast"] == [UNDECIDED]
    assert damage_words(found) == sum(len(phrase.split()) for *_, marks in DAMAGED for phrase, _ in marks) + 2


def test_an_article_with_every_finding_dismissed_is_clean_unless_rejected(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    article = {"id": "spaced", "title": "Ministers meet", "body": "The ministers met in Tokyo on Friday . They talked for an hour."}
    run = store.import_report(make_report([write_articles(tmp_path / "feed.jsonl", [article])]), "feed.jsonl")
    (item,) = store.queue(run)
    (finding,) = store.findings(item.id)
    store.decide_finding(finding["id"], "dismiss", "house style", "desk")
    found, counts = review_examples(store)
    assert counts.clean_articles == 1 and {e.source for e in found} == {CLEAN_SOURCE} and all(set(e.labels) == {0} for e in found)
    store.decide_article(item.id, "reject", "", "desk")  # rejected: only the dismissed words stay clean
    found, counts = review_examples(store)
    assert counts.clean_articles == 0 and [e.source for e in found] == [DECIDED_SOURCE]
    assert sorted(set(found[0].labels)) == [UNDECIDED, 0]


def test_a_decision_whose_text_moved_in_a_later_run_is_left_out(tmp_path: Path) -> None:
    store = Store(tmp_path / "review.sqlite")
    key, title, body, marks = DAMAGED[0]
    phrase = marks[0][0]
    run = store.import_report(make_report([write_articles(tmp_path / "feed.jsonl", [{"id": key, "title": title, "body": body}])]), "feed.jsonl")
    (item,) = store.queue(run)
    start = body.index(phrase)
    store.mark_missed(item.id, MissedMark("body", start, start + len(phrase), phrase), "desk")
    assert review_examples(store)[1].marks == 1
    edited = {"id": key, "title": title, "body": "Update: " + body}  # the wire sent the story again, offsets moved
    store.import_report(make_report([write_articles(tmp_path / "again.jsonl", [edited])]), "again.jsonl")
    found, counts = review_examples(store)
    assert found == [] and counts.marks == 0 and counts.left_out == 1


def test_the_split_holds_out_whole_articles_with_a_seed(tmp_path: Path) -> None:
    found, _ = review_examples(reviewed_newsroom(tmp_path / "review.sqlite", tmp_path / "feed.jsonl"))
    trained, held = split_by_article(found, 0.2, 13)
    assert len(trained) + len(held) == len(found)
    assert {e.document for e in trained}.isdisjoint({e.document for e in held}) and len({e.document for e in held}) == 2
    assert split_by_article(found, 0.2, 13) == (trained, held)
    assert split_by_article(found, 0.2, 14) != (trained, held)
    assert split_by_article(found, 0.0, 13) == (found, [])
    assert len({e.document for e in split_by_article(found[:4], 0.01, 13)[1]}) == 1  # at least one of two or more
