"""The text model: paragraphs, sentences and tokens of news copy, with exact offsets."""

from __future__ import annotations

import time

import pytest

from qa.model import Article
from qa.text import Document, count_words, paragraphs, sentence_spans


def _sentences(body: str) -> list[str]:
    doc = Document.from_article(Article("a", "a", "", body))
    for s in doc.sentences:
        assert body[s.start : s.end] == s.text
    return [s.text for s in doc.sentences]


def test_abbreviations_do_not_end_sentences() -> None:
    body = "Mr. Smith of the U.S. Treasury spoke on Jan. 5 in Washington. He left at 3 p.m. on Friday."
    assert _sentences(body) == [
        "Mr. Smith of the U.S. Treasury spoke on Jan. 5 in Washington.",
        "He left at 3 p.m. on Friday.",
    ]


def test_quotations_and_dashes_stay_whole() -> None:
    body = "“We will not back down,” the minister said. Talks – which began Monday – continue."
    assert _sentences(body) == ["“We will not back down,” the minister said.", "Talks – which began Monday – continue."]


def test_broken_sentences_are_split_where_mt_broke_them() -> None:
    body = "China claims the island – one day if necessary. will be withdrawn by force."
    assert _sentences(body)[-1] == "will be withdrawn by force."


def test_dateline_paragraph_and_crlf() -> None:
    body = "TOKYO, Jan 21 (Reuters) - Prices rose.\r\n\r\nThey fell later."
    paras = paragraphs(body, "body")
    assert [p.text for p in paras] == ["TOKYO, Jan 21 (Reuters) - Prices rose.", "They fell later."]
    doc = Document.from_article(Article("a", "a", "", body))
    assert [s.paragraph for s in doc.sentences] == [0, 1]


def test_tokens_carry_field_offsets() -> None:
    body = "First one.\n\nKim Jong-un’s talks, U.S.-led."
    doc = Document.from_article(Article("a", "a", "Head", body))
    last = doc.field_sentences("body")[-1]
    assert [t.text for t in last.tokens] == ["Kim", "Jong-un’s", "talks", ",", "U.S.-led", "."]
    assert all(body[t.start : t.end] == t.text for t in last.tokens)


def test_word_count() -> None:
    assert count_words("The U.S.-Japan alliance – a cornerstone, it’s said.") == 7


def test_sentence_offsets_come_straight_from_the_pass() -> None:
    text = "  He said: “Go. Now.” Then left…  and came back! Mr. Li at 3 p.m. He slept.\nNext line 中文。好。"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "He said: “Go. Now.”",
        "Then left…  and came back!",
        "Mr. Li at 3 p.m.",
        "He slept.",
        "Next line 中文。",
        "好。",
    ]
    assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)


def test_punctuation_alone_is_not_a_sentence() -> None:
    assert _sentences("Prices rose. ! ! . He left. … “ ” ? Then he came back.") == [
        "Prices rose.",
        "! ! . He left.",
        "… “ ” ? Then he came back.",
    ]
    assert _sentences(". . .") == [". . ."]  # a paragraph of punctuation stays one piece
    assert _sentences("  One line, no stop  ") == ["One line, no stop"]
    assert _sentences("(Deutsche Welle) Days after the vote the party split.") == [
        "(Deutsche Welle)",
        "Days after the vote the party split.",
    ]


FLOODS = [". ", "a\n", "said. ", "the very hot talks ", "中文。", "Mr. ", "! ", "“a ", "?", ".", "“."]


@pytest.mark.parametrize("unit", FLOODS)
def test_flood_paragraphs_split_in_linear_time(unit: str) -> None:
    body = unit * (200_000 // len(unit))  # pysbd took minutes on 100 KB of ". "
    started = time.process_time()
    doc = Document.from_article(Article("a", "a", "", body))
    assert time.process_time() - started < 5
    assert all(body[s.start : s.end] == s.text for s in doc.sentences)
