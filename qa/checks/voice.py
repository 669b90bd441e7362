"""Who is speaking: first- and second-person words in the article's own narration, outside quotations."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from qa.checks.base import Hit, code_check
from qa.model import Severity
from qa.text import Document, Paragraph

# lower case anywhere, capitalised only where a sentence may start ("US" and "Us Weekly" never match)
_PERSON = regex.compile(
    r"\b(?:we|our|ours|ourselves|you|your|yours|yourself|yourselves)\b"
    r"|(?<=^|[.!?:;—–-]\s|[.!?]\s[\"“‘])(?:We|Our|You|Your)\b"
)
_OPENERS = {"“": "”", '"': '"', "«": "»", "‘": "’", "'": "'", "``": "''"}
# a quotation mark that opens: any of the double ones, a single one only after a space or bracket
_OPEN = regex.compile(r"“|\"|«|``|(?<=^|[\s(\[—–-])['‘](?=\S)")
_DIALOGUE = regex.compile(r"^[–—-]\s")  # speech set off by a dash (Nordic and French style)


def narration(para: Paragraph, inside: bool) -> tuple[list[tuple[int, int]], bool]:
    """The stretches of a paragraph outside quotation marks, and whether it ends inside a quotation.

    ``inside``: the previous paragraph left a quotation open; it goes on here until its closer,
    unless this paragraph opens a new one first (news style repeats the opener). A paragraph of
    dialogue set off by a dash, or an interviewer's question (it ends in "?"), is all speech.
    """
    text = para.text
    if _DIALOGUE.match(text) or text.rstrip().endswith("?"):
        return [], False
    closer = "”" if inside and not _OPEN.match(text) else ""
    spans: list[tuple[int, int]] = []
    start = at = 0
    while at < len(text):
        if closer:
            end = _closing(text, closer, at)
            if end < 0:
                break
            closer, start, at = "", end, end
            continue
        m = _OPEN.search(text, at)
        if m is None:
            break
        spans.append((start, m.start()))
        closer, at = _OPENERS[m.group()], m.end()
    if not closer:
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a], bool(closer)


def _closing(text: str, closer: str, at: int) -> int:
    """Where the quotation that ``closer`` ends is over (after the mark), or -1 when it runs past the paragraph."""
    if len(closer) > 1:  # ``…''
        end = text.find(closer, at)
        return end + len(closer) if end >= 0 else -1
    marks = "”\"" if closer in "”\"" else closer  # a straight quotation may close with a curly mark
    for i in range(at, len(text)):
        if text[i] in marks:
            if closer in "’'" and i + 1 < len(text) and text[i + 1].isalpha():
                continue  # an apostrophe: Japan’s
            return i + 1
    return -1


_MESSAGE = (
    "“{match}” in the article's own narration, outside any quotation: a quotation that lost its quote marks, "
    "or a translation that turned an impersonal form into a person; check who is speaking."
)


@code_check(
    "voice.narrator-person", "fluency/grammar", Severity.MINOR, _MESSAGE,
    flag=(
        "Talks\n\nThe mayor said the bridge would open in May, so we expect traffic to ease.",
        "Talks\n\nThe singer and her band landed on Friday; you and your band must wait two days at the hotel.",
        "Talks\n\nThe coach said, I want you to play harder.",
    ),
    ok=(
        "Talks\n\n“We will go,” he said. “You know it,” she added.",
        "Talks\n\nThe US and its allies met. Us Weekly reported it.",
        "What you need to know\n\nThe talks resume on Monday.",
        "Talks\n\n“We will go.\n\nAnd we will stay,” he said.",
        "Talks\n\n‘This year we kept our promise,’ said the mayor of Norway’s capital.",
        "Talks\n\n'We heard your complaints,' the manager said.",
        "Talks\n\n– We meet the unions next week, the minister tells the radio.",
        "Talks\n\nWill you run again next year?\n\nI have not decided.",
    ),
)
def narrator_person(doc: Document) -> Iterator[Hit]:
    """One finding per article, at the first first- or second-person word in the body's narration
    (quotations masked), saying in how many more sentences the narration speaks so; headlines are
    left alone ("What you need to know"). One, not one per sentence: features and service pieces
    ("you can watch it online") speak to the reader too, and a quotation that lost its marks is
    one slip repeated, so the article's score counts it once."""
    inside = False
    sentences = doc.field_sentences("body")
    at = 0
    first: tuple[int, int, str] | None = None
    reported: set[int] = set()
    for para in doc.field_paragraphs("body"):
        spans, inside = narration(para, inside)
        for a, b in spans:
            for m in _PERSON.finditer(para.text, a, b):
                where = para.start + m.start()
                while at < len(sentences) and sentences[at].end <= where:
                    at += 1
                reported.add(sentences[at].start if at < len(sentences) else where)
                first = first or (where, para.start + m.end(), m.group())
    if first is not None:
        start, end, word = first
        more = f" (and in {len(reported) - 1} more sentence{'s' if len(reported) > 2 else ''})" if len(reported) > 1 else ""
        yield Hit("body", start, end, message=_MESSAGE.format(match=word).replace(" outside any quotation", f" outside any quotation{more}", 1))
