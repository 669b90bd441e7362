"""Quotation marks and brackets that open or close nothing."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from qa.checks.base import Hit, code_check
from qa.model import Severity
from qa.text import Document, Paragraph

_OPEN, _CLOSE = "“", "”"
_WORD_BEFORE = regex.compile(r"(\w+[,.]?)$")
_QUOTE = regex.compile(f"[{_OPEN}{_CLOSE}]")


@code_check(
    "quotes.unmatched", "fluency/punctuation", Severity.MAJOR,
    "Quotation mark that opens or closes nothing: text may be broken or missing here.",
    flag=(
        "Biden tweeted that “It is an honor to meet.” In,” using another name.",
        "He said “we will go and left.",
        "Talks go on\n\nHe said: “We will go.\n\nThe minister left.",
    ),
    ok=(
        "Biden tweeted that “It is an honor to meet.”",
        "“Yes,” he said, “we will.”",
        "Talks go on\n\nHe said: “We will go.\n\n“And we will stay,” he added.",
        "Talks go on\n\nHe said: “We will go.\n\nAnd we will stay.”",
    ),
)
def unmatched_quotes(doc: Document) -> Iterator[Hit]:
    """Curly quotation marks must pair up: report the leftovers.

    A quotation may run on past a paragraph break, either opened again at the next paragraph's
    start (news style) or closed in the next paragraph before anything else opens (copy split into
    one sentence per paragraph); either way the opener left at the end of a paragraph is paired.
    """
    carried: tuple[Paragraph, int] | None = None  # an opener the previous paragraph left unclosed
    for para in doc.paragraphs:
        if carried is not None and carried[0].field == para.field and para.text.startswith(_OPEN):
            carried = None  # the quotation goes on, opened again
        depth_open: int | None = None
        for i in (m.start() for m in _QUOTE.finditer(para.text)):
            if para.text[i] == _OPEN:
                if depth_open is not None:  # a second opener before any closer
                    yield _opener(para, depth_open, i)
                depth_open = i
            elif depth_open is not None:
                depth_open = None
            elif carried is not None and carried[0].field == para.field:
                carried = None  # closes what the previous paragraph opened
            else:
                word = _WORD_BEFORE.search(para.text[max(0, i - 30) : i])
                start = i - len(word.group(1)) if word else i
                yield Hit(para.field, para.start + start, para.start + i + 1)
        if carried is not None:
            yield _opener(carried[0], carried[1], len(carried[0].text))
        carried = (para, depth_open) if depth_open is not None else None
    if carried is not None:
        yield _opener(carried[0], carried[1], len(carried[0].text))


def _opener(para: Paragraph, local: int, limit: int) -> Hit:
    """The opener at ``local`` and the words it runs into, up to the end of that sentence (or ``limit``)."""
    stop = para.text.find(".", local, limit)
    end = (stop + 1 if stop >= 0 else min(limit, local + 40)) - local
    return Hit(para.field, para.start + local, para.start + local + end)


_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_BRACKET = regex.compile(r"[()\[\]{}]")


@code_check(
    "brackets.unbalanced", "fluency/punctuation", Severity.MINOR, "Bracket that opens or closes nothing.",
    flag=("The ministry (which declined to comment said so.", "He left) on Monday."),
    ok=("The ministry (which declined to comment) said so.", "Points a) and b) were agreed."),
)
def unbalanced_brackets(doc: Document) -> Iterator[Hit]:
    """Round, square and curly brackets must close inside the same paragraph: a stack per paragraph
    matches them; list-item markers like ``a)`` are allowed."""
    for para in doc.paragraphs:
        stack: list[tuple[str, int]] = []
        for m in _BRACKET.finditer(para.text):
            ch, i = m.group(), m.start()
            if ch in _PAIRS:
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                elif not _is_list_marker(para.text, i):
                    yield Hit(para.field, para.start + i, para.start + i + 1)
        for _, i in stack:
            yield Hit(para.field, para.start + i, para.start + i + 1)


def _is_list_marker(text: str, i: int) -> bool:
    """``a)`` or ``2)`` at the start of text or after a space: an enumeration, not a bracket."""
    return i >= 1 and text[i - 1].isalnum() and (i == 1 or not text[i - 2].isalnum())


