"""Project configuration: ``qa.yml`` found upward from the working directory, or ``--config``.

```yaml
rules:
  packs: [newsroom-rules/]      # extra packs, relative to this file
  disable: [spelling., style.]  # rule ids switched off, by prefix
  severity: {punctuation.: info}  # re-grade rules by id prefix
thresholds: {review: 1.0, reject: 5.0}   # penalty points per 100 words
max_article_chars: 200000
max_article_seconds: 60   # time budget per article; an article over it is reported as not fully checked
http_timeout: 30   # seconds one http(s) input may take to fetch in all (connect, redirects, body)
embeddings: {enabled: true, model: null}  # one section per checker family (qa.registry), read by its settings
languagetool: {mode: auto}
lm: {enabled: false}   # the language-model check (off by default)
learned: {enabled: true}  # the trained damage tagger (default: on whenever embeddings are)
```

``enabled`` switches a family on or off; the rest of its section is kept as read, and the
registry types it with the family's settings class (``qa.registry.configure``), once per run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qa.errors import ConfigError
from qa.model import Severity, Thresholds
from qa.resources import rules_dir

CONFIG_NAMES = ("qa.yml", "qa.yaml", ".qa.yml")
TOP_LEVEL = ("rules", "thresholds", "max_article_chars", "max_article_seconds", "http_timeout")


@dataclass(frozen=True)
class Config:
    """Every setting of a run, as a value (the engine keeps no global state)."""

    rule_paths: tuple[Path, ...] = field(default_factory=lambda: (rules_dir(),))
    disable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    max_article_chars: int = 200_000
    max_article_seconds: float = 60.0
    http_timeout: float = 30.0  # seconds to fetch one http(s) input
    switches: Mapping[str, bool] = field(default_factory=dict)  # checker families switched on or off; unset: default
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # each family's raw section, minus enabled
    source: str | None = None

    def section(self, name: str) -> Mapping[str, Any]:
        """The raw settings of one checker family's section (``embeddings``, ``languagetool``, …)."""
        return self.sections.get(name, {})

    def switched(self, **on: bool) -> Config:
        """A copy with checker families switched on or off by name (``switched(embeddings=False)``)."""
        return dataclasses.replace(self, switches={**self.switches, **on})

    def with_section(self, name: str, **values: Any) -> Config:
        """A copy with keys of one family's section set."""
        return dataclasses.replace(self, sections={**self.sections, name: {**self.section(name), **values}})

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (command-line options override the file)."""
        return dataclasses.replace(self, **changes)

    def is_enabled(self, rule_id: str) -> bool:
        """False when the rule id starts with a prefix the config disables."""
        return not any(rule_id.startswith(prefix) for prefix in self.disable)

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The re-graded severity of a rule (longest matching prefix wins)."""
        matches = [p for p in self.severity if rule_id.startswith(p)]
        return self.severity[max(matches, key=len)] if matches else default


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start`` or a parent folder."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def _number(source: str, data: Mapping[str, Any], key: str, default: float, section: str = "") -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(source, "must be a number of at least 0", key=f"{section}.{key}" if section else key)
    return float(value)


def http_timeout(source: str, data: Mapping[str, Any]) -> float:
    """The ``http_timeout`` setting: a number of seconds above 0."""
    value = _number(source, data, "http_timeout", Config.http_timeout)
    if value <= 0:
        raise ConfigError(source, "must be a number of seconds above 0", key="http_timeout")
    return value


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML was built with it: 5-10x faster


