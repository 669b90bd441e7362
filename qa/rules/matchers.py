"""The matchers of the four data-driven rule kinds (phrase, substitution, regex, sequence), built from YAML."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import regex

from qa.rules.types import ENGINES, Match, Matcher, Pattern
from qa.rules.validation import Context, try_format
from qa.text import Token, tokenize


def _word_pattern(phrase: str) -> str:
    """A regex for a phrase as whole words, with any run of spaces between its words."""
    words = [regex.escape(w) for w in phrase.split()]
    left = r"(?<![\w])" if phrase[:1].isalnum() else ""
    right = r"(?![\w])" if phrase[-1:].isalnum() else ""
    return left + r"\s+".join(words) + right


_SENTENCE_END = regex.compile(r"[.!?…]['’\"”)]*\s+(?=\p{Lu}|[“\"‘(])|\n")


class _Sentences:
    """Where sentences start and end in one text, found once (on first use), and what ``unless`` said of each."""

    def __init__(self, text: str):
        self.text = text
        self._ends: list[int] | None = None
        self._starts: list[int] = []
        self._verdicts: dict[tuple[int, int], bool] = {}

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence that holds ``text[start:end]``: from the last sentence end before it to the next one after."""
        if self._ends is None:
            found = list(_SENTENCE_END.finditer(self.text))
            self._ends = [m.end() for m in found]
            self._starts = [m.start() for m in found]
        i = bisect.bisect_right(self._ends, start)
        left = self._ends[i - 1] if i else 0
        j = bisect.bisect_left(self._starts, end)
        right = self._starts[j] if j < len(self._starts) else len(self.text)
        return left, right

    def matches(self, unless: Pattern, start: int, end: int) -> bool:
        """Whether ``unless`` matches the sentence around ``start:end``; each sentence is searched once."""
        bounds = self.around(start, end)
        if bounds not in self._verdicts:
            self._verdicts[bounds] = unless.search(self.text, *bounds) is not None
        return self._verdicts[bounds]


def _excluded(unless: Pattern | None, sentences: _Sentences, start: int, end: int) -> bool:
    """True when the rule's ``unless`` pattern matches the sentence that holds the match.

    Only that sentence counts, so "and so on..." in one sentence does not hide a doubled comma in
    the next; with ``scope: sentence`` the text is already that sentence. Sentence bounds are found
    once per text and each sentence is searched once, so many matches still cost linear time.
    """
    return unless is not None and sentences.matches(unless, start, end)


def _case_flags(phrase: str, case: str) -> int:
    """Case-aware matching: a phrase with capitals matches as written unless told otherwise."""
    if case == "sensitive" or (case == "auto" and phrase != phrase.lower()):
        return 0
    return int(regex.IGNORECASE)


def _phrase_matcher(spec: Mapping[str, Any], ctx: Context) -> Matcher:
    phrases = ctx.str_list(spec, "phrases")
    case = ctx.choice(spec, "case", ("auto", "sensitive", "insensitive"), "auto")
    suggestions = tuple(ctx.str_list(spec, "suggestions", required=False))
    compiled = [regex.compile(_word_pattern(p), _case_flags(p, case)) for p in phrases]
    unless = ctx.optional_regex(spec, "unless")

    def match(text: str) -> Iterator[Match]:
        sentences = _Sentences(text)
        for pattern in compiled:
            for m in pattern.finditer(text):
                if not _excluded(unless, sentences, m.start(), m.end()):
                    yield Match(m.start(), m.end(), suggestions)

    return match


