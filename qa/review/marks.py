"""A garbled span the checker missed, as an editor marks it: where, what was meant, which kind of damage."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = (  # the annotation categories of ../shared/garbled-news/README.md
    "wrong-sense word", "literal idiom", "spun synonym", "name", "grammar/pronoun", "sentence boundary", "number", "other",
)
FIELDS = ("title", "body")
MAX_MARK = 500  # characters one mark may cover
MAX_MEANT = 500


@dataclass(frozen=True)
class MissedMark:
    """What the editor selected (character offsets into the field) and what they typed about it."""

    field: str
    start: int
    end: int
    text: str  # the selected text as the browser saw it: must equal the field's slice
    meant: str = ""
    category: str = "other"
    note: str = ""

    def validated(self, field_text: str) -> str:
        """The field's text at the offsets; ValueError when the mark does not fit the article."""
        if self.field not in FIELDS:
            raise ValueError(f"a mark is on the title or the body, not {self.field!r}")
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r} (expected {', '.join(CATEGORIES)})")
        if not 0 <= self.start < self.end <= len(field_text) or self.end - self.start > MAX_MARK:
            raise ValueError(f"a mark covers 1 to {MAX_MARK} characters of the {self.field}")
        if len(self.meant) > MAX_MEANT:
            raise ValueError(f"what was meant is longer than {MAX_MEANT} characters")
        printed = field_text[self.start : self.end]
        if printed != self.text or not printed.strip():
            raise ValueError("the marked text does not match the article at those offsets: reload the page")
        return printed

MQM = {  # a mark's category as the MQM category its newsroom rule's findings carry
    "wrong-sense word": "accuracy/mistranslation", "literal idiom": "style/unidiomatic", "spun synonym": "style/unnatural",
    "name": "accuracy/mistranslation", "grammar/pronoun": "fluency/grammar", "sentence boundary": "fluency/text-breaking",
    "number": "accuracy/mistranslation", "other": "fluency/mt-damage",
}
