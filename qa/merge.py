"""The one merge policy: how the findings of several checkers on one article become one list.

1. Checkers are taken by ``rank`` (then name), never by the order they were registered or built in.
   A checker's own findings of one MQM category on one garble (``one_garble``: the same category and
   the same span, or half of the shorter span shared) are first one finding
   (``coalesce``): the most severe (then widest, most confident) stands, over the union of their spans, with every suggestion
   (rewritten for that span, deduplicated) and the others in ``evidence["corroborating"]`` (rule,
   checker, severity, message, span, text) and their rule ids in ``evidence["also"]``: one mistake,
   one penalty. (Two rules of one pack, such as a headline-quote check and a lexicon entry on
   ``“backtrack” against``, would otherwise count twice: the join policy below only relates a
   finding to those of higher-ranked checkers.)
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
from typing import Any

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


def one_garble(issue: Issue, other: Issue) -> bool:
    """The same MQM category on (mostly) the same text: one mistake, however many rules saw it.

    Overlapping findings of different categories stay apart, as MQM counts them: a typo inside an
    ungrammatical phrase is two errors.
    """
    return issue.category == other.category and says_the_same(issue, other)


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


def _strongest(issue: Issue) -> tuple[Severity, float, int]:
    return issue.severity, issue.confidence, -len(issue.rule)


def _union_text(group: Sequence[Issue], start: int, end: int) -> str | None:
    """The text of ``start:end`` put together from the findings' own texts (None when one does not fit its span)."""
    chars: list[str | None] = [None] * (end - start)
    for issue in group:
        if len(issue.text) != issue.end - issue.start:
            return None
        chars[issue.start - start : issue.end - start] = list(issue.text)
    return None if any(c is None for c in chars) else "".join(c for c in chars if c is not None)


def corroborating(issue: Issue) -> dict[str, Any]:
    """What ``evidence["corroborating"]`` records of a finding folded into another on the same garble."""
    return {
        "rule": issue.rule,
        "checker": issue.checker,
        "severity": issue.severity.label,
        "message": issue.message,
        "start": issue.start,
        "end": issue.end,
        "text": issue.text,
    }


def joined(group: Sequence[Issue]) -> Issue:
    """Findings on one garble as one: the strongest, over the union of their spans, with all suggestions."""
    # the most severe stands; among equals the widest, whose message speaks of the whole span shown
    best = max(group, key=lambda i: (i.severity, i.end - i.start, *_strongest(i)[1:]))
    same = (best.rule, best.start, best.end)
    others = sorted((i for i in group if i is not best and (i.rule, i.start, i.end) != same), key=lambda i: (i.start, i.end, i.rule))
    start, end = min(i.start for i in group), max(i.end for i in group)
    text = _union_text(group, start, end)
    if text is None:  # cannot rewrite suggestions for a wider span: keep the strongest's own
        start, end, text = best.start, best.end, best.text
    suggestions: dict[str, None] = {}
    for issue in (best, *others):
        if start <= issue.start and issue.end <= end:
            before, after = text[: issue.start - start], text[issue.end - start :]
            suggestions.update((before + s + after, None) for s in issue.suggestions)
    evidence = dict(best.evidence or {})
    evidence["also"] = list(dict.fromkeys([*evidence.get("also", []), *(i.rule for i in others if i.rule != best.rule)]))
    evidence["corroborating"] = [*evidence.get("corroborating", []), *(corroborating(i) for i in others)]
    return replace(best, start=start, end=end, text=text, suggestions=tuple(suggestions), evidence=evidence)


def coalesce(issues: Sequence[Issue]) -> list[Issue]:
    """One checker's findings, those of one category on one garble joined into one (in a sweep by position)."""
    order = sorted(range(len(issues)), key=lambda k: (issues[k].field, issues[k].start, issues[k].end))
    parent = list(range(len(issues)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    active: list[int] = []  # findings whose span reaches past the current start
    for k in order:
        issue = issues[k]
        active = [a for a in active if issues[a].field == issue.field and issues[a].end > issue.start]
        for a in active:
            if one_garble(issue, issues[a]):
                parent[root(k)] = root(a)
        active.append(k)
    groups: dict[int, list[Issue]] = {}
    for k in range(len(issues)):
        groups.setdefault(root(k), []).append(issues[k])
    return [group[0] if len(group) == 1 else joined(group) for group in groups.values()]


def merge(found: Iterable[tuple[int, str, Sequence[Issue]]], rules: RuleIndex) -> list[Issue]:
    """One article's findings from (rank, checker name, findings) of every checker, merged as the module says."""
    kept: list[Issue] = []
    for _, _, own in sorted(found, key=lambda group: (group[0], group[1])):
        added: list[Issue] = []
        for issue in coalesce(own):
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
        best = max(group, key=_strongest)
        for other in sorted(group, key=lambda i: i.rule):
            if other.rule != best.rule:
                best = fold(best, other)
        result.append(best)
    return sorted(result, key=lambda i: (i.field != "title", i.start, i.end, i.rule))
