"""The one merge policy: how the findings of several checkers on one article become one list.

1. Checkers are taken by ``rank`` (then name), never by the order they were registered or built in.
2. Each finding of a checker is matched, as its rule's ``Join`` says, against the findings already
   kept from higher-ranked checkers (lower ``rank``):

   - ``alone``: always kept as a finding of its own;
   - ``overlap``: folds into the first kept finding above info that it overlaps;
   - ``any-overlap``: folds into the first kept finding it overlaps, info included;
   - ``duplicate``: folds into the first kept finding that says the same thing: the same span, or
     the same MQM dimension with at least half of the shorter span shared;
   - ``supported``: folds like ``overlap``; with nothing to fold into it is kept only when a finding
     above info from another checker lies in its sentence (``evidence["sentence"]`` = [start, end],
     recorded in ``evidence["agrees_with"]``) or when it is strong by itself (``evidence["alone"]``).

   Folding keeps the target's rule, severity and message; the folded finding's rule is added to
   ``evidence["also"]``, its evidence under its checker's name, its suggestions when the target
   had none (``qa.model.fold``).
3. Findings of exactly the same span are then one finding: the most severe, then most confident,
   stands and the others are folded into it (``dedupe``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from qa.model import Issue, Join, RuleIndex, Severity, fold


def says_the_same(issue: Issue, other: Issue) -> bool:
    """The same span, or overlapping in the same MQM dimension with half of the shorter span shared."""
    if not issue.overlaps(other):
        return False
    if (issue.start, issue.end) == (other.start, other.end):
        return True
    if issue.category.split("/")[0] != other.category.split("/")[0]:
        return False
    shared = min(issue.end, other.end) - max(issue.start, other.start)
    shorter = max(1, min(issue.end - issue.start, other.end - other.start))
    return shared * 2 >= shorter


def _fits(join: Join, issue: Issue, target: Issue) -> bool:
    if join is Join.DUPLICATE:
        return says_the_same(issue, target)
    if join is Join.ANY_OVERLAP:
        return issue.overlaps(target)
    return target.severity > Severity.INFO and issue.overlaps(target)


def _supported(issue: Issue, kept: Sequence[Issue]) -> Issue | None:
    """A ``supported`` finding with nothing to fold into: kept (with who agrees) or None."""
    evidence = dict(issue.evidence or {})
    start, end = evidence.get("sentence", (issue.start, issue.end))
    agree = sorted(
        {o.rule for o in kept if o.severity > Severity.INFO and o.field == issue.field and o.start < end and start < o.end}
    )
    if not agree and not evidence.get("alone"):
        return None
    evidence["agrees_with"] = agree
    return replace(issue, evidence=evidence)


def _details(issue: Issue) -> tuple[str, dict[str, object]]:
    evidence = {k: v for k, v in (issue.evidence or {}).items() if k not in ("sentence", "also")}
    return issue.checker, {"rule": issue.rule, "text": issue.text, **evidence}


def merge(found: Iterable[tuple[int, str, Sequence[Issue]]], rules: RuleIndex) -> list[Issue]:
    """One article's findings from (rank, checker name, findings) of every checker, merged as the module says."""
    kept: list[Issue] = []
    for _, _, own in sorted(found, key=lambda group: (group[0], group[1])):
        added: list[Issue] = []
        for issue in own:
            join = rules.join(issue.rule)
            index = None
            if join is not Join.ALONE:
                index = next((k for k, target in enumerate(kept) if _fits(join, issue, target)), None)
            if index is not None:
                kept[index] = fold(kept[index], issue, _details(issue))
            elif join is not Join.SUPPORTED:
                added.append(issue)
            elif (alone := _supported(issue, kept)) is not None:
                added.append(alone)
        kept += added
    return dedupe(kept)


def dedupe(issues: Iterable[Issue]) -> list[Issue]:
    """One finding per span, sorted by position.

    Several rules flagging exactly the same text are one error: the most severe (then most
    confident) finding stands, and the other rule ids are kept in its ``evidence["also"]``.
    """
    by_span: dict[tuple[str, int, int], list[Issue]] = {}
    for issue in issues:
        by_span.setdefault((issue.field, issue.start, issue.end), []).append(issue)
    result: list[Issue] = []
    for group in by_span.values():
        best = max(group, key=lambda i: (i.severity, i.confidence, -len(i.rule)))
        for other in sorted(group, key=lambda i: i.rule):
            if other.rule != best.rule:
                best = fold(best, other)
        result.append(best)
    return sorted(result, key=lambda i: (i.field != "title", i.start, i.end, i.rule))
