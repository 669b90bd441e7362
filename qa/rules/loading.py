"""Loading YAML rule packs: validate each rule, compile its matcher, refuse duplicate ids."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.model import Examples, Severity
from qa.rules.matchers import BUILDERS, swap_table
from qa.rules.types import KINDS, SCOPES, Rule, RulePack
from qa.rules.validation import Context, try_format

_COMMON_KEYS = frozenset({"id", "kind", "category", "severity", "message", "scope", "examples", "description", "confidence"})
_KIND_KEYS: dict[str, frozenset[str]] = {  # what each kind of rule reads beyond the common keys
    "phrase": frozenset({"phrases", "case", "suggestions", "unless"}),
    "substitution": frozenset({"swap", "case", "unless"}),
    "regex": frozenset({"pattern", "flags", "engine", "group", "suggestions", "whole_text", "unless"}),
    "sequence": frozenset({"tokens", "mark", "suggestions"}),
}


def _examples(spec: Mapping[str, Any], ctx: Context) -> Examples:
    raw = spec.get("examples")
    if not isinstance(raw, Mapping) or not raw.get("flag") or not raw.get("pass"):
        raise ctx.error("examples", "every rule needs examples with a 'flag' and a 'pass' list")
    return Examples(tuple(ctx.str_list(raw, "flag")), tuple(ctx.str_list(raw, "pass")))


def build_rule(spec: Any, ctx: Context, pack: str) -> Rule:
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
    try_format([spec["message"]], ctx, "message", match="")
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
        matcher=BUILDERS[kind](spec, ctx),
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
    ctx = Context(source)
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list):
        raise ctx.error("rules", "a rule pack is a mapping with a 'rules' list")
    name = str(data.get("pack") or path.stem)
    rules = []
    for index, spec in enumerate(data["rules"]):
        try:
            rules.append(build_rule(spec, Context(source), name))
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
