"""What the checkers of one run share: one object of each kind, made by whichever family asks first.

A run (``qa.registry.Setup.checkers``) makes one ``Shared`` and hands it to every family's factory,
so a model both the embeddings and the tagger read, with the states one forward pass keeps for the
other, arrives through their constructors, whatever order the families are built in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar, cast

T = TypeVar("T")


class Shared:
    """One run's shared objects, each made once by calling its maker (a class taking no arguments)."""

    def __init__(self) -> None:
        self._made: dict[Callable[[], object], object] = {}
        self._lock = threading.Lock()

    def get(self, make: Callable[[], T]) -> T:
        """The run's object made by ``make``, made now if no family asked for it before."""
        with self._lock:
            if make not in self._made:
                self._made[make] = make()
            return cast(T, self._made[make])
