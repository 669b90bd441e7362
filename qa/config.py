"""Project configuration: ``qa.yml`` found upward from the working directory, or ``--config``.

```yaml
rules:
  packs: [newsroom-rules/]      # extra packs, relative to this file
  disable: [spelling., style.]  # rule ids switched off, by prefix
  severity: {punctuation.: info}  # re-grade rules by id prefix
thresholds: {review: 1.0, reject: 5.0}   # penalty points per 100 words
max_article_chars: 200000
embeddings: {enabled: true, model: null}  # checker sections are passed to the checker as-is
languagetool: {mode: auto}
lm: {enabled: false}   # the language-model check (off by default)
learned: {enabled: true}  # the trained damage tagger (default: on whenever embeddings are)
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qa.errors import ConfigError
from qa.model import Severity
from qa.resources import rules_dir

CONFIG_NAMES = ("qa.yml", "qa.yaml", ".qa.yml")
PRECISIONS = ("auto", "float32", "bfloat16")  # model precisions the embeddings and lm checkers accept


@dataclass(frozen=True)
class Thresholds:
    """Penalty per 100 words at which an article needs review, and at which it is rejected."""

    review: float = 1.0
    reject: float = 5.0


@dataclass(frozen=True)
class Config:
    """Every setting of a run, as a value (the engine keeps no global state)."""

    rule_paths: tuple[Path, ...] = field(default_factory=lambda: (rules_dir(),))
    disable: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    max_article_chars: int = 200_000
    embeddings: bool = True
    languagetool: str = "auto"
    lm: bool = False
    learned: bool | None = None  # None: on when the embeddings are (the tagger reads with the same model)
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str | None = None

    @property
    def learned_on(self) -> bool:
        """Whether the learned tagger runs: as set, else whenever the embedding model is in use."""
        return self.embeddings if self.learned is None else self.learned

    def section(self, name: str) -> Mapping[str, Any]:
        """The raw settings of one checker's section (``embeddings``, ``languagetool``, …)."""
        return self.sections.get(name, {})

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


def _number(source: str, data: Mapping[str, Any], key: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(source, "must be a number of at least 0", key=key)
    return float(value)


def section_items(settings: type, section: Mapping[str, Any], name: str, source: str) -> Iterator[tuple[str, Any, str]]:
    """The settings a checker's config section gives, as (field, value, ``name.field``) for a settings dataclass.

    A key the dataclass does not have (besides ``enabled``) is an error naming it; unset and null
    keys are left to the dataclass defaults.
    """
    known = {f.name for f in dataclasses.fields(settings)} | {"enabled"}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(source, f"unknown setting (known: {', '.join(sorted(known))})", key=f"{name}.{unknown[0]}")
    for f in dataclasses.fields(settings):
        if section.get(f.name) is not None:
            yield f.name, section[f.name], f"{name}.{f.name}"


def require_whole(value: Any, source: str, key: str) -> int:
    """A whole number of at least 1, or an error naming the key."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(source, "must be a whole number of at least 1", key=key)
    return value


def require_choice(value: Any, choices: Sequence[str], source: str, key: str) -> str:
    """One of ``choices``, or an error naming the key."""
    if value not in choices:
        raise ConfigError(source, f"must be {', '.join(choices[:-1])} or {choices[-1]}", key=key)
    return str(value)


def _switch(source: str, section: Mapping[str, Any], name: str, default: bool | None) -> Any:
    value = section.get("enabled", default)
    if value is not default and not isinstance(value, bool):
        raise ConfigError(source, "must be true or false", key=f"{name}.enabled")
    return value


def _languagetool_mode(source: str, section: Mapping[str, Any]) -> str:
    """``auto``, ``off``, ``local`` or a server URL (``mode``, else ``url``); YAML's bare off is False."""
    value = section.get("mode", section.get("url", "auto"))
    if value is False:
        return "off"
    if not isinstance(value, str) or not (value in ("auto", "off", "local") or value.startswith(("http://", "https://"))):
        raise ConfigError(source, "must be auto, off, local or an http(s) URL", key="languagetool.mode")
    return value


def read_yaml(path: Path, what: str) -> Any:
    """A YAML file's data (``{}`` when empty); unreadable or invalid files are a ConfigError naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(str(path), f"cannot read {what}: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"not valid YAML: {exc}") from None


def load_config(path: Path | None) -> Config:
    """Read a config file (or return the defaults for ``None``); errors name the file and field."""
    if path is None:
        return Config()
    source = str(path)
    data = read_yaml(path, "config")
    if not isinstance(data, Mapping):
        raise ConfigError(source, "the config must be a mapping")
    known = {"rules", "thresholds", "max_article_chars", "embeddings", "languagetool", "lm", "learned"}
    unknown = sorted(set(data) - known - {"sections"})
    if unknown:
        raise ConfigError(source, f"unknown setting (known: {', '.join(sorted(known))})", key=unknown[0])

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
        review=_number(source, limits, "review", Thresholds.review),
        reject=_number(source, limits, "reject", Thresholds.reject),
    )
    if thresholds.review > thresholds.reject:
        raise ConfigError(source, "review must not be above reject", key="thresholds")

    sections: dict[str, Mapping[str, Any]] = {}
    for name in ("embeddings", "languagetool", "lm", "learned"):
        value = data.get(name) or {}
        if not isinstance(value, Mapping):
            raise ConfigError(source, "must be a mapping", key=name)
        sections[name] = value
    return Config(
        rule_paths=(rules_dir(), *extra_paths),
        disable=tuple(disable),
        severity=severity,
        thresholds=thresholds,
        max_article_chars=int(_number(source, data, "max_article_chars", Config.max_article_chars)),
        embeddings=_switch(source, sections["embeddings"], "embeddings", default=True),
        languagetool=_languagetool_mode(source, sections["languagetool"]),
        lm=_switch(source, sections["lm"], "lm", default=False),
        learned=_switch(source, sections["learned"], "learned", default=None),
        sections=sections,
        source=source,
    )
