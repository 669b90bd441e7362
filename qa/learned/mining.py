"""Mining what MT wrote and what was meant from post-edited MT English (MLQE-PE): training time only.

Each MT sentence is aligned with its post-edit token by token (difflib on lower-cased tokens);
every replaced stretch of one to three words on both sides is a substitution ``wrong -> meant``.
Punctuation at the edges is trimmed; a change of punctuation, spelling of a compound ("long-term"
/ "long - term") or digits only is not a substitution, nor a capitalised name replaced by another
capitalised name (transliteration noise). Counts come from the *train* splits only; the dev splits
measure how often the translator's word is among the table's top candidates.

``qa train substitutions`` writes the table that ``qa.learned.substitutions`` reads at run time.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qa.datasets.mlqe import MlqeRow
from qa.learned.substitutions import Lookup

MAX_WORDS = 3
MIN_COUNT = 2
MIN_RATE = 0.1  # P(replaced | phrase) below this: the phrase is usually fine as printed
TOP = 3
COLUMNS = ("wrong", "meant", "count", "wrong_total", "pairs")


@dataclass(frozen=True)
class Edit:
    """A replaced stretch: MT tokens ``start:end`` became ``meant`` (both sides lower-cased)."""

    start: int
    end: int
    wrong: str
    meant: str


@dataclass(frozen=True)
class Entry:
    """One row of the table."""

    wrong: str
    meant: str
    count: int  # times ``wrong`` was replaced by ``meant``
    wrong_total: int  # times ``wrong`` occurs in the MT, replaced or not
    pairs: int  # language pairs the substitution was seen in

    @property
    def score(self) -> float:
        """P(replaced by ``meant`` | ``wrong`` printed), estimated on the train splits."""
        return self.count / self.wrong_total


@dataclass
class Mined:
    """Counts over a corpus: substitutions, their language pairs, and phrase occurrences."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    pairs: defaultdict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    replaced: Counter[str] = field(default_factory=Counter)  # wrong phrase replaced by anything
    totals: Counter[str] = field(default_factory=Counter)  # wrong phrase occurrences in the MT


def _has_letter(tokens: Sequence[str]) -> bool:
    return any(ch.isalpha() for token in tokens for ch in token)


def _is_punct(token: str) -> bool:
    return not any(ch.isalnum() for ch in token)


