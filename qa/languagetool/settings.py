"""The ``languagetool:`` section of the config file, read into a typed value.

```yaml
languagetool:
  mode: auto                 # auto | off | local | a server URL (also --languagetool, QA_LANGUAGETOOL)
  url: http://lt.newsroom:8081   # the server ``auto`` tries first
  language: en-US
  connect_timeout: 2         # seconds to reach the server
  timeout: 20                # seconds per article, whole request included
  workers: 2                 # articles checked in parallel
  max_failures: 3            # failed articles in a row before the server is given up
  max_suggestions: 3
  proper_nouns: true         # names in the article are not spelling mistakes
  local: true                # auto may start a cached local LanguageTool (Java + language-tool-python)
  disable_rules: [EN_QUOTES] # LanguageTool rule ids, on top of the news-copy defaults
  enable_rules: [DASH_RULE]  # switch a default-off rule back on
  disable_categories: [STYLE]
  enable_categories: [PLAIN_ENGLISH]
```

Findings are ``languagetool.<CATEGORY>.<RULE_ID>``, so ``rules.disable`` and ``rules.severity``
prefixes (``languagetool.TYPOS.``) switch off and re-grade them like any other rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.errors import ConfigError
from qa.languagetool.filters import DEFAULT_DISABLED_CATEGORIES, DEFAULT_DISABLED_RULES

DEFAULT_URL = "http://localhost:8081"  # the port LanguageTool's own HTTP server listens on by default


@dataclass(frozen=True)
class Settings:
    """Every LanguageTool setting of a run, validated."""

    mode: str = "auto"  # auto | off | local | a server URL
    url: str | None = None
    language: str = "en-US"
    connect_timeout: float = 2.0
    timeout: float = 20.0
    workers: int = 2
    max_failures: int = 3
    max_suggestions: int = 3
    proper_nouns: bool = True
    local: bool = True
    disabled_rules: frozenset[str] = DEFAULT_DISABLED_RULES
    disabled_categories: frozenset[str] = DEFAULT_DISABLED_CATEGORIES
    asked: bool = False  # mode or url set (qa.yml, --languagetool, QA_LANGUAGETOOL): a skip is then worth a line

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Settings:
        """Validate the family's raw section (errors name ``source`` and the key)."""
        return read_settings(section, source, name)

    def request_params(self) -> dict[str, str]:
        """The ``/v2/check`` form fields every request carries (besides the text)."""
        params = {"language": self.language}
        if self.disabled_rules:
            params["disabledRules"] = ",".join(sorted(self.disabled_rules))
        if self.disabled_categories:
            params["disabledCategories"] = ",".join(sorted(self.disabled_categories))
        return params


def _ids(source: str, name: str, data: Mapping[str, Any], key: str) -> frozenset[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(source, "must be a list of LanguageTool ids", key=f"{name}.{key}")
    return frozenset(v.strip() for v in value)


def _positive(source: str, name: str, data: Mapping[str, Any], key: str, default: float) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(source, "must be a number above 0", key=f"{name}.{key}")
    return float(value)


def _flag(source: str, name: str, data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(source, "must be true or false", key=f"{name}.{key}")
    return value


def _mode(source: str, name: str, section: Mapping[str, Any]) -> str:
    """``auto``, ``off``, ``local`` or a server URL (``mode``, else ``url``); YAML's bare off is False."""
    value = section.get("mode", section.get("url", "auto"))
    if value is False:
        return "off"
    if isinstance(value, str):
        value = value.strip() or "auto"
    if not isinstance(value, str) or not (value.lower() in ("auto", "off", "local") or value.startswith(("http://", "https://"))):
        raise ConfigError(source, "must be auto, off, local or an http(s) URL", key=f"{name}.mode")
    return value


def read_settings(section: Mapping[str, Any], source: str, name: str) -> Settings:
    """Validate the raw section of the family called ``name`` (``languagetool:``)."""
    known = {
        "mode", "url", "language", "connect_timeout", "timeout", "workers", "max_failures",
        "max_suggestions", "proper_nouns", "local", "disable_rules", "enable_rules",
        "disable_categories", "enable_categories",
    }
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(source, f"unknown setting (known: {', '.join(sorted(known))})", key=f"{name}.{unknown[0]}")
    url = section.get("url")
    if url is not None and not isinstance(url, str):
        raise ConfigError(source, "must be a URL", key=f"{name}.url")
    language = section.get("language", Settings.language)
    if not isinstance(language, str) or not language.strip():
        raise ConfigError(source, "must be a language code such as en-US", key=f"{name}.language")
    rules = (DEFAULT_DISABLED_RULES | _ids(source, name, section, "disable_rules")) - _ids(source, name, section, "enable_rules")
    categories = (DEFAULT_DISABLED_CATEGORIES | _ids(source, name, section, "disable_categories")) - _ids(
        source, name, section, "enable_categories"
    )
    return Settings(
        mode=_mode(source, name, section),
        url=url,
        language=language.strip(),
        connect_timeout=_positive(source, name, section, "connect_timeout", Settings.connect_timeout),
        timeout=_positive(source, name, section, "timeout", Settings.timeout),
        workers=max(1, int(_positive(source, name, section, "workers", Settings.workers))),
        max_failures=max(1, int(_positive(source, name, section, "max_failures", Settings.max_failures))),
        max_suggestions=int(_positive(source, name, section, "max_suggestions", Settings.max_suggestions)),
        proper_nouns=_flag(source, name, section, "proper_nouns", Settings.proper_nouns),
        local=_flag(source, name, section, "local", Settings.local),
        disabled_rules=frozenset(rules),
        disabled_categories=frozenset(categories),
        asked=bool({"mode", "url"} & section.keys()),
    )
