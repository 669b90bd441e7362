"""LanguageTool answers → qa issues: categories, severities, suggestions, UTF-16 offsets, noise filters, merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.checking import configured
from qa.errors import ConfigError
from qa.languagetool.checker import RANK, RULES, LanguageToolChecker, compose
from qa.languagetool.client import Client, Endpoint
from qa.languagetool.filters import is_sentence_start, looks_like_name
from qa.languagetool.mapping import Utf16Offsets, classify, parse_matches
from qa.languagetool.settings import read_settings
from qa.merge import merge
from qa.model import Article, Issue, RuleIndex, Severity
from qa.rules.family import RuleChecker
from qa.text import Document

DATA = Path(__file__).parent / "data" / "languagetool"


def fixture(name: str) -> tuple[Article, dict[str, Any]]:
    """The article whose composed text is NAME.txt, and LanguageTool's recorded answer for it."""
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    return Article(id=name, source=f"{name}.txt", title=title, body=body), json.loads((DATA / f"{name}.json").read_text())


def checker(section: dict[str, Any] | None = None) -> LanguageToolChecker:
    """A checker that is never asked to connect: only its mapping is exercised here."""
    settings = read_settings({"mode": "http://127.0.0.1:9", **(section or {})}, "qa.yml", "languagetool")
    return LanguageToolChecker(Client("http://127.0.0.1:9"), settings)


