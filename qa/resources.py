"""Where the bundled rule packs and report templates live, in a checkout or an installed wheel.

In a source checkout they are the top-level ``rules/`` and ``reports/`` folders; an installed
wheel carries them inside the package as ``qa/_rules`` and ``qa/_reports`` (see setup.cfg).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _locate(folder: str, installed: str) -> Path:
    root = _PACKAGE.parent
    if (root / "setup.cfg").is_file() and (root / folder).is_dir():  # a source checkout
        return root / folder
    return _PACKAGE / installed


def rules_dir() -> Path:
    """The folder of bundled YAML rule packs (``rules/``)."""
    return _locate("rules", "_rules")


def reports_dir() -> Path:
    """The folder of bundled Jinja2 report templates and assets (``reports/``)."""
    return _locate("reports", "_reports")

