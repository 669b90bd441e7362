"""YAML rule packs: loading, validation and the four data-driven rule kinds.

A pack is a YAML file with ``pack`` (a name), optional ``description`` and a list of ``rules``.
Each rule has ``id``, ``kind`` (phrase, substitution, regex, sequence), ``category`` (an MQM
path), ``severity``, ``message``, ``scope`` (title, body, text, sentence), optional
``suggestions`` and ``examples`` (``flag`` and ``pass`` lists of text).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import regex

from qa.errors import ConfigError
from qa.model import Field, Issue, Severity
from qa.quotes import quoted, widened, without_unmatched
from qa.text import Document, Token, tokenize

SCOPES = ("title", "body", "text", "sentence")
MAX_FINDINGS_PER_RULE = 200  # per article: hostile floods (". " × 500,000) must not turn into 500,000 findings
KINDS = ("phrase", "substitution", "regex", "sequence")
Pattern: TypeAlias = "re.Pattern[str] | regex.Pattern[str]"
ENGINES = ("regex", "re")  # a regex rule's engine: the regex module (\p{..}, scoped flags) or the standard library's


@dataclass(frozen=True)
class Match:
    """Where a rule matched inside one piece of text, and what it suggests there."""

    start: int
    end: int
    suggestions: tuple[str, ...] = ()


Matcher = Callable[[str], Iterator[Match]]


@dataclass(frozen=True)
class Examples:
    """Text a rule must flag and text it must leave alone."""

    flag: tuple[str, ...]
    ok: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    """A data-driven rule compiled from YAML."""

    id: str
    kind: str
    category: str
    severity: Severity
    message: str
    scope: str
    examples: Examples
    matcher: Matcher = field(repr=False, compare=False)
    pack: str = ""
    confidence: float = 0.9
    description: str = ""
    swap: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # substitution rules: wrong → meant

    def run(self, doc: Document) -> Iterator[Issue]:
        """Apply the rule to a segmented article (the engine keeps the first MAX_FINDINGS_PER_RULE findings)."""
        # A matcher depends on its text alone, so a sentence repeated in an article (a flood of "a." lines) is
        # matched once; the matches are shifted to each copy's offset.
        if self.scope == "sentence":
            found = {text: matches for text in doc.sentence_texts if (matches := list(self.matcher(text)))}
            if found:
                for sentence in doc.sentences:
                    for m in found.get(sentence.text, ()):
                        yield self._issue(doc, sentence.field, sentence.start, sentence.text, m)
            return
        for name, offset, text in _scoped_texts(doc, self.scope):
            for m in self.matcher(text):
                yield self._issue(doc, name, offset, text, m)

    def _issue(self, doc: Document, name: Field, offset: int, text: str, m: Match) -> Issue:
        # a match that cuts a quotation in two ("backtrack” against") takes in the partner mark beside it
        left, right = widened(text, m.start, m.end)
        start, end = offset + left, offset + right
        before, after = text[left : m.start], text[m.end : right]
        return Issue(
            rule=self.id,
            category=self.category,
            severity=self.severity,
            message=message(self.message, text[left:right]),
            field=name,
            start=start,
            end=end,
            text=doc.article.text(name)[start:end],
            suggestions=tuple(dict.fromkeys(without_unmatched(before + s + after) for s in m.suggestions)),
            confidence=self.confidence,
            checker="rules",
        )


def message(template: str, match: str) -> str:
    """A rule's message for one match; ``“{match}”`` quotes it once, however many quotation marks it holds."""
    return template.replace("“{match}”", "{quoted}").format(match=match, quoted=quoted(match))


def capped(findings: Iterator[Issue]) -> Iterator[Issue]:
    """The first MAX_FINDINGS_PER_RULE findings of one rule on one article; the rest are not even looked for."""
    return itertools.islice(findings, MAX_FINDINGS_PER_RULE)


def _scoped_texts(doc: Document, scope: str) -> Iterator[tuple[Field, int, str]]:
    fields: dict[str, tuple[Field, ...]] = {"title": ("title",), "body": ("body",)}
    for name in fields.get(scope, ("title", "body")):
        yield name, 0, doc.article.text(name)


@dataclass(frozen=True)
class RulePack:
    """The rules of one YAML file and the hash of its content (for the report signature)."""

    name: str
    path: str
    digest: str
    rules: tuple[Rule, ...]


# ---------------------------------------------------------------- matchers, one per kind


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


def _phrase_matcher(spec: Mapping[str, Any], ctx: _Ctx) -> Matcher:
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


def swap_table(spec: Mapping[str, Any], ctx: _Ctx) -> dict[str, tuple[str, ...]]:
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


def _substitution_matcher(spec: Mapping[str, Any], ctx: _Ctx) -> Matcher:
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


def _regex_matcher(spec: Mapping[str, Any], ctx: _Ctx) -> Matcher:
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


def _token_test(item: Any, ctx: _Ctx, index: int) -> TokenTest:
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


def _sequence_matcher(spec: Mapping[str, Any], ctx: _Ctx) -> Matcher:
    items = spec.get("tokens")
    if not isinstance(items, list) or not items:
        raise ctx.error("tokens", "must be a non-empty list of token tests")
    tests = [_token_test(item, ctx, i) for i, item in enumerate(items)]
    mark = spec.get("mark", [0, len(tests) - 1])
    if not (isinstance(mark, list) and len(mark) == 2 and 0 <= mark[0] <= mark[1] < len(tests)):
        raise ctx.error("mark", "must be [first, last] token indexes inside the sequence")
    templates = ctx.str_list(spec, "suggestions", required=False)
    _try_format(templates, ctx, "suggestions", **{f"t{j}": "" for j in range(len(tests))})

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


