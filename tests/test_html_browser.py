"""The HTML report in a real headless Chromium: highlights, filters, details on click, no script injection."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters.html import render
from qa.formatters.json import report_dict
from qa.ingest import read_inputs
from qa.model import Article, CheckerInfo, Report
from tests.helpers import chromium

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CLEAN = Article("clean-1", "feeds/wire.jsonl", "Markets steady", "Shares closed higher on Monday in quiet trading.")
EVIL = Article(
    "evil-1",
    "feeds/evil.jsonl",
    '<script>window.__xss = 1</script> Leaders hold virtual billet',
    '<img src=x onerror="window.__xss = 2"> The talks ended on Friday . US official said.\n\n'
    '</div><script>window.__xss = 3</script><svg onload="window.__xss = 4"></svg>',
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def open_report(browser: Any, report: Report, path: Path) -> Any:
    path.write_text(render(report), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-ready]")
    return page


@pytest.fixture
def seed_report(seed_path: Path, rules_only: Config) -> Report:
    return check(read_inputs([str(seed_path)]), rules_only)


def test_seed_shows_every_finding_in_place(browser: Any, seed_report: Report, tmp_path: Path) -> None:
    expected = len(report_dict(seed_report)["articles"][0]["issues"])
    page = open_report(browser, seed_report, tmp_path / "seed.html")
    shown = page.evaluate(
        """() => { const ids = new Set();
             document.querySelectorAll('#a0 mark.hl').forEach(m => {
               const r = m.getBoundingClientRect();
               if (r.width > 0 && r.height > 0) m.dataset.f.split(' ').forEach(n => ids.add(n)); });
             return ids.size; }"""
    )
    assert expected >= 14 and shown == expected  # 16 before findings of one category on one garble became one
    assert page.locator("#a0 .finding").count() == expected
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#a0 mark.hl").first.click()
    page.screenshot(path=str(ARTIFACTS / "seed-report.png"), full_page=True)
    page.close()


def test_clicking_a_highlight_or_a_listed_finding_opens_its_details(browser: Any, seed_report: Report, tmp_path: Path) -> None:
    page = open_report(browser, seed_report, tmp_path / "seed.html")
    pop = page.locator("#pop")
    assert pop.is_hidden()
    billet = page.locator("#a0 mark.hl", has_text="virtual billet")
    billet.click()
    assert pop.is_visible()
    assert "lexicon.meeting-words" in pop.inner_text() and "probably meant: virtual summit" in pop.inner_text()
    page.keyboard.press("Escape")
    assert pop.is_hidden()

    item = page.locator("#a0 .finding").last  # far down the page: the click must scroll to it
    item.locator(".goto").click()
    assert pop.is_visible()
    rule = item.locator(".facts code").inner_text()
    assert rule in pop.inner_text()
    focused = page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.dataset.f")
    assert focused.startswith("MARK ")
    top = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert 0 <= top <= page.viewport_size["height"]  # scrolled to the highlight
    page.close()


def test_keyboard_focus_on_a_highlight_shows_details(browser: Any, seed_report: Report, tmp_path: Path) -> None:
    page = open_report(browser, seed_report, tmp_path / "seed.html")
    page.locator("#a0 mark.hl").first.focus()
    assert page.locator("#pop").is_visible()
    page.keyboard.press("Enter")
    assert page.locator("#pop").is_visible()
    page.close()


def test_filters_hide_what_they_should(browser: Any, seed_path: Path, rules_only: Config, tmp_path: Path) -> None:
    report = check([*read_inputs([str(seed_path)]), CLEAN], rules_only)
    page = open_report(browser, report, tmp_path / "two.html")
    seed, clean = page.locator("#a0"), page.locator("#a1")
    assert seed.is_visible() and clean.is_visible()

    page.select_option("select[name=verdict]", "pass")
    assert clean.is_visible() and seed.is_hidden()
    assert page.locator("#shown").inner_text() == "1 of 2 articles"
    page.select_option("select[name=verdict]", "")

    page.select_option("select[name=sev]", "info")
    assert seed.is_visible() and clean.is_hidden()  # the clean article has no info finding
    visible = seed.locator(".finding:visible")
    infos = [i for i in report.articles[0].issues if i.severity.label == "info"]
    assert visible.count() == len(infos) >= 1
    assert seed.locator("mark.hl:not(.off)").count() >= 1
    assert seed.locator("mark.s-major:not(.off):not(.multi)").count() == 0
    page.select_option("select[name=sev]", "")

    page.fill("input[name=q]", "quiet trading")
    assert clean.is_visible() and seed.is_hidden()
    page.fill("input[name=q]", "")
    assert seed.is_visible() and clean.is_visible()
    page.close()


def test_hostile_article_text_runs_nothing_and_reads_as_text(browser: Any, rules_only: Config, tmp_path: Path) -> None:
    report = check([EVIL], rules_only)
    assert report.articles[0].issues
    page = open_report(browser, report, tmp_path / "evil.html")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for mark in page.locator("mark.hl").all():
        mark.hover()
        mark.click()
        page.keyboard.press("Escape")  # the pinned details would cover the next highlight
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img, svg[onload], #articles script").count() == 0
    assert "<script>window.__xss = 1</script>" in page.locator("#a0 h2").inner_text()
    assert '<img src=x onerror="window.__xss = 2">' in page.locator("#a0 .text").inner_text()
    assert errors == []
    page.close()


def test_checker_filter_lists_names_and_filters_and_the_page_never_scrolls_sideways(
    browser: Any, seed_path: Path, rules_only: Config, tmp_path: Path
) -> None:
    feed = tmp_path / "wire.rss"
    link = "https://wire.example/world/" + "a-very-long-slug-" * 12
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>Talks resume</title><link>{link}</link><guid>w-1</guid>"
        "<pubDate>Tue, 03 Mar 2026 10:15:00 GMT</pubDate>"
        "<description>The leaders agreed to “backtrack” against China on Friday .</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    report = check([*read_inputs([str(seed_path), str(feed)]), CLEAN], rules_only)
    # the settings of a full run: checkers that ran without a finding, and one with a long settings table
    wide = {f"option_{k}": ["DASH_RULE", "ENGLISH_WORD_REPEAT_BEGINNING_RULE"] * 6 for k in range(12)}
    checkers = (
        *report.settings.checkers,
        CheckerInfo("embeddings", "ran", "all-MiniLM-L6-v2;" + "x" * 300, {"model": "all-MiniLM-L6-v2"}),
        CheckerInfo("languagetool", "skipped: no server reachable", "skipped(no server reachable)", wide),
    )
    report = dataclasses.replace(report, settings=dataclasses.replace(report.settings, checkers=checkers))
    page = open_report(browser, report, tmp_path / "checkers.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.locator("details.provenance > summary").click()  # the settings tables open: still no sideways scroll
    for summary in page.locator("details.provenance details > summary").all():
        summary.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    options = page.locator("select[name=checker] option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    found = len(report.issues())
    assert options == [["", "any"], ["rules", f"rules ({found})"], ["embeddings", "embeddings (0)"],
                       ["languagetool", "languagetool (0)"]]
    assert page.locator("select[name=checker]").bounding_box()["width"] < 400
    assert page.locator("#a1 a.link").get_attribute("href") == link
    assert "2026-03-03T10:15:00Z" in (page.locator("#a1 .meta").text_content() or "")

    page.select_option("select[name=checker]", "rules")
    assert page.locator("#shown").inner_text() == "2 of 3 articles"  # the clean article has no finding at all
    assert page.locator("#a0 .finding:visible").count() == len(report.articles[0].issues)
    assert page.locator("#a2").is_hidden()
    page.select_option("select[name=checker]", "embeddings")
    assert page.locator("#shown").inner_text() == "0 of 3 articles"
    page.select_option("select[name=checker]", "")
    assert page.locator("#shown").inner_text() == "3 of 3 articles"
    page.close()


def test_the_example_articles_quote_garble_is_one_highlighted_finding(browser: Any, seed_report: Report, tmp_path: Path) -> None:
    page = open_report(browser, seed_report, tmp_path / "seed.html")
    garble = page.locator("#a0 .finding", has_text="backtrack")
    assert garble.count() == 1
    text = garble.inner_text()
    assert "probably meant: “push back” against" in text and "Also found here: consistency.headline-quote" in text
    assert "Mistranslation (accuracy/mistranslation)" in text
    assert "““" not in page.locator("#a0").inner_text()
    assert "probably meant: .\n" not in page.locator("#a0").inner_text()
    page.close()