def read_yaml(path: Path, what: str) -> Any:
    """A YAML file's data (``{}`` when empty); unreadable or invalid files are a ConfigError naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), f"not valid YAML: not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_SAFE_LOADER) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        context = f" ({exc.context} from line {exc.context_mark.line + 1})" if exc.context and exc.context_mark else ""
        raise ConfigError(where, f"not valid YAML: {exc.problem or exc.context}{context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from None


def key_line(path: Path, dotted: str) -> int | None:
    """The line (from 1) of a dotted key (``thresholds.review``, ``rules.2.pattern``) in a YAML file, or of as much
    of it as the file has; None when the file cannot be read again."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line, rest = None, dotted
    while node is not None and rest:
        found = None
        if isinstance(node, yaml.MappingNode):  # the longest key that starts the rest ("rules.severity.lexicon.")
            keys = [(str(k.value), k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            fits = [(name, k, v) for name, k, v in keys if rest == name or rest.startswith(name + ".")]
            if fits:
                name, key, found = max(fits, key=lambda fit: len(fit[0]))
                line, rest = key.start_mark.line + 1, rest[len(name) + 1 :]
        elif isinstance(node, yaml.SequenceNode):
            index, _, after = rest.partition(".")
            if index.isdigit() and int(index) < len(node.value):
                found = node.value[int(index)]
                line, rest = found.start_mark.line + 1, after
        node = found
    return line


def at_line(exc: ConfigError, path: Path, prefix: str = "") -> ConfigError:
    """The error with its file's line of the key (``prefix.key``) added to the source: ``qa.yml:3``."""
    if exc.source != str(path):
        return exc
    line = key_line(path, f"{prefix}.{exc.key}" if prefix and exc.key else prefix or exc.key or "")
    if line is None:
        return exc
    return ConfigError(f"{exc.source}:{line}", exc.reason, exc.rule, exc.key)


def family_sections(source: str, data: Mapping[str, Any]) -> tuple[dict[str, bool], dict[str, Mapping[str, Any]]]:
    """Each checker family's switch (``enabled``) and raw section: every key beyond the top-level settings."""
    switches: dict[str, bool] = {}
    sections: dict[str, Mapping[str, Any]] = {}
    for name in sorted(set(data) - set(TOP_LEVEL), key=str):
        value = data[name] or {}
        if not isinstance(value, Mapping):
            known = ", ".join(sorted(TOP_LEVEL))
            raise ConfigError(source, f"unknown setting (known: {known}, or a checker family's section: a mapping)", key=str(name))
        if "enabled" in value:
            if not isinstance(value["enabled"], bool):
                raise ConfigError(source, "must be true or false", key=f"{name}.enabled")
            switches[str(name)] = value["enabled"]
        sections[str(name)] = {k: v for k, v in value.items() if k != "enabled"}
    return switches, sections


def load_config(path: Path | None) -> Config:
    """Read a config file (or return the defaults for ``None``); errors name the file, line and dotted key."""
    if path is None:
        return Config()
    data = read_yaml(path, "config")
    try:
        return _config(path, data)
    except ConfigError as exc:
        raise at_line(exc, path) from None


def _config(path: Path, data: Any) -> Config:
    """The config a file's data says (``load_config`` adds the line to an error)."""
    source = str(path)
    if not isinstance(data, Mapping):
        raise ConfigError(source, "the config must be a mapping")
    rules = data.get("rules") or {}
    if not isinstance(rules, Mapping):
        raise ConfigError(source, "must be a mapping", key="rules")
    packs = rules.get("packs") or []
    disable = rules.get("disable") or []
    regrade = rules.get("severity") or {}
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs):
        raise ConfigError(source, "must be a list of paths", key="rules.packs")
    if not isinstance(disable, list) or not all(isinstance(p, str) for p in disable):
        raise ConfigError(source, "must be a list of rule id prefixes", key="rules.disable")
    if not isinstance(regrade, Mapping):
        raise ConfigError(source, "must map rule id prefixes to severities", key="rules.severity")
    severity: dict[str, Severity] = {}
    for prefix, name in regrade.items():
        try:
            severity[str(prefix)] = Severity.parse(str(name))
        except ValueError as exc:
            raise ConfigError(source, str(exc), key=f"rules.severity.{prefix}") from None
    extra_paths = []
    for pack in packs:
        pack_path = (path.parent / pack).resolve()
        if not pack_path.exists():
            raise ConfigError(source, f"rule pack {pack!r} does not exist", key="rules.packs")
        extra_paths.append(pack_path)

    limits = data.get("thresholds") or {}
    if not isinstance(limits, Mapping):
        raise ConfigError(source, "must be a mapping with review and reject", key="thresholds")
    thresholds = Thresholds(
        review=_number(source, limits, "review", Thresholds.review, "thresholds"),
        reject=_number(source, limits, "reject", Thresholds.reject, "thresholds"),
    )
    if thresholds.review > thresholds.reject:
        raise ConfigError(source, "review must not be above reject", key="thresholds")

    switches, sections = family_sections(source, data)
    return Config(
        rule_paths=(rules_dir(), *extra_paths),
        disable=tuple(disable),
        severity=severity,
        thresholds=thresholds,
        max_article_chars=int(_number(source, data, "max_article_chars", Config.max_article_chars)),
        max_article_seconds=float(_number(source, data, "max_article_seconds", Config.max_article_seconds)),
        http_timeout=http_timeout(source, data),
        switches=switches,
        sections=sections,
        source=source,
    )
