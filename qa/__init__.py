"""qa: a quality checker for machine-translated English news."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from qa.api import check as check


def __getattr__(name: str) -> Any:
    # `qa.check` without importing the engine (and its regex packs) at `import qa`
    if name == "check":
        from qa.api import check

        return check
    raise AttributeError(name)


__all__ = ["__version__", "check"]
