"""Checker families: the built-ins in one table, others through the ``qa.checkers`` entry-point group.

A family is one folder exposing one ``Family`` value: its name (the ``qa.yml`` section, the
``--NAME/--no-NAME`` switch, the report's name for it), a typed settings class that reads and
validates its section, a factory that builds its ``Checker`` for a run, and the command-line
options that set keys of its section. The engine, the config, the command line, the HTML report
and ``qa bench speed`` ask this module; none of them names a family.

```ini
[options.entry_points]
qa.checkers =
    toy = toy_qa.family:FAMILY
```
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol, Self

from qa.errors import ConfigError

if TYPE_CHECKING:
    from qa.checker import Checker
    from qa.config import Config

GROUP = "qa.checkers"
BUILTIN: dict[str, str] = {
    "rules": "qa.rules.family:FAMILY",
    "embeddings": "qa.embeddings.family:FAMILY",
    "languagetool": "qa.languagetool.family:FAMILY",
    "lm": "qa.lm.family:FAMILY",
    "learned": "qa.learned.family:FAMILY",
}


class Settings(Protocol):
    """A family's typed settings: a frozen dataclass read from its config section."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str) -> Self:
        """Validate a section (errors name ``source`` and ``<family>.<key>``)."""
        ...


@dataclass(frozen=True)
class Option:
    """A command-line option that sets one key of its family's section (``--model`` → ``embeddings.model``)."""

    flag: str
    key: str
    help: str
    metavar: str | None = None
    envvar: str | None = None
    run_only: bool = False  # only on the commands that check inputs for a report (qa check, qa report)
    existing_file: bool = False

    @property
    def dest(self) -> str:
        """The Python name click gives the value."""
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Family:
    """One family of checks, as the rest of qa sees it."""

    name: str
    summary: str  # one line: what it checks (the --NAME switch's help)
    settings: type[Settings]
    build: Callable[[Any, Config], Checker | None]  # settings, config → the run's checker (None: nothing to run)
    default: bool | str = True  # on unless switched off; a family's name: on whenever that family is
    switch: bool = True  # a --NAME/--no-NAME switch on the command line
    section: bool = True  # has its own qa.yml section (rules: no, it reads rules: packs/disable/severity)
    options: tuple[Option, ...] = ()
    loading: str = ""  # a line for a terminal before a slow first use ("loading the … model…")

    @property
    def dest(self) -> str:
        """The Python name of the switch's value."""
        return self.name.replace("-", "_")


@functools.cache
def families() -> tuple[Family, ...]:
    """Every family: the built-ins in table order, then installed ones by name."""
    found: list[Family] = [_load(target) for target in BUILTIN.values()]
    extra = sorted((ep for ep in entry_points(group=GROUP) if ep.name not in BUILTIN), key=lambda ep: ep.name)
    for ep in extra:
        family = ep.load()
        if not isinstance(family, Family) or family.name != ep.name:
            raise ConfigError(f"entry point {GROUP}:{ep.name}", f"{ep.value} is not a qa.registry.Family named {ep.name!r}")
        found.append(family)
    return tuple(found)


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def lazy(target: str, with_config: bool = False) -> Callable[[Any, Config], Checker | None]:
    """A family's factory that imports ``module:callable`` only when a run builds the checker (torch stays
    unimported when the family is off); the callable takes the settings, and the config ``with_config``."""

    def build(settings: Any, config: Config) -> Checker | None:
        factory = _load(target)
        checker: Checker | None = factory(settings, config) if with_config else factory(settings)
        return checker

    return build


def family(name: str) -> Family:
    """The family called ``name``."""
    for found in families():
        if found.name == name:
            return found
    raise KeyError(name)


def is_on(config: Config, name: str) -> bool:
    """Whether the family runs: as switched in the config or on the command line, else its default."""
    switched = config.switches.get(name)
    if switched is not None:
        return switched
    default = family(name).default
    return is_on(config, default) if isinstance(default, str) else default


def settings_of(config: Config, name: str) -> Any:
    """The family's typed settings from its config section (validated; errors name the file and key)."""
    return family(name).settings.from_section(config.section(name), config.source or name)


def build_checkers(config: Config) -> list[Checker]:
    """The checkers of a run: every family that is on, built from its settings."""
    checkers = []
    for found in families():
        if is_on(config, found.name):
            checker = found.build(settings_of(config, found.name), config)
            if checker is not None:
                checkers.append(checker)
    return checkers


def settings_table(settings: Any) -> dict[str, Any]:
    """A family's settings as plain values (sets sorted into lists), for the report."""
    if not dataclasses.is_dataclass(settings) or isinstance(settings, type):
        return {}
    plain = {}
    for key, value in dataclasses.asdict(settings).items():
        plain[key] = sorted(value) if isinstance(value, (set, frozenset)) else list(value) if isinstance(value, tuple) else value
    return plain