_BUILDERS: dict[str, Callable[[Mapping[str, Any], _Ctx], Matcher]] = {
    "phrase": _phrase_matcher,
    "substitution": _substitution_matcher,
    "regex": _regex_matcher,
    "sequence": _sequence_matcher,
}


# ---------------------------------------------------------------- loading and validation


@dataclass
class _Ctx:
    """Validation helpers that name the file and rule in every error."""

    source: str
    rule: str | None = None

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.source, message, rule=self.rule, key=key)

    def str_list(self, spec: Mapping[str, Any], key: str, required: bool = True) -> list[str]:
        value = spec.get(key)
        if value is None and not required:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a non-empty list of text")
        return value

    def choice(self, spec: Mapping[str, Any], key: str, options: Sequence[str], default: str) -> str:
        value = spec.get(key, default)
        if value not in options:
            raise self.error(key, f"must be one of {', '.join(options)}, not {value!r}")
        return str(value)

    def compile(self, spec: Mapping[str, Any], key: str, flags: int = 0, engine: str = "regex") -> Pattern:
        value = spec.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "must be a regular expression")
        try:
            return re.compile(value, flags) if engine == "re" else regex.compile(value, flags)
        except (re.error, regex.error) as exc:
            raise self.error(key, f"invalid regular expression for the {engine} engine: {exc}") from None

    def optional_regex(self, spec: Mapping[str, Any], key: str) -> Pattern | None:
        return self.compile(spec, key) if key in spec else None


_COMMON_KEYS = frozenset({"id", "kind", "category", "severity", "message", "scope", "examples", "description", "confidence"})
_KIND_KEYS: dict[str, frozenset[str]] = {  # what each kind of rule reads beyond the common keys
    "phrase": frozenset({"phrases", "case", "suggestions", "unless"}),
    "substitution": frozenset({"swap", "case", "unless"}),
    "regex": frozenset({"pattern", "flags", "engine", "group", "suggestions", "whole_text", "unless"}),
    "sequence": frozenset({"tokens", "mark", "suggestions"}),
}


def _examples(spec: Mapping[str, Any], ctx: _Ctx) -> Examples:
    raw = spec.get("examples")
    if not isinstance(raw, Mapping) or not raw.get("flag") or not raw.get("pass"):
        raise ctx.error("examples", "every rule needs examples with a 'flag' and a 'pass' list")
    return Examples(tuple(ctx.str_list(raw, "flag")), tuple(ctx.str_list(raw, "pass")))


def _try_format(templates: Sequence[str], ctx: _Ctx, key: str, **names: str) -> None:
    """Fail at load time, naming the field, when a template uses a placeholder it will not get."""
    for template in templates:
        try:
            template.format(**names)
        except (KeyError, IndexError, ValueError) as exc:
            known = ", ".join("{" + n + "}" for n in names)
            raise ctx.error(key, f"{template!r} has a placeholder it will not get ({exc}); it may use {known}") from None


def build_rule(spec: Any, ctx: _Ctx, pack: str) -> Rule:
    """Validate one rule mapping and compile its matcher."""
    if not isinstance(spec, Mapping):
        raise ctx.error("rules", "each rule must be a mapping")
    rule_id = spec.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise ctx.error("id", "every rule needs an 'id'")
    ctx.rule = rule_id
    kind = ctx.choice(spec, "kind", KINDS, "")
    unknown = sorted(set(spec) - _COMMON_KEYS - _KIND_KEYS[kind])
    if unknown:
        takes = ", ".join(sorted(_KIND_KEYS[kind]))
        raise ctx.error(unknown[0], f"unknown field for a {kind} rule (besides the common fields it takes {takes})")
    for key in ("category", "message"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise ctx.error(key, "is required and must be text")
    try:
        severity = Severity.parse(str(spec.get("severity", "")))
    except ValueError as exc:
        raise ctx.error("severity", str(exc)) from None
    _try_format([spec["message"]], ctx, "message", match="")
    confidence = spec.get("confidence", 0.9)
    if not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
        raise ctx.error("confidence", "must be a number from 0 to 1")
    return Rule(
        id=rule_id,
        kind=kind,
        category=spec["category"],
        severity=severity,
        message=spec["message"].strip(),
        scope=ctx.choice(spec, "scope", SCOPES, "text"),
        examples=_examples(spec, ctx),
        matcher=_BUILDERS[kind](spec, ctx),
        pack=pack,
        confidence=float(confidence),
        description=str(spec.get("description", "")).strip(),
        swap=swap_table(spec, ctx) if kind == "substitution" else {},
    )


def load_pack(path: Path) -> RulePack:
    """Read and compile one YAML rule pack; errors name the file, rule and field."""
    from qa.config import at_line, read_yaml

    source = str(path)
    data = read_yaml(path, "rule pack")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    ctx = _Ctx(source)
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise ctx.error("rules", "a rule pack is a mapping with a 'rules' list")
    name = str(data.get("pack") or path.stem)
    rules = []
    for index, spec in enumerate(data["rules"]):
        try:
            rules.append(build_rule(spec, _Ctx(source), name))
        except ConfigError as exc:
            raise at_line(exc, path, f"rules.{index}") from None
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ConfigError(source, "duplicate rule id", rule=rule.id, key="id")
        seen.add(rule.id)
    return RulePack(name, source, digest, tuple(rules))


def load_packs(paths: Sequence[Path]) -> tuple[RulePack, ...]:
    """Load rule packs from files and folders (every ``*.yml``/``*.yaml`` inside a folder)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            files.append(path)
    packs = tuple(load_pack(p) for p in files)
    owners: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in owners:
                raise ConfigError(pack.path, f"rule id also defined in {owners[rule.id]}", rule=rule.id, key="id")
            owners[rule.id] = pack.path
    return packs
