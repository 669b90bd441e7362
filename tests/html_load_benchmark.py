"""Measure how fast a large HTML report opens in Chromium (not a test: run it by hand, see docs/benchmarks.md).

    PYTHONPATH=. python tests/html_load_benchmark.py /work/shared/bench/mqm_generalMT2023_zhen.dev.tsv --articles 1000

Builds one article per (system, doc) of the MQM benchmark (segments in order, joined by blank
lines), repeated with new ids until there are ``--articles`` of them, checks them with the rules
only, renders the HTML report and opens it in headless Chromium. Prints the render time, the file
size and, in the browser: DOMContentLoaded, load, and the time until a click on a highlight in the
first highlighted article shows its details (load-to-interactive).
"""

from __future__ import annotations

import argparse
import csv
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from qa.config import Config
from qa.engine import check
from qa.formatters.html import render
from qa.model import Article

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def bench_articles(tsv: Path, count: int) -> list[Article]:
    """One article per (system, doc) of the MQM TSV, cycled until there are ``count``."""
    segments: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    with tsv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = re.sub(r"</?v>", "", row["target"])
            segments[(row["system"], row["doc"])][int(row["docSegId"])] = text
    base = [
        (f"{system}|{doc}", "\n\n".join(segs[k] for k in sorted(segs)))
        for (system, doc), segs in sorted(segments.items())
    ]
    articles = []
    for k in range(count):
        key, body = base[k % len(base)]
        title, _, rest = body.partition("\n\n")
        articles.append(Article(f"{key}#{k // len(base)}", tsv.name, title, rest))
    return articles


def main() -> None:
    """Build, render and time the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("tsv", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    if options.tsv.suffix == ".txt":  # stress: one article repeated (e.g. the seed, 17 findings each)
        from qa.ingest import split_txt

        one = split_txt(options.tsv.read_text(encoding="utf-8"), options.tsv.name)
        articles = [Article(f"{one.id}#{k}", one.source, one.title, one.body) for k in range(options.articles)]
    else:
        articles = bench_articles(options.tsv, options.articles)
    report = check(articles, Config().switched(embeddings=False, languagetool=False))
    started = time.perf_counter()
    page_html = render(report)
    render_s = time.perf_counter() - started
    out = Path(tempfile.mkdtemp()) / "report.html"
    out.write_text(page_html, encoding="utf-8")
    print(f"{len(report.articles)} articles, {len(report.issues())} findings, "
          f"{len(page_html.encode()) / 1e6:.1f} MB, rendered in {render_s:.2f} s")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for run in range(options.runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            t0 = time.perf_counter()
            page.goto(out.as_uri(), wait_until="load")
            page.wait_for_selector("html[data-ready]")
            page.locator("#articles mark.hl").first.click()
            page.wait_for_selector("#pop:not([hidden])")
            interactive = time.perf_counter() - t0
            nav = page.evaluate(
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"
            )
            t1 = time.perf_counter()
            page.select_option("select[name=sev]", "major")
            page.wait_for_function("document.getElementById('shown').textContent.length > 0")
            filter_s = time.perf_counter() - t1
            print(f"run {run + 1}: DOMContentLoaded {nav[0] / 1000:.2f} s, load {nav[1] / 1000:.2f} s, "
                  f"click-to-details ready {interactive:.2f} s after navigation; severity filter {filter_s:.2f} s")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
