"""Against a real LanguageTool server, when one is reachable: ``QA_LANGUAGETOOL_URL=http://host:8081``."""

from __future__ import annotations

import os

import pytest

from qa.config import Config
from qa.engine import check
from qa.model import Article

URL = os.environ.get("QA_LANGUAGETOOL_URL", "")

pytestmark = pytest.mark.skipif(
    not URL, reason="no LanguageTool server to test against: set QA_LANGUAGETOOL_URL=http://host:8081"
)

ARTICLE = Article(
    id="integration",
    source="test",
    title="Kishida meets Biden in Washington",
    body=(
        "Japanese Prime Minister Fumio Kishida met President Joe Biden on Friday. "
        "The two leaders has agreed to deepen ties, the goverment said. "
        "Fans waved flags 🇯🇵🇺🇸 😀 and teh crowd cheered in 東京."
    ),
)


def test_real_server_finds_grammar_and_spelling_but_not_names() -> None:
    report = check([ARTICLE], Config().switched(embeddings=False).with_section("languagetool", mode=URL))
    assert report.notes == (), report.notes
    assert "|languagetool:server(" in report.tool.signature
    issues = [i for i in report.articles[0].issues if i.checker == "languagetool"]
    for issue in issues:
        assert ARTICLE.text(issue.field)[issue.start : issue.end] == issue.text
    spelling = {i.text for i in issues if i.category == "fluency/spelling"}
    assert "goverment" in spelling and "teh" in spelling  # "teh" sits after emoji: UTF-16 offsets
    assert not spelling & {"Kishida", "Fumio", "Biden"}
    assert any(i.category == "fluency/grammar" and "has" in i.text for i in issues)
    assert all(i.rule.startswith("languagetool.") and i.suggestions for i in issues if i.text == "goverment")
