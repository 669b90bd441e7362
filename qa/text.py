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


# ---------------------------------------------------------------- sentences
#
# A single left-to-right pass, linear in the paragraph: a candidate boundary is a run of sentence
# punctuation (plus closing quotes and brackets) before whitespace, a CJK full stop, or a line break;
# the words around it decide. It follows pysbd's English rules for news copy (the seed and benchmark
# results are unchanged), but pysbd's offset search grows quadratically on one long paragraph.

# prepositive titles never end a sentence: "Mr. Smith", "Gen. Milley"
_TITLES = frozenset(
    ["mr", "mrs", "ms", "mx", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cpt", "sgt", "st", "rev", "hon", "pres", "adm", "maj", "cmdr", "supt", "insp", "gov", "sr", "jr", "messrs", "mme", "mlle", "fr", "sec", "amb", "brig", "cpl", "pvt"]
)
# other abbreviations end a sentence only when a capital follows: "Jan. 5", "Apple Inc. The company"
_ABBREVIATIONS = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "corp", "co", "ltd", "llc", "plc", "bros", "no", "nos", "vs", "etc", "approx", "est", "dept", "univ", "ave", "blvd", "rd", "mt", "ft", "fig", "vol", "pp", "para", "art", "sec", "ch", "cf", "al", "e.g", "i.e", "ca", "min", "max", "govt", "assn", "intl", "natl"]
)
# after an abbreviation these words start a new sentence: "in Washington D.C. The team" (pysbd's list)
_STARTERS = frozenset(
    ["A", "Being", "Did", "For", "He", "How", "However", "I", "In", "It", "Millions", "More", "She", "That", "The", "There", "They", "We", "What", "When", "Where", "Who", "Why"]
)
_NUMBERED = frozenset({"no", "nos", "art", "para", "fig", "vol", "pp", "ch", "sec"})  # "No. 5"
_CLOSERS = "\"'”’)]»」』"
# Each run of punctuation is tried once, from its start and without backtracking (the lookbehind and the
# possessive quantifiers): "?" × 40,000 with no space after would otherwise be rescanned from every position.
_LATIN_END = "(?<![.!?…])[.!?…]++[" + re.escape(_CLOSERS) + "]*+(?=\\s)"
_CJK_END = "[。！？．]++[" + re.escape(_CLOSERS) + "]*+"
_CANDIDATE = re.compile(f"(?P<latin>{_LATIN_END})|(?P<cjk>{_CJK_END})|(?P<line>\\n)|(?P<quote>(?<![.!?])[.!?]++(?=“))")
_NEXT_WORD = re.compile(r"\s*(\w+)")
_WORD_BEFORE = re.compile(r"[\w.’'\-]{1,30}$")
_MULTI_PERIOD = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # "U.S", "p.m" (the final period is the candidate)
_BRACKETS = re.compile(r"[“”\"()\[\]]")
_OPENER_OF = {"”": "“", ")": "(", "]": "[", '"': '"'}  # closer → opener (a straight quote is both)
_OPENERS = frozenset(_OPENER_OF.values())
_SPACE = " \t\r\n\f\v\u00a0\u2028\u2029\u3000"
_WORD_CHAR = re.compile(r"\w")


def _enclosed(text: str) -> list[tuple[int, int]]:
    """Spans (opener, closer index) of quotations and brackets that open and close in ``text``, in order.

    Sentence punctuation inside them is not a boundary (pysbd's rule: “We will go. We will stay,” he said).
    """
    spans: list[tuple[int, int]] = []
    opened: dict[str, int] = {}  # the latest unclosed position of each opener
    for m in _BRACKETS.finditer(text):
        ch, i = m.group(), m.start()
        opener = _OPENER_OF.get(ch)
        if opener is not None and opener in opened:  # closes the latest opener of its kind
            spans.append((opened.pop(opener), i))
        elif ch in _OPENERS:
            opened[ch] = i
    spans.sort()
    return spans


def _next_char(text: str, end: int) -> str:
    """The first character after ``end`` that is not whitespace ("" at the end); whitespace runs are short in practice
    and each is skipped once per candidate, so the pass stays linear."""
    i = end
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return text[i] if i < len(text) else ""