def _trim(tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` past punctuation tokens at both edges."""
    while start < end and _is_punct(tokens[start]):
        start += 1
    while end > start and _is_punct(tokens[end - 1]):
        end -= 1
    return start, end


def _letters(tokens: Sequence[str]) -> str:
    return "".join(ch for token in tokens for ch in token.lower() if ch.isalnum())


# British and American spellings of one word ("centre"/"center", "organised"/"organized",
# "programme"/"program", "travelled"/"traveled") and accents ("Chávez"/"Chavez"): house style, not MT damage
_SPELLING = (
    (re.compile(r"our\b"), "or"),
    (re.compile(r"is(e|ed|es|ing|ation|ations)\b"), r"iz\1"),
    (re.compile(r"(?<=[^aeiou])re(s?)\b"), r"er\1"),
    (re.compile(r"ogue\b"), "og"),
    (re.compile(r"mme(s?)\b"), r"m\1"),
    (re.compile(r"ll(ed|ing|er|ers)\b"), r"l\1"),
    (re.compile(r"tonne"), "ton"),
    (re.compile(r"(?<=[a-z])[ao]e(?=[a-z])"), "e"),
)


def _spelling(text: str) -> str:
    """A phrase with accents removed and British spellings made American, for comparison."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    for pattern, replacement in _SPELLING:
        text = pattern.sub(replacement, text)
    return text


def _names(tokens: Sequence[str]) -> bool:
    return all(token[:1].isupper() for token in tokens)


def edits(mt: Sequence[str], pe: Sequence[str]) -> Iterator[Edit]:
    """The word substitutions that turn ``mt`` into ``pe`` (one to three words each side)."""
    lower_mt, lower_pe = [t.lower() for t in mt], [t.lower() for t in pe]
    matcher = difflib.SequenceMatcher(None, lower_mt, lower_pe, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        i1, i2 = _trim(mt, i1, i2)
        j1, j2 = _trim(pe, j1, j2)
        wrong, meant = mt[i1:i2], pe[j1:j2]
        if not (0 < len(wrong) <= MAX_WORDS and 0 < len(meant) <= MAX_WORDS):
            continue
        if not (_has_letter(wrong) and _has_letter(meant)) or _letters(wrong) == _letters(meant):
            continue
        if _spelling(" ".join(lower_mt[i1:i2])) == _spelling(" ".join(lower_pe[j1:j2])):
            continue
        if i1 > 0 and _names(wrong) and _names(meant):
            continue  # one capitalised name for another: transliteration, not a word choice
        yield Edit(i1, i2, " ".join(lower_mt[i1:i2]), " ".join(lower_pe[j1:j2]))


def _ngrams(tokens: Sequence[str]) -> Iterator[str]:
    for n in range(1, MAX_WORDS + 1):
        for i in range(len(tokens) - n + 1):
            yield " ".join(tokens[i : i + n])


def mine(examples: Iterable[MlqeRow]) -> Mined:
    """Count substitutions, then how often each substituted phrase occurs in the MT at all."""
    mined = Mined()
    sentences: list[list[str]] = []
    for example in examples:
        sentences.append([t.lower() for t in example.mt])
        for edit in edits(example.mt, example.pe):
            mined.counts[edit.wrong, edit.meant] += 1
            mined.pairs[edit.wrong, edit.meant].add(example.pair)
            mined.replaced[edit.wrong] += 1
    wanted = set(mined.replaced)
    for tokens in sentences:
        mined.totals.update(gram for gram in _ngrams(tokens) if gram in wanted)
    return mined


def table(mined: Mined, min_count: int = MIN_COUNT, min_rate: float = MIN_RATE) -> list[Entry]:
    """Substitutions seen ``min_count`` times or more whose phrase is replaced at least ``min_rate`` of the time."""
    entries = [
        Entry(wrong, meant, count, mined.totals[wrong], len(mined.pairs[wrong, meant]))
        for (wrong, meant), count in mined.counts.items()
        if count >= min_count and mined.replaced[wrong] >= min_rate * mined.totals[wrong]
    ]
    return sorted(entries, key=lambda e: (e.wrong, -e.count, e.meant))


def write_table(entries: Iterable[Entry], path: Path, command: str, notes: Sequence[str] = ()) -> None:
    """Write the table as TSV, its first line saying how it was generated, then ``notes`` as comments."""
    lines = [
        f"# Generated by `{command}` from MLQE-PE train splits; do not edit by hand.",
        *(f"# {note}" for note in notes),
        "\t".join(COLUMNS),
        *(f"{e.wrong}\t{e.meant}\t{e.count}\t{e.wrong_total}\t{e.pairs}" for e in entries),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Coverage:
    """How a table does on held-out post-edits (the dev splits)."""

    substituted: int  # BAD-tagged MT words replaced one-for-one by a post-edit word
    known: int  # of those, words the table has candidates for
    hits: int  # of those, words whose post-edit word is among the top candidates
    occurrences: int  # table phrases anywhere in the MT
    bad: int  # of those, occurrences with a BAD-tagged word: P(BAD | phrase in the table)

    @property
    def rate(self) -> float:
        """Share of substituted BAD words whose post-edit word is in the top candidates."""
        return self.hits / self.substituted if self.substituted else 0.0

    @property
    def bad_rate(self) -> float:
        """Share of the table's phrases in the MT that the translator changed."""
        return self.bad / self.occurrences if self.occurrences else 0.0


def coverage(lookup: Lookup, examples: Iterable[MlqeRow], top: int = TOP) -> Coverage:
    """Top-``top`` coverage of one-word substitutions of BAD-tagged MT words, and P(BAD | table phrase)."""
    substituted = known = hits = occurrences = bad = 0
    for example in examples:
        if len(example.tags) != len(example.mt):
            continue
        lower = [t.lower() for t in example.mt]
        for n in range(1, MAX_WORDS + 1):
            for i in range(len(lower) - n + 1):
                if " ".join(lower[i : i + n]) in lookup:
                    occurrences += 1
                    bad += "BAD" in example.tags[i : i + n]
        for edit in edits(example.mt, example.pe):
            if edit.end - edit.start != 1 or " " in edit.meant or example.tags[edit.start] != "BAD":
                continue
            substituted += 1
            candidates = lookup.get(edit.wrong)
            if candidates:
                known += 1
                hits += edit.meant in [meant for meant, _ in candidates[:top]]
    return Coverage(substituted, known, hits, occurrences, bad)


def base_bad_rate(examples: Iterable[MlqeRow]) -> float:
    """Share of all MT words tagged BAD: what P(BAD | table phrase) is compared with."""
    tags = Counter(tag for example in examples for tag in example.tags)
    return tags["BAD"] / max(1, tags["BAD"] + tags["OK"])


def as_lookup(entries: Iterable[Entry]) -> Lookup:
    """The loader's shape from table entries, without a file."""
    result: Lookup = {}
    for entry in entries:
        result.setdefault(entry.wrong, []).append((entry.meant, entry.score))
    for candidates in result.values():
        candidates.sort(key=lambda c: -c[1])
    return result
