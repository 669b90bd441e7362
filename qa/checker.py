"""What a checker family gives the engine: findings per document, its rules, its status, its notes.

A family (``qa.registry``) builds one ``Checker`` per run from its typed settings. The engine, the
merge policy (``qa.merge``) and the formatters see only this interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from qa.model import Issue, RuleInfo
from qa.text import Document


@dataclass(frozen=True)
class Status:
    """Whether a checker ran in this run, or why it was skipped."""

    ran: bool = True
    reason: str = ""

    @property
    def label(self) -> str:
        """``ran`` or ``skipped: <reason>``."""
        return "ran" if self.ran else f"skipped: {self.reason}"


RAN = Status()


@runtime_checkable
class Checker(Protocol):
    """One family's checks for a run. It sees a batch of documents at once so it can batch model calls."""

    name: str
    rank: int  # merge precedence: findings of a lower rank absorb overlapping findings of a higher one

    def check(self, docs: Sequence[Document]) -> list[list[Issue]]:
        """Findings for each document, in order."""
        ...

    def describe(self) -> str:
        """How this checker was set up, for the report signature (model, server, thresholds…)."""
        ...

    def notes(self) -> list[str]:
        """Messages for the user about this run (e.g. a service that was skipped)."""
        ...

    def rules(self) -> Sequence[RuleInfo]:
        """The rules this checker can report."""
        ...

    @property
    def status(self) -> Status:
        """Ran, or skipped with a reason."""
        ...

    def start(self) -> None:
        """Begin a slow set-up (a model load) in the background; the engine calls it before reading inputs."""
        ...


class BaseChecker:
    """Defaults for the parts of ``Checker`` most families do not need: no notes, no start-up, ran."""

    name: str = ""
    rank: int = 100

    def notes(self) -> list[str]:
        """Nothing to say about this run."""
        return []

    def start(self) -> None:
        """Nothing to set up in the background."""

    @property
    def status(self) -> Status:
        """Ran."""
        return RAN
