"""Checker families, found one way: the ``qa.checkers`` entry-point group, qa's own as well as others'.

A family is one folder exposing one ``Family`` value, registered by one entry-point line whose name
is the family's name (the ``qa.yml`` section, the ``--NAME/--no-NAME`` switch, the report's name
for it; written there only: the registry gives it to the ``Family``, which hands it to its settings
reader and its checker, and the checking core stamps the checker's findings with it), a typed settings
class that reads and validates its section, a factory that builds its ``Checker`` for a run, and the command-line
options that set keys of its section. ``configure`` types every family's section of a config once
(a ``Setup``), and a run builds its checkers and its report's settings table from that. The engine,
the command line, the HTML report and ``qa bench speed`` ask this module; none of them names a family.

```ini
[options.entry_points]
qa.checkers =
    toy = toy_qa.family:FAMILY
```

qa's own families are registered the same way in its setup.cfg (as flake8 registers its own
checkers), so an editable install picks up a new one after ``pip install -e . --no-deps``.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar

from qa.checker import GROUP, Checker
from qa.config import TOP_LEVEL, Config, at_line
from qa.errors import ConfigError
from qa.shared import Shared


class Settings(Protocol):
    """A family's typed settings: a frozen dataclass read from its config section."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any], source: str, name: str) -> Self:
        """Validate the section of the family called ``name`` (errors name ``source`` and ``<name>.<key>``)."""
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


S = TypeVar("S", bound=Settings)


@dataclass(frozen=True)
class Configured:
    """One family with its section typed: its settings (for the report) and its factory bound to them."""

    name: str
    on: bool
    settings: object
    build: Callable[[Config, Shared], Checker | None]  # config, the run's shared objects → the run's checker


@dataclass(frozen=True, kw_only=True)
class Family(Generic[S]):
    """One family of checks, as the rest of qa sees it, generic over its settings class."""

    name: str = ""  # its entry point's name, given by the registry (the one place a family's name is written)
    summary: str  # one line: what it checks (the --NAME switch's help)
    settings: type[S]
    build: Callable[[S, Config, Shared], Checker | None]  # settings, config, the run's shared objects → its checker (None: nothing to run)
    default: bool | str = True  # on unless switched off; a family's name: on whenever that family is
    switch: bool = True  # a --NAME/--no-NAME switch on the command line
    section: bool = True  # has its own qa.yml section (rules: no, it reads rules: packs/disable/severity)
    options: tuple[Option, ...] = ()
    loading: str = ""  # a line for a terminal before a slow first use ("loading the … model…")

    @property
    def dest(self) -> str:
        """The Python name of the switch's value."""
        return self.name.replace("-", "_")

    def configure(self, config: Config) -> Configured:
        """This family's section of ``config`` typed (errors name the file and key), its factory bound to it."""
        settings = self.settings.from_section(config.section(self.name), config.source or self.name, self.name)
        return Configured(self.name, is_on(config, self.name), settings, functools.partial(self.named, settings))

    def named(self, settings: S, config: Config, shared: Shared) -> Checker | None:
        """The family's checker, given the family's name (its findings go by it, whatever its class says)."""
        checker = self.build(settings, config, shared)
        if checker is not None:
            checker.name = self.name
        return checker


class Registered(Protocol):
    """A family as the registry holds it, whatever its settings class (``Family`` is one)."""

    @property
    def name(self) -> str:
        """The qa.yml section, the switch, the report's name."""

    @property
    def summary(self) -> str:
        """What it checks, in one line."""

    @property
    def default(self) -> bool | str:
        """On or off unless switched; a family's name: on whenever that one is."""

    @property
    def switch(self) -> bool:
        """Whether it has a --NAME/--no-NAME switch."""

    @property
    def section(self) -> bool:
        """Whether it has its own qa.yml section."""

    @property
    def options(self) -> tuple[Option, ...]:
        """The command-line options that set keys of its section."""

    @property
    def loading(self) -> str:
        """A line for a terminal before a slow first use."""

    @property
    def dest(self) -> str:
        """The Python name of the switch's value."""

    def configure(self, config: Config) -> Configured:
        """This family's section typed, its factory bound to it."""