def mapped(name: str, lt: LanguageToolChecker | None = None) -> tuple[Article, list[Issue]]:
    article, response = fixture(name)
    text, body_start = compose(article)
    assert text == (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return article, (lt or checker()).issues(response, article, text, body_start)


# --- UTF-16 offsets ---------------------------------------------------------------------------


def test_offsets_are_identity_without_astral_characters() -> None:
    text = "東京で会議 held in Tokyo — “quoted”"
    offsets = Utf16Offsets(text)
    assert offsets.span(0, 2) == (0, 2)
    assert text[slice(*offsets.span(text.index("Tokyo"), 5))] == "Tokyo"


def test_offsets_convert_emoji_flags_and_cjk() -> None:
    text = "A 😀 b 🇯🇵 東京 teh end"
    u16 = text.encode("utf-16-le")
    offset = u16.find("teh".encode("utf-16-le")) // 2
    assert offset != text.index("teh")  # the two counts really differ here
    start, end = Utf16Offsets(text).span(offset, 3)
    assert text[start:end] == "teh"
    flag = u16.find("🇯🇵".encode("utf-16-le")) // 2
    assert text[slice(*Utf16Offsets(text).span(flag, 4))] == "🇯🇵"


def test_offset_inside_a_surrogate_pair_widens_to_the_whole_character() -> None:
    text = "x😀y"
    assert Utf16Offsets(text).span(2, 1) == (1, 2)  # the low surrogate of 😀
    assert Utf16Offsets(text).span(0, 2) == (0, 2)  # "x" plus the high surrogate


def test_offsets_past_the_end_are_clamped() -> None:
    assert Utf16Offsets("abc").span(2, 10) == (2, 3)


def test_recorded_utf16_answer_lands_on_the_right_words() -> None:
    article, issues = mapped("utf16")
    found = {(i.field, i.text, i.rule) for i in issues}
    assert found == {
        ("title", "in in", "languagetool.MISC.ENGLISH_WORD_REPEAT_RULE"),
        ("body", "teh", "languagetool.TYPOS.MORFOLOGIK_RULE_EN_US"),
        ("body", "The the", "languagetool.MISC.ENGLISH_WORD_REPEAT_RULE"),
        ("body", "grate", "languagetool.CONFUSED_WORDS.GRATE_GREAT"),
    }
    for issue in issues:
        assert article.text(issue.field)[issue.start : issue.end] == issue.text


# --- categories, severities, suggestions ------------------------------------------------------


def test_categories_map_to_mqm_with_a_severity_each() -> None:
    assert classify("TYPOS", "misspelling")[:2] == ("fluency/spelling", Severity.MINOR)
    assert classify("GRAMMAR", "grammar")[:2] == ("fluency/grammar", Severity.MAJOR)
    assert classify("PUNCTUATION", "typographical")[:2] == ("fluency/punctuation", Severity.MINOR)
    assert classify("STYLE", "style")[:2] == ("style/awkward", Severity.INFO)
    assert classify("NEW_CATEGORY", "locale-violation")[:2] == ("locale/convention", Severity.INFO)
    assert classify("NEW_CATEGORY", "")[:2] == ("fluency/other", Severity.MINOR)


def test_news_answer_keeps_real_errors_and_drops_names_and_house_style() -> None:
    article, issues = mapped("news")
    by_text = {i.text: i for i in issues}
    assert sorted(by_text) == [" .", "goverment", "leaders has", "their"]
    grammar = by_text["leaders has"]
    assert (grammar.category, grammar.severity, grammar.suggestions) == ("fluency/grammar", Severity.MAJOR, ("leaders have",))
    spelling = by_text["goverment"]
    assert spelling.category == "fluency/spelling" and spelling.severity == Severity.MINOR
    assert spelling.suggestions == ("government", "governments", "govern ment")
    assert by_text[" ."].category == "fluency/punctuation" and by_text[" ."].suggestions == (".",)
    assert by_text["their"].suggestions == ("there",)
    for issue in issues:
        assert issue.field == "body"
        assert article.body[issue.start : issue.end] == issue.text
        assert issue.message and "languagetool" not in issue.message


def test_suggestions_are_capped() -> None:
    _, issues = mapped("news", checker({"max_suggestions": 1}))
    assert next(i for i in issues if i.text == "goverment").suggestions == ("government",)


def test_malformed_matches_are_skipped_not_fatal() -> None:
    response = {"matches": [{"offset": "x"}, None, {"offset": 0, "length": 3}, {"rule": {}, "offset": -1, "length": 1}]}
    matches = parse_matches(response)
    assert [(m.rule_id, m.offset) for m in matches] == [("UNKNOWN", 0)]
    assert parse_matches({"matches": "nope"}) == [] and parse_matches([]) == []


# --- noise control ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "text", "expected"),
    [
        ("Fumio", "Prime Minister Fumio Kishida said.", True),  # capitalised mid-sentence
        ("Kishida", "Kishida spoke. Later Kishida left.", True),  # occurs elsewhere
        ("Rahm", "Rahm Emanuel spoke.", True),  # opens a run of capitalised words
        ("McConnell", "McConnell spoke.", True),  # capital inside the word
        ("NATO", "NATO met.", True),  # acronym
        ("Teh", "Teh talks ended.", False),  # sentence-initial typo
        ("goverment", "the goverment said.", False),
        ("recieve", "They recieve aid; they recieve more.", True),  # repeated letter for letter: kept out
    ],
)
def test_proper_noun_filter(word: str, text: str, expected: bool) -> None:
    assert looks_like_name(word, text, text.index(word)) is expected


def test_sentence_start_sees_quotes_and_paragraphs() -> None:
    text = "Headline here\n\nBody starts. “Quoted words"
    assert is_sentence_start(text, text.index("Body"))
    assert is_sentence_start(text, text.index("Quoted"))
    assert not is_sentence_start(text, text.index("here"))


def test_proper_noun_filter_can_be_switched_off() -> None:
    _, issues = mapped("news", checker({"proper_nouns": False}))
    assert {"Kishida", "Fumio", "Rahm", "Emanuel"} <= {i.text for i in issues}


def test_default_off_rules_can_be_switched_back_on_and_others_off() -> None:
    _, issues = mapped("news", checker({"enable_rules": ["EN_QUOTES"], "disable_categories": ["GRAMMAR"]}))
    texts = {i.text for i in issues}
    assert '"productive"' in texts and "leaders has" not in texts


def test_headline_without_full_stop_is_not_flagged_by_default() -> None:
    _, issues = mapped("news", checker({"enable_rules": ["PUNCTUATION_PARAGRAPH_END"]}))
    assert any(i.field == "title" and i.text == "pact" for i in issues)
    _, issues = mapped("news")
    assert not any(i.field == "title" for i in issues)


