"""XSS: 120 payloads in titles, bodies, ids, source paths, rule messages and suggestions, opened in Chromium in
the HTML report and in every page of the review workspace. None may run, and nothing may load from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.engine import check
from qa.formatters.html import render
from qa.model import Article, Issue, Report, Severity
from tests.helpers import chromium
from tests.review_support import serve, write_report

pytestmark = pytest.mark.slow

RUN = "window.__xss=1"  # what every payload tries to do; window.__xss stays undefined while none runs
VECTORS = [
    f"<script>{RUN}</script>",
    f"<img src=x onerror={RUN}>",
    f"<svg onload={RUN}>",
    f"<svg><script>{RUN}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<a href="javascript:{RUN}">click</a>',
    f"<body onload={RUN}>",
    f"<details open ontoggle={RUN}>",
    f"<input autofocus onfocus={RUN}>",
    f"<video><source onerror={RUN}></video>",
    f'<object data="javascript:{RUN}"></object>',
    f'<embed src="javascript:{RUN}">',
    f"<form><button formaction=javascript:{RUN}>go</button></form>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    "<link rel=stylesheet href=http://xss.invalid/a.css>",
    "<img src=http://xss.invalid/b.png>",
    "<style>@import 'http://xss.invalid/c.css';</style>",
    "<base href=http://xss.invalid/>",
    f"{{{{constructor.constructor('{RUN}')()}}}}",
    f"${{{RUN}}}",
    f"<%= {RUN} %>",
    "{{7*7}} [[7*7]] #{7*7}",
    f"javascript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    f"<scr<script>ipt>{RUN}</scr</script>ipt>",
    f"<<script>{RUN}//<</script>",
    f'<img """><script>{RUN}</script>">',
    f"<IMG SRC=JaVaScRiPt:{RUN}>",
    f"<svg><animate onbegin={RUN} attributeName=x dur=1s>",
    f"<marquee onstart={RUN}>x</marquee>",
    f"<select autofocus onfocus={RUN}></select>",
    f"<textarea autofocus onfocus={RUN}></textarea>",
    f"<x onclick={RUN} id=xx>click</x>",
    "<div style=\"background:url('http://xss.invalid/d.png')\">x</div>",
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f"<svg><a xlink:href=\"javascript:{RUN}\"><text x=20 y=20>x</text></a></svg>",
    f"<math href=\"javascript:{RUN}\">x</math>",
    f"<template><img src=x onerror={RUN}></template>",
    f"\u003cimg src=x onerror={RUN}\u003e &lt;script&gt;{RUN}&lt;/script&gt;",
]
BREAKOUTS = ["", '">', "'></textarea></script></title>--></style>]]></mark>"]
PAYLOADS = [breakout + vector for breakout in BREAKOUTS for vector in VECTORS]


def test_the_corpus_has_at_least_100_distinct_payloads() -> None:
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 100


def hostile_report() -> Report:
    """One article per payload: in its id, source path, title, body, and in its finding's message and suggestion."""
    config = Config().switched(embeddings=False, languagetool=False)
    articles = []
    for n, payload in enumerate(PAYLOADS):
        articles.append(Article(f"{payload}#{n}", f"feeds/{payload}.jsonl", f"{payload} headline", f"Intro {payload} tail."))
    report = check(articles, config)
    results = []
    for result in report.articles:
        payload = PAYLOADS[int(result.article.id.rpartition("#")[2])]
        issue = Issue(
            "xss.probe", "other", Severity.MAJOR, f"{payload} message", "body", 6, 6 + len(payload), payload, (f"{payload} fix",)
        )
        results.append(type(result)(result.article, (*result.issues, issue), result.words, result.penalty, result.verdict))
    return Report(report.tool, tuple(results), report.input_errors, report.notes, report.settings)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Watch:
    """A page with every dialog, request and script error recorded."""

    def __init__(self, browser: Any, allowed: str):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith((allowed, "data:", "blob:", "about:")) else self.foreign.append(r.url))

    def assert_nothing_ran(self) -> None:
        """No payload ran, opened a dialog, left an event handler or loaded anything from elsewhere."""
        assert self.page.evaluate("typeof window.__xss") == "undefined"
        handlers = self.page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on')).length"
        )
        assert handlers == 0
        assert self.page.locator("a[href^='javascript:' i], iframe, object, embed, base, body img, body svg:not(.chart), body math").count() == 0
        assert self.dialogs == [] and self.foreign == []


def test_no_payload_runs_in_the_html_report(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render(hostile_report()), encoding="utf-8")
    watch = Watch(browser, "file://")
    watch.page.goto(path.as_uri())
    watch.page.wait_for_selector("html[data-ready]")
    marks = watch.page.locator("mark")
    assert marks.count() >= len(PAYLOADS)
    for i in range(0, marks.count(), 7):  # opening a finding's details renders its message and suggestion
        marks.nth(i).click()
    text = watch.page.evaluate("document.body.textContent")
    assert all(payload in text for payload in PAYLOADS)  # every payload is there, as text
    watch.assert_nothing_ran()


def test_no_payload_runs_in_the_review_pages(browser: Any, tmp_path: Path) -> None:
    report = write_report(hostile_report(), tmp_path / "run.json")
    with serve(tmp_path / "review.sqlite", "--editor", "desk", str(report)) as server:
        watch = Watch(browser, server.base.rstrip("/"))
        watch.page.goto(server.url)
        watch.page.wait_for_selector("body[data-ready]")
        links = watch.page.locator("a.article-link")
        assert links.count() == len(PAYLOADS)
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for href in hrefs:
            watch.page.goto(server.base.rstrip("/") + href)
            watch.page.wait_for_selector("li.finding")
            watch.assert_nothing_ran()
        watch.page.goto(server.base.rstrip("/") + "/stats")
        watch.assert_nothing_ran()
