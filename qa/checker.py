"""What a checker family gives the engine: findings per document, its rules, its status, its notes.

A family (``qa.registry``) builds one ``Checker`` per run from its typed settings. The engine, the
merge policy (``qa.merge``) and the formatters see only this interface.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Generic, Protocol, TypeVar, runtime_checkable

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

GROUP = "qa.checkers"  # the entry-point group that registers checker families (``qa.registry``)


@functools.cache
def family_of(module: str) -> str:
    """The name of the ``qa.checkers`` entry point whose family's package holds ``module`` ("" when none does):
    the name of a checker built by hand, outside the registry."""
    holders = []
    for ep in entry_points(group=GROUP):
        package = ep.module.rpartition(".")[0] or ep.module  # qa.rules.family:FAMILY → qa.rules
        if module == package or module.startswith(package + "."):
            holders.append((len(package), ep.name))
    return max(holders, default=(0, ""))[1]  # the innermost package, should one family's sit inside another's


@runtime_checkable
class Checker(Protocol):
    """One family's checks for a run. It sees a batch of documents at once so it can batch model calls."""

    name: str  # its family's (the entry point's name); the checking core stamps it on every finding
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
    """Defaults for the parts of ``Checker`` most families do not need: its family's name, no notes, no
    start-up, ran, and ``rules`` from the class's ``declared_rules``."""

    rank: int = 100
    declared_rules: tuple[RuleInfo, ...] = ()
    _name: str = ""  # as the registry names it when it builds the checker

    @property
    def name(self) -> str:
        """Its family's name: as the registry gave it, else that of the family whose package holds the class."""
        return self._name or family_of(type(self).__module__)

    @name.setter
    def name(self, name: str) -> None:
        self._name = name

    def rules(self) -> Sequence[RuleInfo]:
        """The rules the checker's class declares."""
        return self.declared_rules

    def notes(self) -> list[str]:
        """Nothing to say about this run."""
        return []

    def start(self) -> None:
        """Nothing to set up in the background."""

    @property
    def status(self) -> Status:
        """Ran."""
        return RAN


class Model(Protocol):
    """What a report signature names of a checker's model."""

    model_id: str

    @property
    def precision(self) -> str:
        """The precision the model computes in."""
        ...


class Described(Protocol):
    """Typed settings that put themselves into a report signature."""

    def describe(self) -> str:
        """Every setting that changes findings."""
        ...


M = TypeVar("M", bound=Model)
S = TypeVar("S", bound=Described)


class ModelChecker(BaseChecker, Generic[M, S]):
    """A checker around one model and its family's settings (lm, embeddings)."""

    model: M
    settings: S

    def describe(self) -> str:
        """Model id, precision and every threshold, for the report signature."""
        return f"{self.model.model_id}/{self.model.precision};{self.settings.describe()}"
