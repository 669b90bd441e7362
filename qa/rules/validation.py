"""Reading a rule's YAML mapping: typed getters whose errors name the file, rule and field."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from qa.errors import ConfigError
from qa.rules.types import Pattern


@dataclass
class Context:
    """Validation helpers that name the file and rule in every error."""

    source: str
    rule: str | None = None

    def error(self, key: str, message: str) -> ConfigError:
        """The error for ``key`` of the current rule."""
        return ConfigError(self.source, message, rule=self.rule, key=key)

    def str_list(self, spec: Mapping[str, Any], key: str, required: bool = True) -> list[str]:
        """``key`` as a non-empty list of text (one text counts as a list of one)."""
        value = spec.get(key)
        if value is None and not required:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, "must be a non-empty list of text")
        return value

    def choice(self, spec: Mapping[str, Any], key: str, options: Sequence[str], default: str) -> str:
        """``key`` as one of ``options``, ``default`` when absent."""
        value = spec.get(key, default)
        if value not in options:
            raise self.error(key, f"must be one of {', '.join(options)}, not {value!r}")
        return str(value)

    def compile(self, spec: Mapping[str, Any], key: str, flags: int = 0, engine: str = "regex") -> Pattern:
        """``key`` compiled as a regular expression by ``engine`` (regex or re)."""
        value = spec.get(key)
        if not isinstance(value, str) or not value:
            raise self.error(key, "must be a regular expression")
        try:
            return re.compile(value, flags) if engine == "re" else regex.compile(value, flags)
        except (re.error, regex.error) as exc:
            raise self.error(key, f"invalid regular expression for the {engine} engine: {exc}") from None

    def optional_regex(self, spec: Mapping[str, Any], key: str) -> Pattern | None:
        """``key`` compiled by the regex module, None when absent."""
        return self.compile(spec, key) if key in spec else None


def try_format(templates: Sequence[str], ctx: Context, key: str, **names: str) -> None:
    """Fail at load time, naming the field, when a template uses a placeholder it will not get."""
    for template in templates:
        try:
            template.format(**names)
        except (KeyError, IndexError, ValueError) as exc:
            known = ", ".join("{" + n + "}" for n in names)
            raise ctx.error(key, f"{template!r} has a placeholder it will not get ({exc}); it may use {known}") from None
