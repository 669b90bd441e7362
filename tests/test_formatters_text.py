"""The text output: plain category names beside MQM ids, readable suggestions, each article ending with its verdict."""

from __future__ import annotations

import io

from qa.config import Config
from qa.engine import check
from qa.formatters.text import TextFormatter
from qa.ingest import read_inputs, split_txt
from tests.helpers import ROOT

EXAMPLE = str(ROOT / "examples" / "biden-kishida.txt")


def text_of(paths_or_articles: list, config: Config) -> list[str]:  # type: ignore[type-arg]
    stream = io.StringIO()
    report = check(paths_or_articles, config)
    TextFormatter(color=False).write(report, stream, None)
    return stream.getvalue().splitlines()


def test_each_article_ends_with_its_verdict_line(rules_only: Config) -> None:
    clean = split_txt("Markets steady\n\nShares closed higher on Monday in quiet trading.", "clean.txt")
    lines = text_of([*read_inputs([EXAMPLE]), clean], rules_only)
    verdicts = [line for line in lines if ": reject (" in line or ": pass (" in line]
    assert verdicts == [
        f"{EXAMPLE}: reject (penalty 7.84 per 100 words, 676 words, 14 findings)",
        "clean.txt: pass (penalty 0 per 100 words, 10 words, 0 findings)",
    ]
    assert lines.index(verdicts[0]) == 14 and lines[-1].startswith("2 article(s)")


def test_lines_name_the_category_plainly_and_never_suggest_bare_punctuation(rules_only: Config) -> None:
    lines = text_of(list(read_inputs([EXAMPLE])), rules_only)
    broken = next(line for line in lines if "structure.orphan-attribution" in line)
    assert "structure.orphan-attribution [Broken sentence (fluency/text-breaking)] Attribution" in broken
    space = next(line for line in lines if "punctuation.space-before" in line)
    assert space.endswith("→ Friday.")
    garble = lines[0]  # the example's first finding: “backtrack” against
    assert "lexicon.inverted-resistance" in garble and garble.endswith("→ “push back” against") and "““" not in garble