def swap_table(spec: Mapping[str, Any], ctx: Context) -> dict[str, tuple[str, ...]]:
    """A substitution rule's ``swap``: wrong phrase → what was meant, validated."""
    table = spec.get("swap")
    if not isinstance(table, Mapping) or not table:
        raise ctx.error("swap", "must be a mapping of wrong phrase to meant phrase(s)")
    swaps: dict[str, tuple[str, ...]] = {}
    for wrong, meant in table.items():
        meant_list = [meant] if isinstance(meant, str) else meant
        if not isinstance(wrong, str) or not isinstance(meant_list, list) or not all(
            isinstance(m, str) for m in meant_list
        ):
            raise ctx.error("swap", f"entry {wrong!r} must map text to text or a list of text")
        swaps[wrong] = tuple(meant_list)
    return swaps


def _substitution_matcher(spec: Mapping[str, Any], ctx: Context) -> Matcher:
    case = ctx.choice(spec, "case", ("auto", "sensitive", "insensitive"), "auto")
    unless = ctx.optional_regex(spec, "unless")
    entries = [
        (regex.compile(_word_pattern(wrong), _case_flags(wrong, case)), meant)
        for wrong, meant in swap_table(spec, ctx).items()
    ]

    def match(text: str) -> Iterator[Match]:
        sentences = _Sentences(text)
        for pattern, meant in entries:
            for m in pattern.finditer(text):
                if not _excluded(unless, sentences, m.start(), m.end()):
                    yield Match(m.start(), m.end(), meant)

    return match


def _regex_matcher(spec: Mapping[str, Any], ctx: Context) -> Matcher:
    flags = 0
    for flag in ctx.str_list(spec, "flags", required=False):
        if flag not in ("ignorecase", "multiline", "verbose"):
            raise ctx.error("flags", f"unknown flag {flag!r} (ignorecase, multiline, verbose)")
        flags |= getattr(regex, flag.upper())  # the same values in re
    # The standard library's engine reads less (no \p{..}, no scoped flags) but runs some patterns 2-3×
    # faster: the two back-reference rules over the MQM set, 313 → 157 ms.
    engine = ctx.choice(spec, "engine", ENGINES, "regex")
    pattern = ctx.compile(spec, "pattern", flags, engine)
    group = spec.get("group", 0)
    if isinstance(group, bool) or not isinstance(group, (int, str)) or (
        group not in pattern.groupindex if isinstance(group, str) else not 0 <= group <= pattern.groups
    ):
        raise ctx.error("group", f"no group {group!r} in the pattern")
    templates = ctx.str_list(spec, "suggestions", required=False)
    for template in templates:  # every \N and \g<name> must name a group of the pattern
        for ref in regex.findall(r"\\(\d+)|\\g<(\w+)>", template):
            name = ref[0] or ref[1]
            if not (int(name) <= pattern.groups if name.isdigit() else name in pattern.groupindex):
                raise ctx.error("suggestions", f"{template!r} refers to group {name}, which the pattern does not have")
    whole = bool(spec.get("whole_text", False))
    unless = ctx.optional_regex(spec, "unless")

    def match(text: str) -> Iterator[Match]:
        found = [pattern.fullmatch(text)] if whole else pattern.finditer(text)
        sentences = _Sentences(text)
        for m in found:
            if m is None or m.start(group) < 0 or _excluded(unless, sentences, m.start(), m.end()):
                continue
            yield Match(m.start(group), m.end(group), tuple(m.expand(t) for t in templates))

    return match


TokenTest = Callable[[Token, int], bool]

_SHAPES: dict[str, Callable[[str], bool]] = {
    "lower": lambda t: t[:1].islower(),
    "title": lambda t: t[:1].isupper() and (len(t) == 1 or not t[1:].isupper()),
    "upper": lambda t: t.isupper(),
    "word": lambda t: t[:1].isalnum(),
    "number": lambda t: t[:1].isdigit(),
    "punct": lambda t: not t[:1].isalnum(),
}


def _in_set(allowed: frozenset[str], norm: Callable[[str], str]) -> TokenTest:
    return lambda token, _: norm(token.text) in allowed


def _shape(test: Callable[[str], bool]) -> TokenTest:
    return lambda token, _: test(token.text)


