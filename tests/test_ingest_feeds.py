"""RSS 2.0 and Atom feeds: every item an article, bad items reported, unsafe XML refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import read_inputs
from qa.model import Article, InputError

DATA = Path(__file__).parent / "data" / "ingest"

BILLION_LAUGHS = (DATA / "unsafe" / "billion-laughs.rss").read_bytes()  # ten levels of ten: 10**9 "lol"s


def external_entity_feed(target: Path) -> bytes:
    """An RSS feed whose item text is an external entity pointing at a local file (XXE)."""
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{target}">]>
<rss version="2.0"><channel><title>t</title>
<item><guid>xxe</guid><title>Leak</title><description>&secret;</description></item>
</channel></rss>
""".encode()


def rss_feed(items: int) -> str:
    """A well-formed RSS 2.0 feed with ``items`` news items, each with HTML paragraphs."""
    body = "".join(
        f"<item><title>Story {i}: council approves plan</title><guid>story-{i}</guid>"
        f"<link>https://news.example/{i}</link><pubDate>Fri, 27 Nov 2026 09:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>The council approved plan {i} on Friday after a long debate.</p>"
        f"<p>Opponents said the plan would cost more than promised; the mayor disagreed.</p>]]></description></item>"
        for i in range(items)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title>{body}</channel></rss>'


@pytest.fixture
def big_feed(tmp_path: Path) -> Path:
    """A 1,000-item RSS feed (also used to measure reading speed)."""
    path = tmp_path / "big.rss"
    path.write_text(rss_feed(1000), encoding="utf-8")
    return path


def test_rss_items_become_articles_and_a_bad_item_is_reported() -> None:
    items = list(read_inputs([str(DATA / "feed.rss")]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError", "Article"]
    talks, strike, empty, rain = items
    assert isinstance(talks, Article) and isinstance(strike, Article) and isinstance(rain, Article)
    assert talks.id == "wire-2026-0001"  # guid
    assert strike.id == "https://wire.example/world/port-strike"  # no guid: the link
    assert talks.title == "Talks resume in Geneva"
    # content:encoded wins over description; paragraphs kept, script dropped, entities decoded
    assert talks.body == "Negotiators returned to Geneva on Tuesday.\n\nBoth sides said the \u201cmood was constructive\u201d."
    assert strike.body == "Dock workers voted to accept the offer.\n\nShips began unloading on Wednesday."
    assert talks.metadata["feed"] == "Wire Service World"
    assert talks.source == str(DATA / "feed.rss")
    assert isinstance(empty, InputError)
    assert empty.source == f"{DATA / 'feed.rss'}[item 3]"
    assert empty.message == "feed item 'wire-2026-0003' has no text (no content or description)"


def test_atom_entries_become_articles() -> None:
    minister, plain = read_inputs([str(DATA / "feed.atom")])
    assert isinstance(minister, Article) and isinstance(plain, Article)
    assert minister.id == "urn:agency:2026:881"
    assert minister.title == "Minister resigns over budget"  # HTML title reduced to text
    assert minister.body == "The finance minister resigned on Thursday.\n\nHer deputy takes over until a vote next month."
    assert plain.body == "First paragraph of plain text.\n\nSecond paragraph of plain text."


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(BILLION_LAUGHS)
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.message == "unsafe XML refused: entity declaration 'lol' is not allowed (entity expansion)"


def test_external_entity_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    path = tmp_path / "xxe.rss"
    path.write_bytes(external_entity_feed(secret))
    items = list(read_inputs([str(path)]))
    assert [i.message for i in items if isinstance(i, InputError)] == [
        f"unsafe XML refused: external entity 'secret' (file://{secret}) is not allowed"
    ]
    assert not any("TOP-SECRET" in repr(i) for i in items)


def test_entities_in_malformed_xml_are_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.rss"
    path.write_bytes(BILLION_LAUGHS.replace(b"<?xml", b"junk <?xml"))
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message == "unsafe XML refused: it declares entities (and is not well-formed)"


def test_unsafe_xml_on_stdin_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BILLION_LAUGHS)))
    (error,) = read_inputs(["-"])
    assert isinstance(error, InputError) and error.source == "<stdin>"
    assert error.message.startswith("unsafe XML refused")


def test_xml_that_is_not_a_feed_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.xml"
    path.write_text('<?xml version="1.0"?><settings><a>1</a></settings>')
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message == "not an RSS or Atom feed (root element <settings>)"


def test_feed_with_no_items_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<rss version="2.0"><channel><title>Nothing today</title></channel></rss>')
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError) and error.message == "feed has no items"


def test_garbage_with_a_feed_extension_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("this is not XML at all, just words")
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError) and error.source == str(path)
    assert error.message.startswith("not a readable RSS or Atom feed")


def test_slightly_malformed_feed_is_still_read_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "loose.rss"
    path.write_text('<rss version="2.0"><channel><item><guid>g1</guid><title>Q & A</title>'
                    "<description>Bread & butter issues dominate.</description></item></channel></rss>")
    article, error = read_inputs([str(path)])
    assert isinstance(article, Article)
    assert (article.id, article.title, article.body) == ("g1", "Q & A", "Bread & butter issues dominate.")
    assert isinstance(error, InputError) and error.source == str(path) and not error.internal
    assert error.message == "feed is not well-formed XML at line 1, column 60 (not well-formed (invalid token)): 1 item(s) read by a lenient parser"


