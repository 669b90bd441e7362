"""MkDocs hook: the rule reference, generated from the YAML rule packs in rules/ and the code checks.

A page holding the line ``<!-- rule-reference -->`` gets, in its place, one section per rule pack
and one for the code checks: each rule's id, kind, MQM category, default severity, message,
confidence and the examples the test suite runs. Nothing here is kept by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.checks import CodeCheck
    from qa.rules import Rule

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- rule-reference -->"


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def _rule_section(rule: Rule | CodeCheck, kind: str) -> list[str]:
    """One rule: a heading with its id, a table of its settings, its examples."""
    from qa.categories import label

    lines = [f"### `{rule.id}`", ""]
    if rule.description:
        lines += [" ".join(rule.description.split()), ""]
    lines += [
        "| kind | category | severity | confidence |",
        "|---|---|---|---:|",
        f"| {kind} | {_cell(label(rule.category))} | {rule.severity.label} | {rule.confidence:g} |",
        "",
        f"**Message:** {_cell(rule.message)}",
        "",
    ]
    swap = getattr(rule, "swap", None)
    if swap:
        lines += ["**Printed → probably meant:**", ""] + [f"- {_code(wrong)} → {', '.join(_code(m) for m in meant)}" for wrong, meant in swap.items()] + [""]
    flag, ok = rule.examples.flag, rule.examples.ok
    if flag:
        lines += ["**Flagged:**", ""] + [f"- {_code(text)}" for text in flag] + [""]
    if ok:
        lines += ["**Left alone:**", ""] + [f"- {_code(text)}" for text in ok] + [""]
    return lines


def rule_reference(packs: Sequence[Path] | None = None) -> str:
    """The Markdown of the rule reference: every rule of the packs (default: rules/*.yml) and every code check."""
    _this_checkout()
    from qa.checks import code_checks
    from qa.rules import load_pack

    files = sorted(packs) if packs is not None else sorted((ROOT / "rules").glob("*.yml"))
    lines: list[str] = []
    for path in files:
        pack = load_pack(path)
        lines += [f"## Pack `{pack.name}` ({len(pack.rules)} rules)", "", f"File `rules/{path.name}`, content hash `{pack.digest}`.", ""]
        description = _pack_description(path)
        if description:
            lines += [description, ""]
        for rule in pack.rules:
            lines += _rule_section(rule, rule.kind)
    checks = code_checks()
    lines += [f"## Code checks ({len(checks)})", "", "Written in Python in `qa/checks/`, declared with `@code_check` (id, category, severity, message, examples).", ""]
    for check in checks:
        lines += _rule_section(check, "code")
    return "\n".join(lines) + "\n"


def _pack_description(path: Path) -> str:
    """The ``description`` a pack gives itself, on one line."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return " ".join(str(data.get("description") or "").split()) if isinstance(data, dict) else ""


def _this_checkout() -> None:
    """Import qa from this checkout (as the tests do), not from whatever copy is installed."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def on_config(config: Any) -> Any:
    """Before any page: the CLI reference (mkdocs-click) and the rule reference read this checkout's qa."""
    _this_checkout()
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Iterable[Any]) -> str:
    """Replace the marker with the generated reference (MkDocs calls this for every page)."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, rule_reference())
