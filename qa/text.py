"""The text model: an article's fields split into paragraphs, sentences and tokens, with offsets."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qa.model import FIELDS, Article, Field

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\r]*\n\s*")
# words keep inner apostrophes, hyphens and dots ("it’s", "Jong-un", "U.S.-led", "3.5")
_WORD = re.compile(r"\w+(?:[’'.\-]{1,2}\w+)*", re.UNICODE)
_TOKEN = re.compile(_WORD.pattern + r"|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark with its offsets into the field."""

    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        """True for words and numbers, False for punctuation."""
        return self.text[0].isalnum() or self.text[0] == "_"


def tokenize(text: str, offset: int = 0) -> tuple[Token, ...]:
    """Words and punctuation marks of a text, with offsets shifted by ``offset``."""
    return tuple(Token(offset + m.start(), offset + m.end(), m.group()) for m in _TOKEN.finditer(text))


@dataclass(frozen=True)
class Sentence:
    """A sentence of one field; ``paragraph`` counts paragraphs from 0 within that field."""

    field: Field
    start: int
    end: int
    text: str
    paragraph: int

    @functools.cached_property
    def tokens(self) -> tuple[Token, ...]:
        """The sentence's tokens, offsets into the field."""
        return tokenize(self.text, self.start)

    @functools.cached_property
    def prose(self) -> bool:
        """False for page furniture (bylines, datelines, credits, links; see qa.furniture)."""
        from qa.furniture import is_furniture

        return not is_furniture(self.text)


@dataclass(frozen=True)
class Paragraph:
    """A block of text separated from the next by a blank line."""

    field: Field
    start: int
    end: int
    text: str


def paragraphs(text: str, field: Field) -> list[Paragraph]:
    """Split a field into paragraphs at blank lines, keeping offsets."""
    result: list[Paragraph] = []
    cursor = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        chunk = text[cursor:end]
        stripped = chunk.strip()
        if stripped:
            start = cursor + (len(chunk) - len(chunk.lstrip()))
            result.append(Paragraph(field, start, start + len(stripped), stripped))
        if brk:
            cursor = brk.end()
    return result


@functools.lru_cache(maxsize=1)
def _segmenter() -> object:
    import pysbd  # local import: pysbd compiles many regexes on import

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(paragraph: Paragraph, index: int) -> list[Sentence]:
    """Split one paragraph into sentences (pysbd, news-aware abbreviations) with exact offsets."""
    pieces: list[str] = _segmenter().segment(paragraph.text)  # type: ignore[attr-defined]
    sentences: list[Sentence] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        found = paragraph.text.find(stripped, cursor)
        if found < 0:  # pysbd altered the text; fall back to one sentence for the rest
            stripped, found = paragraph.text[cursor:].strip(), cursor
            found = paragraph.text.find(stripped, cursor) if stripped else cursor
            if not stripped:
                break
        start = paragraph.start + found
        sentences.append(Sentence(paragraph.field, start, start + len(stripped), stripped, index))
        cursor = found + len(stripped)
    return sentences


def count_words(text: str) -> int:
    """Number of words (runs of letters or digits, with inner hyphens, apostrophes and dots)."""
    return sum(1 for _ in _WORD.finditer(text))


@dataclass(frozen=True)
class Document:
    """An article with its segmentation, computed once and shared by every check."""

    article: Article
    sentences: tuple[Sentence, ...]
    paragraphs: tuple[Paragraph, ...]

    @classmethod
    def from_article(cls, article: Article) -> Document:
        """Segment both fields of an article."""
        paras: list[Paragraph] = []
        sents: list[Sentence] = []
        for name in FIELDS:
            for index, para in enumerate(paragraphs(article.text(name), name)):
                paras.append(para)
                sents.extend(split_sentences(para, index))
        return cls(article, tuple(sents), tuple(paras))

    def field_sentences(self, name: Field) -> list[Sentence]:
        """The sentences of one field."""
        return [s for s in self.sentences if s.field == name]

    def field_paragraphs(self, name: Field) -> list[Paragraph]:
        """The paragraphs of one field."""
        return [p for p in self.paragraphs if p.field == name]

    @property
    def words(self) -> int:
        """Words in headline and body together."""
        return count_words(self.article.title) + count_words(self.article.body)
