"""Formatters: peers that render the same Report, none of them reaching back into the engine.

Built-in formatters are listed here by import path (imported only when used); other packages
can add formatters through the ``qa.formatters`` entry-point group.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import IO, Protocol

from qa.model import Report, Severity

BUILTIN: dict[str, str] = {
    "text": "qa.formatters.text:TextFormatter",
    "json": "qa.formatters.json:JsonFormatter",
}


class Formatter(Protocol):
    """Renders a report to a stream."""

    def write(self, report: Report, stream: IO[str], fail_on: Severity | None) -> None:
        """Write the whole report; ``fail_on`` is the severity that fails the run (None: never)."""
        ...


def names() -> list[str]:
    """Every formatter name, built-in first."""
    extra = [ep.name for ep in entry_points(group="qa.formatters") if ep.name not in BUILTIN]
    return [*BUILTIN, *sorted(extra)]


def get(name: str, **options: object) -> Formatter:
    """Instantiate the formatter called ``name``."""
    if name in BUILTIN:
        module, _, attr = BUILTIN[name].partition(":")
        cls = getattr(importlib.import_module(module), attr)
    else:
        found = [ep for ep in entry_points(group="qa.formatters") if ep.name == name]
        if not found:
            raise KeyError(name)
        cls = found[0].load()
    return cls(**options)  # type: ignore[no-any-return]
