"""A checker family's config section read into its typed settings, each key's kind given as data.

```python
return read_section(cls, section, name, source, {"model": text("a path"), "precision": choice(*PRECISIONS)}, number(0))
```

A key the settings class does not have is an error naming it; unset and null keys keep the class
defaults; a value of the wrong kind is a ``ConfigError`` naming the file and ``family.key``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from qa.errors import ConfigError

T = TypeVar("T")
Kind = Callable[[Any], Any]  # the value to keep, or ValueError saying what it must be

PRECISIONS = ("auto", "float32", "bfloat16")  # model precisions the embeddings and lm checkers accept


def text(what: str = "text") -> Kind:
    """Non-empty text (``what`` names it in the error: text, a path, a folder)."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise ValueError(f"must be {what}")
        return value

    return check


def whole(value: Any, at_least: int = 1) -> int:
    """A whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < at_least:
        raise ValueError(f"must be a whole number of at least {at_least}")
    return value


def flag(value: Any) -> bool:
    """True or false."""
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def choice(*options: str) -> Kind:
    """One of ``options``."""

    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be {', '.join(options[:-1])} or {options[-1]}")
        return str(value)

    return check


def number(low: float, high: float | None = None, what: str = "", open_range: bool = False) -> Kind:
    """A number from ``low`` (to ``high``), ends excluded when ``open_range``; ``what`` names it in the error."""

    def check(value: Any) -> float:
        inside = isinstance(value, (int, float)) and not isinstance(value, bool)
        if inside and open_range:
            inside = low < value and (high is None or value < high)
        elif inside:
            inside = low <= value and (high is None or value <= high)
        if not inside:
            limits = f"of at least {low:g}" if high is None else f"between {low:g} and {high:g}"
            raise ValueError(f"must be {what or 'a number'} {limits}")
        return value  # type: ignore[no-any-return]

    return check


def drawn_from(options: Sequence[str]) -> Kind:
    """A list of some of ``options``, kept as a tuple."""

    def check(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not set(value) <= set(options):
            raise ValueError(f"must be a list drawn from {', '.join(options)}")
        return tuple(value)

    return check


def read_section(cls: type[T], section: Mapping[str, Any], family: str, source: str, kinds: Mapping[str, Kind], rest: Kind) -> T:
    """``cls`` (a dataclass) from the section of the ``family`` (its name: errors say ``family.key``);
    ``kinds`` per key, ``rest`` for the keys not listed."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    known = sorted(f.name for f in fields)
    unknown = sorted(set(section) - set(known))
    if unknown:
        raise ConfigError(source, f"unknown setting (known: {', '.join(known)})", key=f"{family}.{unknown[0]}")
    values: dict[str, Any] = {}
    for f in fields:
        if section.get(f.name) is None:
            continue
        try:
            values[f.name] = kinds.get(f.name, rest)(section[f.name])
        except ValueError as exc:
            raise ConfigError(source, str(exc), key=f"{family}.{f.name}") from None
    return cls(**values)
