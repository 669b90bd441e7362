"""Embedding checks with the real bundled model: meant phrases, reference mode, the seed, laziness."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.embeddings.checker import ALTERNATIVES
from qa.engine import check
from qa.errors import ConfigError
from qa.ingest import read_inputs
from qa.model import Article, Issue, Severity

ROOT = Path(__file__).resolve().parent.parent


def _embedding_issues(*articles: Article, **section: Any) -> list[list[Issue]]:
    config = Config(sections={"embeddings": section}).switched(languagetool=False)
    report = check(list(articles), config)
    return [[i for i in r.issues if i.checker == "embeddings"] for r in report.articles]


def test_settings_name_the_bad_field() -> None:
    from qa.embeddings.settings import Settings

    with pytest.raises(ConfigError, match="embeddings.meant_threshold"):
        Settings.from_section({"meant_threshold": "high"}, "qa.yml", "embeddings")
    with pytest.raises(ConfigError, match="embeddings.colour"):
        Settings.from_section({"colour": 1}, "qa.yml", "embeddings")


def test_lexicon_cores_are_derived_from_context_words() -> None:
    from qa.embeddings.meant import core_swap

    assert core_swap("virtual billet", "virtual summit") == ("billet", "summit")
    assert core_swap("back down against", "push back against") == ("back down", "push back")
    assert core_swap("warm and hot", "warm") is None


def test_family_data_lives_in_the_family_folder() -> None:
    from qa.resources import rules_dir

    assert ALTERNATIVES.is_file() and ALTERNATIVES.parent.name == "embeddings"
    assert not (rules_dir() / "data").exists()  # rules/ holds rule packs only


def test_no_embeddings_never_imports_torch(seed_path: Path) -> None:
    code = (
        "import sys\n"
        "from qa.cli import run\n"
        f"sys.argv = ['qa', 'check', '--no-embeddings', '--languagetool', 'off', {str(seed_path)!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'qa.embeddings.checker', 'qa.embeddings.model') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_meant_phrase_flags_a_billet_in_a_summit_story() -> None:
    story = Article(
        "summit", "t", "Leaders meet at virtual summit",
        "The prime ministers held a virtual summit on Tuesday.\n\n"
        "Before the billet, officials said the talks would focus on trade.\n\n"
        "The two leaders agreed to meet in person later this year.",
    )
    (found,) = _embedding_issues(story)
    meant = [i for i in found if i.rule == "embeddings.meant-phrase"]
    assert [(i.text, i.suggestions) for i in meant] == [("billet", ("summit",))]
    assert meant[0].evidence and meant[0].evidence["rewrite_fit"] > meant[0].evidence["original_fit"]
    assert 0.5 <= meant[0].confidence <= 0.95


@pytest.mark.slow
def test_meant_phrase_leaves_a_billet_used_correctly() -> None:
    story = Article(
        "troops", "t", "Army moves troops to border town",
        "Hundreds of soldiers arrived in the town on Monday.\n\n"
        "Each soldier was given a billet in a local home while the barracks are repaired.\n\n"
        "Residents said they welcomed the troops.",
    )
    (found,) = _embedding_issues(story)
    assert [i for i in found if i.rule == "embeddings.meant-phrase"] == []


REFERENCE = (
    "Floods kill 12 in northern province\n\n"
    "Heavy rain caused floods that killed 12 people in the northern province on Sunday, officials said.\n\n"
    "More than 3,000 residents were evacuated from villages along the river.\n\n"
    "The prime minister promised emergency aid and visited the worst-hit town on Monday.\n\n"
    "Forecasters expect more rain later this week."
)
TRANSLATION = (
    "Heavy rain caused floods that killed 21 people in the northern province on Sunday, officials said.\n\n"
    "More than 3,000 residents were evacuated from villages along the river.\n\n"
    "Forecasters expect more rain later this week."
)


@pytest.mark.slow
def test_reference_mode_reports_omission_and_number() -> None:
    story = Article("floods", "t", "Floods kill 12 in northern province", TRANSLATION, metadata={"reference": REFERENCE})
    (found,) = _embedding_issues(story)
    numbers = [i for i in found if i.rule == "embeddings.reference-number"]
    assert {(i.field, i.text, i.suggestions) for i in numbers} == {("body", "21", ("12",))}
    omitted = [i for i in found if i.rule == "embeddings.reference-omitted"]
    assert len(omitted) == 1 and "prime minister promised emergency aid" in omitted[0].message
    assert not any(i.rule == "embeddings.reference-added" for i in found)


@pytest.mark.slow
def test_reference_file_from_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "ref.txt").write_text(REFERENCE, encoding="utf-8")
    (tmp_path / "story.txt").write_text("Floods kill 12 in northern province\n\n" + TRANSLATION, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from qa.cli import run; sys.argv[0] = 'qa'; run()",
         "check", "--languagetool", "off", "--format", "json",
         "--reference", str(tmp_path / "ref.txt"), str(tmp_path / "story.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert "embeddings.reference-omitted" in out.stdout and "embeddings.reference-number" in out.stdout, out.stderr


@pytest.mark.slow
def test_seed_rules_plus_embeddings(seed_path: Path, seed_gold: list[dict[str, Any]]) -> None:
    report = check(read_inputs([str(seed_path)]), Config().switched(languagetool=False))
    result = report.articles[0]
    offsets = result.article.field_offsets
    hit: set[int] = set()
    strays = 0
    for issue in result.issues:
        start, end = offsets[issue.field] + issue.start, offsets[issue.field] + issue.end
        matched = {
            k for k, g in enumerate(seed_gold)
            if start < g["end"] and g["start"] < end and end - start <= 3 * (g["end"] - g["start"]) + 20
        }
        hit |= matched
        strays += not matched
    assert len(hit) >= 13 and strays <= 2
    meant = {i.text: i.suggestions for i in result.issues if i.rule == "embeddings.meant-phrase"}
    assert meant.get("undermined") in {("underpinned",), ("bolstered",)}
    assert "embeddings:" in report.tool.signature and "all-MiniLM-L6-v2" in report.tool.signature


@pytest.mark.slow
def test_no_sentence_is_encoded_twice() -> None:
    from qa.embeddings.model import SentenceEncoder

    encoder = SentenceEncoder()
    first = encoder.encode(["The talks ended.", "The talks ended.", "Rain is expected."])
    again = encoder.encode(["Rain is expected."])
    assert encoder.encoded == 2
    assert first.shape[0] == 3 and abs(float(first[0] @ first[1]) - 1.0) < 1e-5
    assert abs(float(again[0] @ first[2]) - 1.0) < 1e-6


STORM = (
    "A powerful storm closed schools across the region on Tuesday.\n\n"
    "Forecasters said winds could reach 120 km/h near the coast.\n\n"
    "{middle}\n\n"
    "School officials said classes would resume on Thursday if the roads are clear.\n\n"
    "Power was cut to thousands of homes along the coast."
)


@pytest.mark.slow
def test_coherence_flags_only_the_sentence_from_another_story() -> None:
    garbled = Article("a", "t", "Storm closes schools", STORM.format(
        middle="The price of wheat futures rose in Chicago as traders bet on a weak harvest in Argentina."))
    clean = Article("b", "t", "Storm closes schools", STORM.format(
        middle="Emergency crews cleared fallen trees from the main roads overnight."))
    found_garbled, found_clean = _embedding_issues(garbled, clean)
    incoherent = [i for i in found_garbled if i.rule == "embeddings.incoherent-sentence"]
    assert [i.text[:25] for i in incoherent] == ["The price of wheat future"]
    assert incoherent[0].severity is Severity.INFO  # a hint: no meant-phrase finding agrees
    assert [i for i in found_clean if i.rule == "embeddings.incoherent-sentence"] == []


@pytest.mark.slow
def test_near_duplicate_and_unsupported_headline() -> None:
    repeated = Article("a", "t", "Storm closes schools", STORM.format(
        middle="Forecasters said winds could reach 120 km/h near the coast, officials said."))
    elsewhere = Article("b", "t", "Central bank raises interest rates", STORM.format(
        middle="Emergency crews cleared fallen trees from the main roads overnight."))
    found_repeated, found_elsewhere = _embedding_issues(repeated, elsewhere)
    duplicates = [i for i in found_repeated if i.rule == "embeddings.near-duplicate"]
    assert [i.text[:20] for i in duplicates] == ["Forecasters said win"] and duplicates[0].start > 100
    assert not any(i.rule == "embeddings.unsupported-headline" for i in found_repeated)
    assert [i.rule for i in found_elsewhere] == ["embeddings.unsupported-headline"]
