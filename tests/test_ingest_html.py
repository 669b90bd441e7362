"""HTML pages and fragments: article text kept, scripts, navigation and boilerplate dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest import read_inputs
from qa.ingest.html import html_to_text
from qa.model import Article, InputError

DATA = Path(__file__).parent / "data" / "ingest"


def test_news_page_headline_and_paragraphs() -> None:
    (article,) = read_inputs([str(DATA / "page.html")])
    assert isinstance(article, Article)
    assert article.id == article.source == str(DATA / "page.html")
    assert article.title == "Harbour ferry returns after storm repairs"
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The harbour ferry resumed service on Monday")
    assert paragraphs[2].endswith("almost an hour a day.")
    for junk in ("ENGAGE-TRACKER", "Subscribe", "World news", "cookies", "Most read", "Copyright", "Privacy", ".promo"):
        assert junk not in article.body


def test_page_with_no_text_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>Empty</title><script>var a = 1;</script></head><body></body></html>")
    (error,) = read_inputs([str(path)])
    assert isinstance(error, InputError)
    assert (error.source, error.message) == (str(path), "no article text found in the HTML page")


def test_a_page_over_the_size_limit_is_refused_by_name_and_the_next_input_is_read(tmp_path: Path) -> None:
    flood = "<html><body><article><p " + " ".join(f'a{i}="{i}"' for i in range(400_000)) + ">Text.</p></article></body></html>"
    big = tmp_path / "a-big.html"
    big.write_text(flood)
    (tmp_path / "b-page.html").write_bytes((DATA / "page.html").read_bytes())
    error, article = read_inputs([str(tmp_path)])
    assert isinstance(error, InputError) and error.source == str(big) and not error.internal
    assert error.message == f"HTML page is {big.stat().st_size:,} bytes, over the limit of 3,000,000 bytes for one news page"
    assert isinstance(article, Article) and article.title == "Harbour ferry returns after storm repairs"


def test_html_is_sniffed_on_an_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "page.php"
    path.write_bytes((DATA / "page.html").read_bytes())
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and article.title == "Harbour ferry returns after storm repairs"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One.</p><p>Two <b>bold</b> words.</p>", "One.\n\nTwo bold words."),
        ("Lead text<br>next line<script>alert(1)</script><style>p{}</style>", "Lead text\n\nnext line"),
        ("<div>  spaced\n   out  </div><!-- note --><ul><li>a</li><li>b</li></ul>", "spaced out\n\na\n\nb"),
        ("<p>Caf&eacute; &amp; bar&nbsp;open</p>", "Café & bar open"),
        ("", ""),
        ('<?xml version="1.0" encoding="utf-8"?><html><body><p>XHTML “quoted”.</p></body></html>', "XHTML “quoted”."),
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text