@functools.cache
def families() -> tuple[Registered, ...]:
    """Every family of the ``qa.checkers`` entry-point group, by name (a run takes its checkers by rank)."""
    registered = entry_points(group=GROUP)
    if not any(ep.value.startswith("qa.") for ep in registered):
        raise ConfigError(GROUP, "qa's own checker families are not registered: install qa (pip install -e .) so its entry points are found")
    found: dict[str, Registered] = {}
    for ep in registered:
        where = f"entry point {GROUP}:{ep.name}"
        if ep.name in found:
            raise ConfigError(where, f"two installed packages register a family called {ep.name!r}")
        found[ep.name] = _family(ep.value, where, ep.name)
    return tuple(found[name] for name in sorted(found))


def _family(target: str, where: str, name: str) -> Registered:
    """The ``Family`` at ``module:attr`` named ``name``, or a ConfigError naming ``where`` (one that fails to load, too)."""
    try:
        loaded = _load(target)
    except Exception as exc:  # noqa: BLE001 - an installed plugin's import error is a config error naming the plugin
        raise ConfigError(where, f"cannot load {target}: {type(exc).__name__}: {exc}") from None
    if not isinstance(loaded, Family):
        raise ConfigError(where, f"{target} is not a qa.registry.Family")
    if loaded.name not in ("", name):
        raise ConfigError(where, f"{target} calls itself {loaded.name!r}: its name is the entry point's")
    return dataclasses.replace(loaded, name=name)


def _load(target: str) -> object:
    module, _, attr = target.partition(":")
    found: object = getattr(importlib.import_module(module), attr)
    return found


def lazy(target: str, with_config: bool = False, with_shared: bool = False) -> Callable[[S, Config, Shared], Checker | None]:
    """A family's factory that imports ``module:callable`` only when a run builds the checker (torch stays
    unimported when the family is off); the callable takes the settings, then the config if ``with_config``,
    then the run's shared objects (``qa.shared.Shared``) if ``with_shared``."""

    def build(settings: S, config: Config, shared: Shared) -> Checker | None:
        factory = _load(target)
        if not callable(factory):
            raise TypeError(f"{target} is not callable")
        checker = factory(settings, *([config] if with_config else []), *([shared] if with_shared else []))
        if checker is not None and not isinstance(checker, Checker):
            raise TypeError(f"{target} did not build a qa.checker.Checker")
        return checker

    return build


def family(name: str) -> Registered:
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


@dataclass(frozen=True)
class Setup:
    """A config with every family's section typed once: what a run builds its checkers and settings table from."""

    config: Config
    families: tuple[Configured, ...]

    def settings(self, name: str) -> object | None:
        """The typed settings of the family called ``name`` (None: no such family)."""
        return next((f.settings for f in self.families if f.name == name), None)

    def checkers(self) -> list[Checker]:
        """The checkers of a run in rank order: every family that is on, built from its settings; those
        that share a model get one ``Shared`` (the embeddings' forward pass keeps states the tagger reads)."""
        shared = Shared()
        built = (f.build(self.config, shared) for f in self.families if f.on)
        return sorted((checker for checker in built if checker is not None), key=lambda c: (c.rank, c.name))


def configure(config: Config) -> Setup:
    """Type every family's section once; an unknown section or a bad value is a ConfigError naming the file, line and key."""
    try:
        with_section = {f.name for f in families() if f.section}
        unknown = sorted(set(config.sections) - with_section)
        if unknown:
            known = ", ".join(sorted([*TOP_LEVEL, *with_section]))
            raise ConfigError(config.source or "config", f"unknown setting (known: {known})", key=unknown[0])
        return Setup(config, tuple(f.configure(config) for f in families()))
    except ConfigError as exc:
        raise at_line(exc, Path(config.source)) if config.source else exc from None


def settings_of(config: Config, name: str) -> object:
    """The typed settings of one family (``configure(config).settings(name)``, for one family alone)."""
    return family(name).configure(config).settings


def build_checkers(config: Config) -> list[Checker]:
    """The checkers of a run: every family that is on, built from its settings."""
    return configure(config).checkers()


def settings_table(settings: object) -> dict[str, Any]:
    """A family's settings as plain values (sets sorted into lists), for the report."""
    if not dataclasses.is_dataclass(settings) or isinstance(settings, type):
        return {}
    plain = {}
    for key, value in dataclasses.asdict(settings).items():
        plain[key] = sorted(value) if isinstance(value, (set, frozenset)) else list(value) if isinstance(value, tuple) else value
    return plain