def _full_regex(pattern: Pattern) -> TokenTest:
    return lambda token, _: pattern.fullmatch(token.text) is not None


def _position(not_first: bool) -> TokenTest:
    return lambda _, position: (position > 0) == not_first


def _token_test(item: Any, ctx: Context, index: int) -> TokenTest:
    key = f"tokens[{index}]"
    if not isinstance(item, Mapping) or not item:
        raise ctx.error(key, "each token must be a mapping such as {lower: its}")
    tests: list[TokenTest] = []
    for name, value in item.items():
        values = [str(value)] if isinstance(value, (str, bool)) else [str(v) for v in value]
        if name == "text":
            tests.append(_in_set(frozenset(values), str))
        elif name == "lower":
            tests.append(_in_set(frozenset(v.lower() for v in values), str.lower))
        elif name == "shape":
            if value not in _SHAPES:
                raise ctx.error(f"{key}.shape", f"unknown shape {value!r} ({', '.join(_SHAPES)})")
            tests.append(_shape(_SHAPES[value]))
        elif name == "regex":
            tests.append(_full_regex(regex.compile(str(value))))
        elif name == "not_first":
            tests.append(_position(bool(value)))
        else:
            raise ctx.error(key, f"unknown token test {name!r} (text, lower, shape, regex, not_first)")
    return lambda token, position: all(test(token, position) for test in tests)


def _required_words(item: Any) -> Pattern | None:
    """A pattern that must match somewhere in a text for a token with this ``text``/``lower`` test to occur in it."""
    if not isinstance(item, Mapping):
        return None
    for key, flags in (("text", 0), ("lower", regex.IGNORECASE)):
        value = item.get(key)
        if value is not None:
            words = [str(value)] if isinstance(value, (str, bool)) else [str(v) for v in value]
            return regex.compile("|".join(regex.escape(w) for w in words), flags)
    return None


def _sequence_matcher(spec: Mapping[str, Any], ctx: Context) -> Matcher:
    items = spec.get("tokens")
    if not isinstance(items, list) or not items:
        raise ctx.error("tokens", "must be a non-empty list of token tests")
    tests = [_token_test(item, ctx, i) for i, item in enumerate(items)]
    mark = spec.get("mark", [0, len(tests) - 1])
    if not (isinstance(mark, list) and len(mark) == 2 and 0 <= mark[0] <= mark[1] < len(tests)):
        raise ctx.error("mark", "must be [first, last] token indexes inside the sequence")
    templates = ctx.str_list(spec, "suggestions", required=False)
    try_format(templates, ctx, "suggestions", **{f"t{j}": "" for j in range(len(tests))})

    # the most selective test (a word list) is tried first, so most windows cost one call
    anchor = next((j for j, item in enumerate(items) if isinstance(item, Mapping) and ("text" in item or "lower" in item)), 0)
    anchor_test = tests[anchor]
    required = _required_words(items[anchor])

    def match(text: str) -> Iterator[Match]:
        if required is not None and required.search(text) is None:
            return  # none of the anchor's words occurs: no need to tokenise
        tokens = tokenize(text)  # the same tokeniser as sentences use
        for i in range(len(tokens) - len(tests) + 1):
            if not anchor_test(tokens[i + anchor], i + anchor):
                continue
            window = tokens[i : i + len(tests)]
            if all(test(tok, i + j) for j, (test, tok) in enumerate(zip(tests, window))):
                first, last = window[mark[0]], window[mark[1]]
                words = {f"t{j}": tok.text for j, tok in enumerate(window)}
                yield Match(first.start, last.end, tuple(t.format(**words) for t in templates))

    return match


BUILDERS: dict[str, Callable[[Mapping[str, Any], Context], Matcher]] = {
    "phrase": _phrase_matcher,
    "substitution": _substitution_matcher,
    "regex": _regex_matcher,
    "sequence": _sequence_matcher,
}
