"""The text model: paragraphs, sentences and tokens of news copy, with exact offsets."""

from __future__ import annotations

from qa.model import Article
from qa.text import Document, count_words, paragraphs


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
