"""The MQM benchmark on a tiny hand-made TSV whose every metric is worked out by hand below.

tests/data/bench/tiny.tsv: systems S1–S4, two raters, doc d1 (segments 1, 2) and doc d2 (segment 1).
MQM per rater: Major 5, Minor 1, Minor Fluency/Punctuation 0.1, Non-translation 25; averaged.
Predicted penalty: the real rules' findings, minor 1, major 5.

  segment  system  text                                   rater points      MQM    finding (weight)
  d1/1     S1      Talks resumed on Friday.               0, 0              0      —
  d1/1     S2      Talks resumed on Friday .              0.1, 0            0.05   space-before (1)
  d1/1     S3      Talks resumed the the Friday.          5, 1              3      repeated-word (1)
  d1/1     S4      Talks resumed in a virtual billet.     5, 5              5      meeting-words (5)
  d1/2     S1      Both sides agreed.                     1, 0              0.5    —
  d1/2     S2      Both sides agreed.                     0, 0              0      —
  d1/2     S3      Both sides agreed. (+ a HOTW row)      0, 0              0      —
  d1/2     S4      Both 双方 agreed.                      25, 5             15     untranslated (5)
  d2/1     S1      Prices rose sharply.                   1, 0              0.5    —
  d2/1     S2      Prices rose sharply .                  0.1, 0            0.05   space-before (1)
  d2/1     S3      Prices rose sharply.                   0, 0              0      —
  d2/1     S4      Prices rose sharply.                   1, 0              0.5    —

Segment pairwise accuracy (pairs with different MQM; 1 agree, 0.5 predicted tie, 0 disagree):
  d1/1  MQM (0, .05, 3, 5), pred (0, 1, 1, 5): S1S2 1, S1S3 1, S1S4 1, S2S3 .5, S2S4 1, S3S4 1 = 5.5 / 6
  d1/2  MQM (.5, 0, 0, 15), pred (0, 0, 0, 5): S1S2 .5, S1S3 .5, S1S4 1, S2S3 skip, S2S4 1, S3S4 1 = 4 / 5
  d2/1  MQM (.5, .05, 0, .5), pred (0, 1, 0, 0): S1S2 0, S1S3 .5, S1S4 skip, S2S3 1, S2S4 0, S3S4 .5 = 2 / 5
  → 11.5 / 16 = 0.71875

System Kendall τ: total MQM S1 1.0, S2 0.1, S3 3.0, S4 20.5; words 10, 10, 11, 12 (双方 is one word);
predicted per word S1 0, S2 2/10, S3 1/11, S4 10/12. Pairs: S1S2 discordant, S1S3 concordant,
S1S4 c, S2S3 d, S2S4 c, S3S4 c → τ = (4 − 2) / 6 = 1/3.

Article triage AUC (8 articles, quarters of 2), MQM per word / predicted per word:
  S1/d1 .5/7, 0   S1/d2 .5/3, 0   S2/d1 .05/7, 1/7   S2/d2 .05/3, 1/3
  S3/d1 3/8, 1/8  S3/d2 0, 0      S4/d1 20/9, 10/9   S4/d2 .5/3, 0
  best quarter S3/d2 (0), S2/d1 (.007); worst S3/d1 (.375), S4/d1 (2.2).
  worst vs best: 1/8 > 0 win, 1/8 < 1/7 loss, 10/9 > 0 win, 10/9 > 1/7 win → AUC 3/4.

Span precision: the five findings overlap the raters' spans except S2/d2's (the rater marked “Prices”)
→ 4/5. Segments with a major error: S3 d1/1, S4 d1/1, S4 d1/2, all flagged → 1.0. Clean segments
(all raters No-error): S1 d1/1, S2 d1/2, S3 d1/2, S3 d2/1 = 13 words, no findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.bench.evaluate import attach, evaluate
from qa.bench.mqm import Span, build_articles, build_segments, error_points, untag
from qa.datasets.mqm_ratings import read_tsv
from qa.config import Config
from qa.engine import check
from qa.errors import InputReadError

TINY = Path(__file__).parent / "data" / "bench" / "tiny.tsv"


@pytest.fixture(scope="module")
def metrics() -> dict:
    articles = build_articles(build_segments(read_tsv(TINY)))
    report = check([a.article for a in articles], Config().switched(embeddings=False, languagetool=False))
    return evaluate(attach(articles, report))


def test_segment_scores_follow_the_mqm_weights() -> None:
    segments = {(s.system, s.doc, s.doc_seg_id): s for s in build_segments(read_tsv(TINY))}
    assert segments[("S2", "d1", 1)].mqm == pytest.approx(0.05)
    assert segments[("S3", "d1", 1)].mqm == 3
    assert segments[("S4", "d1", 2)].mqm == 15
    assert segments[("S3", "d1", 2)].clean  # its HOTW-test row is skipped
    assert not segments[("S1", "d1", 2)].clean
    assert error_points("Non-translation!", "Minor") == 25


def test_articles_join_segments_in_order_as_paragraphs() -> None:
    articles = {a.article.id: a for a in build_articles(build_segments(read_tsv(TINY)))}
    s4 = articles["S4/d1"]
    assert s4.article.body == "Talks resumed in a virtual billet.\n\nBoth 双方 agreed."
    assert s4.starts == (0, len("Talks resumed in a virtual billet.") + 2)
    assert s4.segment_of(s4.starts[1] - 1) == 0 and s4.segment_of(s4.starts[1]) == 1


def test_hand_computed_pairwise_accuracy(metrics: dict) -> None:
    assert metrics["pairs"] == 16
    assert metrics["pairwise_accuracy"] == pytest.approx(11.5 / 16)


def test_hand_computed_kendall_tau(metrics: dict) -> None:
    assert metrics["kendall_tau"] == pytest.approx(1 / 3)
    assert metrics["by_system"]["S3"]["penalty_per_word"] == pytest.approx(1 / 11)


def test_hand_computed_triage_auc(metrics: dict) -> None:
    assert metrics["triage_quarter"] == 2
    assert metrics["triage_auc"] == pytest.approx(0.75)


def test_hand_computed_spans_majors_and_clean(metrics: dict) -> None:
    assert metrics["findings"] == 5
    assert metrics["span_precision"] == pytest.approx(0.8)
    assert (metrics["major_segments"], metrics["major_flagged"]) == (3, 1.0)
    assert (metrics["clean_segments"], metrics["clean_words"], metrics["clean_findings"]) == (4, 13, 0)


def test_recall_by_category(metrics: dict) -> None:
    fluency = metrics["by_category"]["Fluency"]
    # Fluency marks: S2 d1/1 “ .” (found), S3 d1/1 “the the” (found), S2 d2/1 “Prices” (missed), S4 d2/1 “rose” (missed)
    assert (fluency["segments"], fluency["segment_recall"], fluency["spans"], fluency["span_recall"]) == (4, 0.75, 4, 0.5)
    assert metrics["by_category"]["Style"]["segment_recall"] == 0
    assert metrics["by_category"]["Non-translation"]["span_recall"] == 1


def test_untag_and_span_overlap() -> None:
    assert untag("a <v>bc</v> d") == ("a bc d", 2, 4)
    assert untag("no span") == ("no span", -1, -1)
    assert Span("r", 3, 3, "Accuracy/Omission", "Major").overlaps(2, 4)  # an empty span is a point
    assert not Span("r", 3, 5, "Fluency/Grammar", "Minor").overlaps(5, 7)


def test_older_column_names_and_a_metadata_column_are_read(tmp_path: Path) -> None:
    old = tmp_path / "old.tsv"
    old.write_text(
        "system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\tmetadata\n"
        "S1\td1\t2\t7\tr1\tX\tIt <v>rained</v>.\tFluency/Grammar\tMinor\t{}\n",
        encoding="utf-8",
    )
    (row,) = read_tsv(old)
    assert (row.doc_seg_id, row.global_seg_id, row.target, row.severity) == (2, "7", "It <v>rained</v>.", "Minor")


def test_a_file_without_the_columns_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("system\tdoc\nS1\td1\n", encoding="utf-8")
    with pytest.raises(InputReadError, match="missing columns"):
        read_tsv(bad)
