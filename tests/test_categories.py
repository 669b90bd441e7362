"""One table of plain category names: every category a shipped checker declares has one."""

from __future__ import annotations

from qa.categories import LABELS, label, plain
from qa.config import Config
from qa.languagetool.mapping import CATEGORIES, FALLBACK, ISSUE_TYPES
from qa.registry import build_checkers


def test_labels_put_the_mqm_id_beside_the_plain_name() -> None:
    assert label("fluency/text-breaking") == "Broken sentence (fluency/text-breaking)"
    assert plain("accuracy/something-new") == "Meaning"  # an unlisted id falls back to its dimension
    assert label("odd") == "odd"


def test_every_declared_category_has_a_plain_name() -> None:
    checkers = build_checkers(Config().switched(languagetool=False, lm=True))  # building loads no model
    declared = {info.category for checker in checkers for info in checker.rules()}
    declared |= {row[0] for row in (*CATEGORIES.values(), *ISSUE_TYPES.values(), FALLBACK)}
    assert declared and declared <= set(LABELS)
