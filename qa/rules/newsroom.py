"""The newsroom table as rules: each confirmed "printed → meant" phrase is a substitution rule, built at load time.

Data, not code per pair: ``qa learn`` writes the table, the config names it
(``learned: {newsroom_table: newsroom/substitutions.tsv}``), and each printed phrase becomes a
case-insensitive whole-word ``newsroom.<slug>`` rule (minor) beside the shipped packs, never in
their place. Its findings say they come from the newsroom table; the run's signature names the
table and its content hash. Without the key the rules are exactly the shipped ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from qa.config import Config
from qa.errors import ConfigError
from qa.learned.newsroom import Pair, read_table
from qa.model import Examples, Severity
from qa.review.marks import MQM
from qa.rules.matchers import BUILDERS
from qa.rules.types import Rule, RulePack
from qa.rules.validation import Context

PREFIX = "newsroom."
LEARNED = "learned"  # another family's section (the table is a setting of the learned tagger's), so named here


def table_path(config: Config) -> Path | None:
    """The newsroom table the config names (``learned.newsroom_table``, relative to the config file), or None."""
    from qa.learned.settings import Settings

    source = config.source or "config"
    name = Settings.from_section(config.section(LEARNED), source, LEARNED).newsroom_table
    if name is None:
        return None
    path = Path(name) if config.source is None else Path(config.source).parent / name
    if not path.is_file():
        raise ConfigError(source, f"newsroom table {name!r} does not exist (run qa learn, or drop the key)", key=f"{LEARNED}.newsroom_table")
    return path.resolve()


def newsroom_pack(path: Path, taken: Sequence[str] = ()) -> RulePack:
    """One ``newsroom.<slug>`` substitution rule per printed phrase of the table, its meanings best first."""
    try:
        found = read_table(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(str(path), str(exc), key="learned.newsroom_table") from None
    by_phrase: dict[str, list[Pair]] = {}
    for pair in found:
        by_phrase.setdefault(pair.wrong, []).append(pair)
    used = set(taken)
    rules = []
    for wrong, meant in by_phrase.items():
        meant.sort(key=lambda p: -p.count)  # stable: ties keep the table's order
        rule_id = _unique(PREFIX + _slug(wrong), used)
        rules.append(_rule(rule_id, wrong, meant, path.name))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return RulePack(f"newsroom({path.name})", str(path), digest, tuple(rules))


def _rule(rule_id: str, wrong: str, meant: Sequence[Pair], table: str) -> Rule:
    best = meant[0]
    spec = {"swap": {wrong: [p.meant for p in meant]}, "case": "insensitive"}
    said = f"{best.count}× of {best.wrong_total}" if best.wrong_total != best.count else f"{best.count}×"
    text = f"“{{match}}”: this newsroom's editors corrected it to “{_braces(best.meant)}” ({said}; newsroom table {_braces(table)})."
    return Rule(
        id=rule_id, kind="substitution", category=MQM.get(best.category, best.category if "/" in best.category else "fluency/mt-damage"),
        severity=Severity.MINOR, message=text, scope="text", examples=Examples((wrong,), ()),
        matcher=BUILDERS["substitution"](spec, Context(table, rule_id)), pack="newsroom", confidence=0.8,
        description=f"From the newsroom table {table}: editors confirmed “{wrong}” → “{best.meant}”.",
        swap={wrong: tuple(p.meant for p in meant)},
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-") or "phrase"


def _unique(rule_id: str, used: set[str]) -> str:
    candidate, n = rule_id, 2
    while candidate in used:
        candidate, n = f"{rule_id}-{n}", n + 1
    used.add(candidate)
    return candidate


def _braces(text: str) -> str:
    """Text safe inside a message template (``str.format`` reads braces)."""
    return text.replace("{", "{{").replace("}", "}}")
