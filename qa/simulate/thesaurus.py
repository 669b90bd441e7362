"""Debian's ``mythes-en-us`` (the LibreOffice English thesaurus), read at bench time: lower-case single-word synonyms per sense.

The file: line 1 names the encoding; then ``word|N`` followed by N lines ``(pos)|syn|syn…``. Synonyms
marked ``(generic term)``, ``(related term)``, ``(similar term)`` or ``(antonym)`` are dropped, and
only lower-case single words are kept (names and phrases are not what a spinner swaps in).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from qa.errors import InputReadError

MYTHES = Path("/usr/share/mythes/th_en_US_v2.dat")
PACKAGE = "mythes-en-us"
_MARKED = ("(generic term)", "(related term)", "(similar term)", "(antonym)")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Sense:
    """One sense of a headword: its part of speech (``noun``, ``verb``, ``adj`` …) and its synonyms."""

    pos: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Thesaurus:
    """Headword → senses (each with at least one usable synonym), and where it was read from."""

    entries: dict[str, tuple[Sense, ...]]
    source: str = ""
    sha256: str = ""

    def senses(self, word: str) -> tuple[Sense, ...]:
        """The senses of ``word`` (empty when it is no headword)."""
        return self.entries.get(word, ())


def missing_message(path: Path) -> str:
    """What to tell a user whose thesaurus file is absent."""
    return f"no thesaurus at {path}: install Debian's {PACKAGE} (apt-get install {PACKAGE}) or pass --thesaurus FILE"


def _synonyms(fields: list[str], headword: str) -> tuple[str, ...]:
    kept = []
    for field in fields:
        word = field.strip()
        if any(word.endswith(mark) for mark in _MARKED) or not _WORD.fullmatch(word) or word == headword or word in kept:
            continue
        kept.append(word)
    return tuple(kept)


def parse_mythes(lines: list[str], source: str = "", sha256: str = "") -> Thesaurus:
    """A thesaurus from the lines of a MyThes ``.dat`` file after its encoding line."""
    entries: dict[str, tuple[Sense, ...]] = {}
    at = 0
    while at < len(lines):
        head, _, count = lines[at].rstrip("\n").rpartition("|")
        n = int(count) if count.isdigit() else 0
        senses = []
        for line in lines[at + 1 : at + 1 + n]:
            pos, *fields = line.rstrip("\n").split("|")
            synonyms = _synonyms(fields, head)
            if synonyms:
                senses.append(Sense(pos.strip("()"), synonyms))
        if _WORD.fullmatch(head) and senses:
            entries[head] = tuple(senses)
        at += 1 + n
    return Thesaurus(entries, source, sha256)


def read_mythes(path: Path = MYTHES) -> Thesaurus:
    """Read a MyThes ``.dat`` file; a missing file is an input error naming the Debian package."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputReadError(missing_message(path)) from None
    except OSError as exc:
        raise InputReadError(f"{path}: {exc}") from None
    first, _, rest = data.partition(b"\n")
    encoding = first.decode("ascii", "replace").strip() or "utf-8"
    try:
        text = rest.decode(encoding.lower().replace("iso8859", "iso-8859"))
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{path}: cannot decode as {encoding}: {exc}") from None
    return parse_mythes(text.splitlines(), str(path), hashlib.sha256(data).hexdigest())
