"""The shipped tagger through the engine: real weights, real base model, real findings."""

from __future__ import annotations

import pytest

from qa.config import Config
from qa.engine import check
from qa.learned.checker import RULE, RULES, LearnedChecker
from qa.learned.settings import Settings
from qa.learned.tagger import WEIGHTS, Tagger
from qa.merge import merge
from qa.model import Article, Issue, RuleIndex, Severity
from qa.registry import build_checkers
from qa.text import tokenize

RULES_AND_TAGGER = Config().switched(embeddings=False, learned=True, languagetool=False)


def test_the_tagger_follows_the_embeddings_unless_set() -> None:
    names = lambda config: [c.name for c in build_checkers(config)]  # noqa: E731
    assert "learned" not in names(Config().switched(embeddings=False, languagetool=False))
    assert "learned" in names(Config().switched(embeddings=False, learned=True, languagetool=False))
    assert "learned" not in names(Config().switched(languagetool=False, learned=False))


def test_a_run_hands_the_tagger_the_embeddings_model_whatever_the_build_order() -> None:
    from qa import registry
    from qa.embeddings.checker import EmbeddingChecker
    from qa.embeddings.model import BaseModel
    from qa.shared import Shared

    config = Config().switched(languagetool=False)
    setup = registry.configure(config)
    learned, embeddings = (next(f for f in setup.families if f.name == name) for name in ("learned", "embeddings"))
    shared = Shared()
    tagger, encoder = learned.build(config, shared), embeddings.build(config, shared)  # the tagger built first
    assert isinstance(tagger, LearnedChecker) and isinstance(encoder, EmbeddingChecker)
    assert tagger.tagger.base is encoder.model.base is shared.get(BaseModel)
    assert set(tagger.tagger.config.layers) <= set(encoder.model.base.kept.layers)  # asked for before any chunk is read
    run = setup.checkers()
    assert [c.name for c in run] == ["rules", "embeddings", "learned"]  # rank order: the embeddings read a chunk first
    first, second = run[1], run[2]
    assert isinstance(first, EmbeddingChecker) and isinstance(second, LearnedChecker)
    assert second.tagger.base is first.model.base and first.model.base is not encoder.model.base  # one per run


def test_shipped_weights_carry_their_card() -> None:
    tagger = Tagger()
    assert tagger.folder == WEIGHTS
    card = tagger.card
    assert card.seed == 13 and card.examples > 50_000 and card.command.startswith("qa train tagger")
    assert 0.5 <= card.thresholds["flag"] <= card.thresholds["major"] < 1
    assert {"et-en", "ne-en", "ro-en", "ru-en", "si-en", "wmt22-news", "post-edits"} <= set(card.dev)
    assert (WEIGHTS / "head.pt").stat().st_size < 5_000_000


# Written for these tests (not in the training data): MT-style damage (word-for-word renderings, calques, broken
# grammar) and the same sentence as an editor would fix it.
PAIRS = [
    (
        "The singer released her third album in spring, and it quickly climbed to the roof of the diagrams.",
        "The singer released her third album in spring, and it quickly climbed to the top of the charts.",
    ),
    (
        "The minister said the government will strengthen the construction of the team of the cadres.",
        "The minister said the government will train more officials.",
    ),
    (
        "Police said the thief was caught by the net of heaven at the railway station.",
        "Police said the thief was caught at the railway station.",
    ),
    (
        "Prices of vegetables went up the stairs sharply in the capital this week.",
        "Vegetable prices rose sharply in the capital this week.",
    ),
    (
        "He expressed that the company will carry out the deepening of the cooperation with the partners.",
        "He said the company will deepen its cooperation with partners.",
    ),
    (
        "The flood made the villagers to lose their houses and the fields of them.",
        "The flood cost the villagers their houses and their fields.",
    ),
]


@pytest.mark.slow
def test_each_damaged_sentence_scores_above_its_clean_edit() -> None:
    """An ordering, not a threshold: the strongest word of every damaged sentence is likelier damage than any word of
    its repaired twin (a tagger that scores at random, or flat, fails on some of the six pairs)."""
    tagger = Tagger()
    items = [(text, tuple((t.start, t.end) for t in tokenize(text))) for pair in PAIRS for text in pair]
    scores = [max(words) for words in tagger.probabilities(items)]
    damaged, clean = scores[0::2], scores[1::2]
    assert all(d > c for d, c in zip(damaged, clean)), list(zip(damaged, clean))


@pytest.mark.slow
def test_clean_edits_pass_the_shipped_thresholds() -> None:
    """With the card's thresholds (nothing lowered), clean news sentences get no finding from the tagger."""
    articles = [Article(f"c{k}", "t", "News", clean) for k, (_, clean) in enumerate(PAIRS)]
    report = check(articles, RULES_AND_TAGGER, [LearnedChecker(Settings())])
    assert not [(r.article.id, i.text) for r in report.articles for i in r.issues if i.rule == RULE]


@pytest.mark.slow
def test_bylines_datelines_and_credits_are_never_read() -> None:
    furniture = (
        "By Jane Smith, Reuters\n\nPublished 12:04 GMT, 3 March 2023 | Updated 14:10 GMT\n\n"
        "(AP Photo/Evan Vucci)\n\nTrending on Example News\n\nRead more: the minister's statement"
    )
    checker = LearnedChecker(Settings(flag=0.01))  # every word of prose would be flagged at this threshold
    report = check([Article("f", "t", "", furniture)], RULES_AND_TAGGER, [checker])
    assert not [i for i in report.articles[0].issues if i.rule == RULE]
    assert checker.tagger.sentences == 0


@pytest.mark.slow
def test_config_switches_apply_to_the_tagger() -> None:
    article = Article("a", "t", "", "The minister held the meeting of the sides in the sphere of the trade and of the economy cooperation.")
    checker = LearnedChecker(Settings(flag=0.01))
    regraded = check([article], Config(severity={"learned.": Severity.INFO}).switched(embeddings=False, languagetool=False), [checker])
    assert regraded.articles[0].issues and all(i.severity == Severity.INFO for i in regraded.articles[0].issues)
    disabled = check([article], Config(disable=("learned.",)).switched(embeddings=False, languagetool=False), [checker])
    assert not disabled.articles[0].issues


def test_a_span_an_earlier_check_already_reported_is_folded_into_it() -> None:
    rule = Issue("lexicon.meeting-words", "accuracy/mistranslation", Severity.MAJOR, "m", "body", 10, 24, "virtual billet")
    note = Issue("provenance.x", "other", Severity.INFO, "n", "body", 30, 40, "0123456789")
    own = [
        Issue(RULE, "fluency/mt-damage", Severity.MINOR, "t", "body", 18, 24, "billet", checker="learned", evidence={"probabilities": [0.9]}),
        Issue(RULE, "fluency/mt-damage", Severity.MINOR, "t", "body", 32, 36, "2345", checker="learned"),
    ]
    merged = merge([(LearnedChecker.rank, "learned", own), (0, "rules", [rule, note])], RuleIndex(RULES))
    assert merged[0].rule == "lexicon.meeting-words" and merged[0].evidence is not None
    assert merged[0].evidence["also"] == [RULE] and merged[0].evidence["learned"]["text"] == "billet"
    assert merged[1] == note and merged[2] == own[1]  # an info note does not absorb a finding
