"""YAML rule packs: loading, validation and the four data-driven rule kinds.

A pack is a YAML file with ``pack`` (a name), optional ``description`` and a list of ``rules``.
Each rule has ``id``, ``kind`` (phrase, substitution, regex, sequence), ``category`` (an MQM
path), ``severity``, ``message``, ``scope`` (title, body, text, sentence), optional
``suggestions`` and ``examples`` (``flag`` and ``pass`` lists of text).

What a rule is lives in ``types``, the matcher of each kind in ``matchers``, reading a pack in
``loading`` (with the typed getters of ``validation``); this module re-exports the public names.
"""

from qa.model import Examples
from qa.rules.loading import build_rule, load_pack, load_packs
from qa.rules.matchers import swap_table
from qa.rules.types import (
    ENGINES,
    KINDS,
    MAX_FINDINGS_PER_RULE,
    SCOPES,
    Match,
    Matcher,
    Pattern,
    Rule,
    RulePack,
    capped,
    message,
)

__all__ = [
    "ENGINES",
    "KINDS",
    "MAX_FINDINGS_PER_RULE",
    "SCOPES",
    "Examples",
    "Match",
    "Matcher",
    "Pattern",
    "Rule",
    "RulePack",
    "build_rule",
    "capped",
    "load_pack",
    "load_packs",
    "message",
    "swap_table",
]
