"""Checks written in code, for what a YAML rule cannot say (balance, consistency, structure).

Each check is a function declared with ``@code_check``: its id, MQM category, default severity,
message and examples stand above its code, like a YAML rule, and the same parametrized test runs
its examples.
"""

from __future__ import annotations

from qa.checks.base import CodeCheck, Find, Hit, code_check

__all__ = ["CodeCheck", "Find", "Hit", "code_check", "code_checks"]


def code_checks() -> tuple[CodeCheck, ...]:
    """Every code check (they hold no state between articles)."""
    from qa.checks.balance import unbalanced_brackets, unmatched_quotes
    from qa.checks.consistency import headline_quote, name_variants
    from qa.checks.voice import narrator_person

    return (unmatched_quotes, unbalanced_brackets, name_variants, headline_quote, narrator_person)
