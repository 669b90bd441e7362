"""A feed item's link and date: kept on the Article, printed in the JSON report, shown in the HTML; only http(s) hrefs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters.html import render
from qa.formatters.json import report_dict
from qa.ingest import read_inputs
from qa.model import Article, web_link
from qa.review.loader import report_from_dict

ROOT = Path(__file__).resolve().parent.parent
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>
<item><title>Talks resume</title><link>https://wire.example/world/talks?id=1&amp;x=2</link><guid isPermaLink="false">w-1</guid>
<pubDate>Tue, 03 Mar 2026 10:15:00 +0100</pubDate><description>The leaders agreed to “backtrack” against China on Friday .</description></item>
<item><title>Evil</title><link>javascript:alert(document.domain)</link><guid isPermaLink="false">w-2</guid>
<pubDate>sometime soon</pubDate><description>Farmers said the rain had delayed the harvest.</description></item>
</channel></rss>
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><updated>2026-11-27T09:00:00Z</updated>
<entry><title>Port strike ends</title><id>urn:wire:2</id><link href="https://wire.example/port"/>
<updated>2026-11-27T10:00:00+02:00</updated><summary>Dock workers voted to accept the offer.</summary></entry></feed>
"""


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "wire.rss"
    path.write_text(FEED, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "kept"),
    [("https://wire.example/a?b=1", True), ("HTTP://wire.example/", True), ("javascript:alert(1)", False),
     ("data:text/html,<script>", False), ("//wire.example/a", False), ("/relative", False), ("https://", False),
     ("https://wire.example/a b", False), ("https://wire.example/\u2028", False), (None, False), (42, False)],
)
def test_only_absolute_http_addresses_are_links(value: object, kept: bool) -> None:
    assert web_link(value) == (value if kept else None)


def test_feed_items_keep_their_link_and_date(feed: Path, tmp_path: Path) -> None:
    talks, evil = read_inputs([str(feed)])
    assert isinstance(talks, Article) and isinstance(evil, Article)
    assert talks.link == "https://wire.example/world/talks?id=1&x=2"
    assert talks.published == "2026-03-03T09:15:00Z"  # ISO 8601 in UTC
    assert evil.link is None and evil.published == "sometime soon"  # a date feedparser cannot read stays as written
    atom = tmp_path / "wire.atom"
    atom.write_text(ATOM, encoding="utf-8")
    (port,) = read_inputs([str(atom)])
    assert isinstance(port, Article) and (port.link, port.published) == ("https://wire.example/port", "2026-11-27T08:00:00Z")


def test_json_report_carries_link_and_date_and_stays_valid(feed: Path, rules_only: Config) -> None:
    data = report_dict(check(read_inputs([str(feed)]), rules_only))
    jsonschema.validate(data, json.loads((ROOT / "schema" / "report.schema.json").read_text()))
    talks, evil = data["articles"]
    assert (talks["link"], talks["published"]) == ("https://wire.example/world/talks?id=1&x=2", "2026-03-03T09:15:00Z")
    assert "link" not in evil
    again = report_from_dict(data)  # qa serve report.json reads them back
    assert again.articles[0].article.link == talks["link"] and again.articles[0].article.published == talks["published"]


def test_html_report_shows_link_and_date_and_never_a_script_href(feed: Path, rules_only: Config) -> None:
    page = render(check(read_inputs([str(feed)]), rules_only))
    assert '<a class="link" href="https://wire.example/world/talks?id=1&amp;x=2"' in page
    assert "<time>2026-03-03T09:15:00Z</time>" in page and "<time>sometime soon</time>" in page
    assert "javascript:" not in page
