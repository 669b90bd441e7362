"""Where the bundled rule packs and report templates live, in a checkout or an installed wheel."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def _locate(folder: str, package: str) -> Path:
    checkout = Path(__file__).resolve().parent.parent / folder
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files(package)))


def rules_dir() -> Path:
    """The folder of bundled YAML rule packs (``rules/``)."""
    return _locate("rules", "qa._rules")


def reports_dir() -> Path:
    """The folder of bundled Jinja2 report templates and assets (``reports/``)."""
    return _locate("reports", "qa._reports")