GARBLED_RSS = "".join(
    ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel><title>Wire</title>\n']
    + [f"<item><guid>wire-{n}</guid><title>Talks, day {n}</title>\n<description>The the council met on day {n}. "
       "Both sides said the mood was good.</description></item>\n" for n in range(1, 4)]
    + ["</channel>\n</rss>\n"]
)
GARBLED_ATOM = "".join(
    ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<title>Wire</title>\n']
    + [f"<entry><id>urn:wire:{n}</id><title>Talks, day {n}</title>\n<content type=\"html\">&lt;p&gt;The the council met "
       f"on day {n}.&lt;/p&gt;&lt;p&gt;Both sides said the mood was good.&lt;/p&gt;</content></entry>\n" for n in range(1, 4)]
    + ["</feed>\n"]
)


@pytest.mark.parametrize(("name", "feed", "cut", "ids"), [
    ("cut.rss", GARBLED_RSS, "</item>", ["wire-1", "wire-2", "wire-3"]),
    ("cut.atom", GARBLED_ATOM, "</entry>", ["urn:wire:1", "urn:wire:2", "urn:wire:3"]),
])
def test_a_truncated_feed_exits_3_with_its_recovered_items_checked(tmp_path: Path, name: str, feed: str, cut: str, ids: list[str]) -> None:
    import json

    from tests.helpers import RULES_ONLY, run_qa

    path = tmp_path / name
    path.write_bytes(feed[: feed.rindex(cut)].encode())  # the last item has its text but not its end tag
    result = run_qa("check", *RULES_ONLY, "--format", "json", str(path))
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert [a["id"] for a in report["articles"]] == ids
    assert all([i["rule"] for i in a["issues"]] == ["structure.repeated-word"] for a in report["articles"])  # checked
    (error,) = report["summary"]["input_errors"]
    assert error["source"] == str(path)
    assert error["message"].startswith("feed is cut short at line 9, column ")  # where the data ends
    assert error["message"].endswith("3 item(s) read before the break, the last perhaps incomplete")
    whole = tmp_path / f"whole-{name}"
    whole.write_text(feed, encoding="utf-8")
    assert run_qa("check", *RULES_ONLY, "--fail-on", "never", str(whole)).returncode == 0  # the same feed whole: no error


def test_a_feed_cut_before_its_first_item_ends_says_where(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_bytes(GARBLED_RSS.encode()[:60])
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert error.message == "feed has no items: it is cut short at line 3, column 1 (unclosed token)"


@pytest.mark.parametrize("feed", [
    # feedparser calls these bozo (CharacterEncodingOverride), but nothing is lost: the bytes are decoded as what they are
    '<?xml version="1.0" encoding="us-ascii"?><rss version="2.0"><channel><item><guid>g</guid><description>Caf\u00e9 talks went well.</description></item></channel></rss>'.encode(),
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><guid>g</guid><description>Caf\u00e9 talks went well.</description></item></channel></rss>'.encode("cp1252"),
    # an undeclared namespace prefix: not namespace-well-formed, but every element is read
    b'<rss version="2.0"><channel><item><guid>g</guid><dc:creator>Wire</dc:creator><description>Caf\xc3\xa9 talks went well.</description></item></channel></rss>',
])
def test_a_harmless_bozo_is_no_error(tmp_path: Path, feed: bytes) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(feed)
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and article.body == "Caf\u00e9 talks went well."


def test_feed_item_over_the_limit_names_the_item(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(rss_feed(3).replace("<p>The council approved plan 1", "<p>" + "long " * 100 + "The council approved plan 1"))
    items = list(read_inputs([str(path)], max_chars=300))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    assert items[1].source == f"{path}[item 2]"
    assert "over the limit of 300" in items[1].message  # type: ignore[union-attr]


def test_feed_is_sniffed_without_its_extension(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes((DATA / "feed.atom").read_bytes())
    assert [a.id for a in read_inputs([str(path)]) if isinstance(a, Article)] == ["urn:agency:2026:881", "urn:agency:2026:882"]


def test_thousand_item_feed(big_feed: Path) -> None:
    articles = list(read_inputs([str(big_feed)]))
    assert len(articles) == 1000 and all(isinstance(a, Article) for a in articles)
    assert len({a.id for a in articles}) == 1000  # type: ignore[union-attr]
    assert articles[999].body == (  # type: ignore[union-attr]
        "The council approved plan 999 on Friday after a long debate.\n\n"
        "Opponents said the plan would cost more than promised; the mayor disagreed."
    )


def test_a_feed_with_two_byte_order_marks_and_a_utf32_declaration_is_read() -> None:
    from qa.ingest import read_data

    feed = '<?xml version="1.0" encoding="utf-32"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>T</title><content>Body text.</content></entry></feed>'
    data = b"\xff\xfe\x00\x00" + ("\ufeff" + feed).encode("utf-32-le")
    (item,) = list(read_data("double-bom.atom", data, "feed", 200_000))
    assert not isinstance(item, InputError), item
    assert item.body == "Body text."
