"""The HTML report without a browser: escaping, CSP, one highlight per finding, self-containment, `qa report`."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.config import Config
from qa.engine import check
from qa.formatters.html import csp_hash, penalty_chart, render
from qa.ingest import read_inputs
from qa.model import Article, Report, Thresholds

EVIL = Article(
    "evil-1",
    "feeds/evil.jsonl",
    '<script>window.__xss = 1</script> Leaders hold virtual billet',
    '<img src=x onerror="window.__xss = 1"> The talks ended on Friday . US official said.\n\n</div><script>window.__xss=2</script>',
)


class Page(html.parser.HTMLParser):
    """Collects what the tests look at: marks, findings, scripts, styles, the CSP, external references."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str]] = []  # (article id, data-f)
        self.findings: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.csp = ""
        self.external: list[str] = []
        self.article = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "article" in (a.get("class") or ""):
            self.article = a["id"] or ""
        if tag == "mark":
            self.marks.append((self.article, a.get("data-f") or ""))
        if tag == "li" and a.get("class") == "finding":
            self.findings.append(self.article)
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content") or ""
        for key in ("src", "href"):
            value = a.get(key)
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


@pytest.fixture
def seed_report(seed_path: Path, rules_only: Config) -> Report:
    return check(read_inputs([str(seed_path)]), rules_only)


def parse(report: Report) -> Page:
    page = Page()
    page.feed(render(report))
    return page


def test_every_finding_is_highlighted_and_listed(seed_report: Report) -> None:
    page = parse(seed_report)
    highlighted = {(art, n) for art, found in page.marks for n in found.split()}
    expected = {(f"a{k}", str(n)) for k, r in enumerate(seed_report.articles) for n in range(len(r.issues))}
    assert len(seed_report.issues()) >= 14  # 16 before findings of one category on one garble became one
    assert highlighted == expected
    assert len(page.findings) == len(seed_report.issues())


def test_page_is_self_contained_under_a_strict_csp(seed_report: Report) -> None:
    page = parse(seed_report)
    assert page.external == []
    assert len(page.scripts) == 1 and len(page.styles) == 1
    assert "default-src 'none'" in page.csp
    assert f"script-src {csp_hash(page.scripts[0])};" in page.csp
    assert f"style-src {csp_hash(page.styles[0])};" in page.csp
    assert "unsafe-inline" not in page.csp


def test_article_text_is_escaped(rules_only: Config) -> None:
    report = check([EVIL], rules_only)
    assert report.articles[0].issues  # the rules still find damage in it
    out = render(report)
    assert "<script>window" not in out and "<img src=x" not in out
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=" in out
    page = Page()
    page.feed(out)
    assert len(page.scripts) == 1  # only our own


def test_penalty_chart_counts_every_article() -> None:
    chart = penalty_chart([0, 0, 0.7, 3, 9.5, 80], Thresholds(review=1, reject=5))
    assert sum(b["count"] for b in chart["bars"]) == 6
    zones = {b["label"]: b["zone"] for b in chart["bars"]}
    assert zones["0"] == "pass" and zones["≤10"] == "reject" and zones["≤3"] == "review"


def test_qa_report_writes_the_html(tmp_path: Path, seed_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["report", "--no-embeddings", "--languagetool", "off", "-o", str(out), str(seed_path)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "virtual billet" in text
    gated = CliRunner().invoke(
        main, ["report", "--fail-on", "major", "--no-embeddings", "--languagetool", "off", "-o", str(out), str(seed_path)]
    )
    assert gated.exit_code == 1
    checked = CliRunner().invoke(
        main, ["check", "--format", "html", "--fail-on", "never", "--no-embeddings", "--languagetool", "off", str(seed_path)]
    )
    assert checked.exit_code == 0 and re.search(r"<mark class=\"hl s-major", checked.output)


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa_contrast() -> None:
    from qa.formatters.html import asset

    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", asset("report.css")))
    pairs = [("ink", "bg"), ("muted", "bg"), ("muted", "panel"), ("focus", "bg")]
    for sev in ("info", "minor", "major", "critical"):
        pairs += [("ink", f"{sev}-bg"), (sev, f"{sev}-bg")]  # highlighted text, severity badges
    for name, background in pairs:
        assert contrast(colours[name], colours[background]) >= 4.5, (name, background)
    for verdict in ("pass", "review", "reject"):
        assert contrast(colours[verdict], "#ffffff") >= 4.5, verdict  # white text on verdict badges


def test_filters_offer_checker_names_and_plain_categories_with_counts(seed_report: Report) -> None:
    page = render(seed_report)
    checker = re.search(r'<select name="checker">(.*?)</select>', page, re.S)
    assert checker is not None
    options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', checker.group(1))
    count = len(seed_report.issues())
    assert options == [("", "any"), ("rules", f"rules ({count})")]
    assert "CheckerInfo" not in checker.group(1)
    assert '<option value="fluency/text-breaking">Broken sentence (fluency/text-breaking) (' in page
    assert "probably meant: <strong>Friday.</strong>" in page  # never "probably meant: ."
    assert "probably meant: <strong>.</strong>" not in page