def _ends_sentence(text: str, punct: str, closers: str, start: int, end: int) -> bool:
    """Whether a run of latin sentence punctuation at ``start`` (``closers`` after it) ends a sentence."""
    after = _next_char(text, end)
    if not after:
        return True
    upper = after.isupper()
    if "?" in punct or "!" in punct:
        return not after.islower()  # “Why?” he asked.
    if punct != ".":
        return upper  # an ellipsis runs on into a lower-case word
    if closers and after.islower():
        return False
    found = _WORD_BEFORE.search(text, max(0, start - 30), start)
    word = found.group() if found else ""
    bare = word.lower().lstrip("’'-")
    if bare in _TITLES:
        return False
    if _MULTI_PERIOD.fullmatch(word):
        # "the U.S. Treasury" goes on; "at 3 p.m. He left" and "to the U.S. The President" end
        return upper and (bare in ("a.m", "p.m") or _starts_sentence(text, end))
    if len(word) == 1 and word.isupper():
        return False  # an initial: "George W. Bush"
    if bare in _ABBREVIATIONS:
        return upper and not (bare in _NUMBERED and after.isdigit())
    return True


def _starts_sentence(text: str, end: int) -> bool:
    """Whether the word after ``end`` is one that starts sentences after an abbreviation ("The", "He"…)."""
    found = _NEXT_WORD.match(text, end, end + 40)
    return found is not None and found.group(1) in _STARTERS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, whitespace excluded, in one linear pass."""
    first = _CANDIDATE.search(text)
    if first is None and not text.startswith("("):  # one sentence (most headlines; a flood of short paragraphs)
        start, end = len(text) - len(text.lstrip(_SPACE)), len(text.rstrip(_SPACE))
        return [(start, end)] if end > start else []
    spans: list[tuple[int, int]] = []
    enclosed = _enclosed(text)
    inside = 0  # index into ``enclosed`` of the first span that may still hold a candidate
    cursor = 0

    def close(end: int) -> None:
        nonlocal cursor
        start = cursor
        while start < end and text[start] in _SPACE:
            start += 1
        stop = end
        while stop > start and text[stop - 1] in _SPACE:
            stop -= 1
        if stop > start:
            spans.append((start, stop))
        cursor = end

    credit = enclosed[0][1] + 1 if text.startswith("(") and enclosed and enclosed[0][0] == 0 else 0
    if credit and text[credit : credit + 1].isspace() and _next_char(text, credit).isupper():
        close(credit)  # "(Deutsche Welle) Days after…": a leading credit is a sentence of its own
    word_at = -1  # where the first word character at or after ``cursor`` is (len(text) when none is left)
    for m in _CANDIDATE.finditer(text, first.start() if first else len(text)):  # none before the first one found
        if m.group("line"):
            close(m.start())
            continue
        start = m.start()
        if word_at < cursor:
            found = _WORD_CHAR.search(text, cursor)
            word_at = found.start() if found else len(text)
        if word_at >= start:
            continue  # no word since the last boundary ("! ! !", ". . ."): punctuation is not a sentence of its own
        while inside < len(enclosed) and enclosed[inside][1] < start:
            inside += 1
        if inside < len(enclosed) and enclosed[inside][0] < start and enclosed[inside][1] >= m.end():
            continue  # inside a quotation or brackets that close later
        if m.group("cjk"):
            close(m.end())
            continue
        if m.group("quote"):  # "decision.“ However": the opening quote belongs to the next sentence
            if _next_char(text, m.end() + 1).isupper():
                close(m.end())
            continue
        run = m.group("latin")
        punct = run.rstrip(_CLOSERS)
        if _ends_sentence(text, punct, run[len(punct) :], start, m.end()):
            close(m.end())
    close(len(text))
    return spans


def split_sentences(paragraph: Paragraph, index: int) -> list[Sentence]:
    """Split one paragraph into sentences (news-aware abbreviations) with exact offsets into the field."""
    base, text = paragraph.start, paragraph.text
    return [Sentence(paragraph.field, base + a, base + b, text[a:b], index) for a, b in sentence_spans(text)]


def count_words(text: str) -> int:
    """Number of words (runs of letters or digits, with inner hyphens, apostrophes and dots)."""
    return len(_WORD.findall(text))


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

    @functools.cached_property
    def sentence_texts(self) -> tuple[str, ...]:
        """The distinct texts of the sentences, in first-seen order (a flood repeats one line thousands of times)."""
        return tuple(dict.fromkeys(s.text for s in self.sentences))

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
