"""Plain-language names for the MQM categories findings carry, with the MQM id kept beside them.

The one table an editor-facing output reads (text, HTML report, review app); ids not listed fall
back to their dimension's name (``accuracy/…`` → "Meaning"), else to the id itself.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "accuracy": "Meaning",
    "accuracy/addition": "Added meaning",
    "accuracy/mistranslation": "Mistranslation",
    "accuracy/omission": "Missing meaning",
    "accuracy/untranslated": "Untranslated text",
    "fluency": "Fluency",
    "fluency/grammar": "Grammar",
    "fluency/inconsistency": "Inconsistency",
    "fluency/mt-damage": "Machine-translation damage",
    "fluency/other": "Fluency",
    "fluency/punctuation": "Punctuation",
    "fluency/spelling": "Spelling",
    "fluency/text-breaking": "Broken sentence",
    "locale": "Local convention",
    "locale/convention": "Local convention",
    "other": "Other",
    "other/provenance": "Provenance",
    "style": "Style",
    "style/awkward": "Awkward wording",
    "style/inclusive": "Non-inclusive wording",
    "style/register": "Wrong register",
    "style/unidiomatic": "Unidiomatic wording",
    "style/unnatural": "Unnatural wording",
    "terminology": "Terminology",
}


def plain(category: str) -> str:
    """The plain-language name of an MQM category id (``fluency/text-breaking`` → "Broken sentence")."""
    return LABELS.get(category) or LABELS.get(category.split("/")[0]) or category


def label(category: str) -> str:
    """The plain name with the MQM id beside it: "Broken sentence (fluency/text-breaking)"."""
    name = plain(category)
    return category if name == category else f"{name} ({category})"