def test_rules_disable_and_severity_prefixes_apply_to_languagetool_findings() -> None:
    config = Config(disable=("languagetool.TYPOS.",), severity={"languagetool.GRAMMAR.": Severity.CRITICAL}).switched(embeddings=False)
    _, raw = mapped("news", checker())
    issues = configured(raw, config, checker().name)  # what the engine does with every checker's findings
    assert {i.checker for i in issues} == {"languagetool"}  # named after the family, built by hand as here
    assert "goverment" in {i.text for i in raw} and "goverment" not in {i.text for i in issues}
    assert next(i for i in issues if i.text == "leaders has").severity == Severity.CRITICAL


def test_settings_requests_carry_the_noise_defaults() -> None:
    params = read_settings({"language": "en-GB"}, "qa.yml", "languagetool").request_params()
    assert params["language"] == "en-GB"
    assert "EN_QUOTES" in params["disabledRules"].split(",")
    assert "PLAIN_ENGLISH" in params["disabledCategories"].split(",")


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"timeout": 0}, "languagetool.timeout"),
        ({"disable_rules": "EN_QUOTES"}, "languagetool.disable_rules"),
        ({"proper_nouns": "yes"}, "languagetool.proper_nouns"),
        ({"colour": "red"}, "languagetool.colour"),
    ],
)
def test_bad_settings_name_the_field(section: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        read_settings(section, "qa.yml", "languagetool")


@pytest.mark.parametrize(
    ("url", "base", "check"),
    [
        ("http://localhost:8081", "http://localhost:8081", "/v2/check"),
        ("http://lt.example:8010/v2/", "http://lt.example:8010", "/v2/check"),
        ("https://lt.example/api/v2/check", "https://lt.example:443/api", "/api/v2/check"),
    ],
)
def test_endpoint_accepts_the_usual_url_forms(url: str, base: str, check: str) -> None:
    endpoint = Endpoint.parse(url)
    assert (endpoint.url, endpoint.path("check")) == (base, check)


def test_endpoint_rejects_non_http() -> None:
    with pytest.raises(ValueError, match="not an http"):
        Endpoint.parse("lt.example:8081")


# --- merge with the rule engine ---------------------------------------------------------------


def test_merge_folds_a_duplicate_into_the_rule_engine_finding(rules_only: Config) -> None:
    article, raw = mapped("news")
    lt_issues = configured(raw, rules_only, "languagetool")
    rule_issues = RuleChecker(rules_only).check([Document.from_article(article)])[0]
    space = [i for i in rule_issues if i.rule.startswith("punctuation.space-before")]
    assert space, "the rule engine should flag 'Friday .' itself"
    merged = merge([(0, "rules", rule_issues), (RANK, "languagetool", lt_issues)], RuleIndex(RULES))
    assert not any(i.rule.endswith("COMMA_PARENTHESIS_WHITESPACE") for i in merged)
    kept_rule = next(i for i in merged if i.rule.startswith("punctuation.space-before"))
    assert kept_rule.evidence is not None
    assert kept_rule.evidence["also"] == ["languagetool.TYPOGRAPHY.COMMA_PARENTHESIS_WHITESPACE"]
    assert {"goverment", "leaders has", "their"} <= {i.text for i in merged if i.checker == "languagetool"}
    assert len(merged) == len(rule_issues) + len(lt_issues) - 1


def test_merge_keeps_overlapping_findings_of_a_different_kind() -> None:
    rule = Issue("lexicon.x", "accuracy/mistranslation", Severity.MAJOR, "m", "body", 0, 20, "a" * 20)
    lt = Issue("languagetool.TYPOS.X", "fluency/spelling", Severity.MINOR, "m", "body", 5, 9, "aaaa", checker="languagetool")
    same_span = Issue("languagetool.GRAMMAR.Y", "fluency/grammar", Severity.MAJOR, "m", "body", 0, 20, "a" * 20, ("b",))
    merged = merge([(RANK, "languagetool", [lt, same_span]), (0, "rules", [rule])], RuleIndex(RULES))
    assert lt in merged and same_span not in merged
    assert merged[0].suggestions == ("b",)
