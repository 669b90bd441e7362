"""`qa check --suppressions/--baseline` and `qa baseline create`: exit codes, stale entries, moved offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from qa.review.loader import load_report
from qa.review.store import Store
from tests.review_support import ROOT, SUMMIT, make_report, run_qa, write_articles

CHECK = ("check", "--no-embeddings", "--languagetool", "off")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the real garbled seed article that the tests edit."""
    path = tmp_path / "story.txt"
    path.write_text((ROOT / "tests/data/biden-kishida.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check_json(article: Path, *args: str) -> tuple[int, dict[str, object], str]:
    result = run_qa(*CHECK, "--format", "json", *args, article.name, cwd=article.parent)
    return result.returncode, json.loads(result.stdout), result.stderr


def test_dismissed_findings_are_suppressed_and_stop_failing(article: Path, tmp_path: Path) -> None:
    assert run_qa(*CHECK, article.name, cwd=tmp_path).returncode == 1
    db = tmp_path / "review.sqlite"
    store = Store(db)
    report = run_qa(*CHECK, "--format", "json", article.name, cwd=tmp_path)
    (tmp_path / "run.json").write_text(report.stdout, encoding="utf-8")

    store.import_report(load_report(tmp_path / "run.json"), "run.json")
    run = store.latest_run()
    assert run is not None
    (item,) = store.queue(run["id"])
    findings = store.findings(item.id)
    major = [f for f in findings if f["severity"] >= 2]
    for f in major:
        store.decide_finding(f["id"], "dismiss", "accepted wording", "ana")
    code, data, _ = _check_json(article, "--suppressions", str(db))
    assert code == 0
    issues = data["articles"][0]["issues"]  # type: ignore[index]
    assert sum(bool(i.get("suppressed")) for i in issues) == len(major)
    assert all("suppressed" not in i for i in issues if i["severity"] not in ("major", "critical"))
    # a change of mind (confirm after dismiss) makes the finding count again
    store.decide_finding(major[0]["id"], "confirm", "", "ben")
    assert _check_json(article, "--suppressions", str(db))[0] == 1
    # with a lower --fail-on the undismissed minor findings still fail
    assert _check_json(article, "--suppressions", str(db), "--fail-on", "minor")[0] == 1


def test_baseline_suppresses_known_findings_even_when_offsets_move(article: Path, tmp_path: Path) -> None:
    run_json = tmp_path / "run.json"
    # the report keys a .txt article by its path as given, so check it by the same relative name
    result = run_qa(*CHECK, "--format", "json", "-o", str(run_json), article.name, cwd=tmp_path)
    assert result.returncode == 1
    made = run_qa("baseline", "create", "--report", str(run_json), "-o", "qa-baseline.yml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    entries = yaml.safe_load((tmp_path / "qa-baseline.yml").read_text(encoding="utf-8"))["findings"]
    assert len(entries) == len(json.loads(run_json.read_text())["articles"][0]["issues"])
    assert {"fingerprint", "article", "rule", "text"} <= set(entries[0])

    assert _check_json(article, "--baseline", "qa-baseline.yml")[0] == 0
    # text inserted before every finding: all offsets move, the findings are the same
    _edit(article, "US President Joe Biden and Japanese Prime Minister Fumio Kishida held virtual talks.",
          "In a long-awaited call, US President Joe Biden and Japanese Prime Minister Fumio Kishida held talks.")
    code, data, stderr = _check_json(article, "--baseline", "qa-baseline.yml")
    assert code == 0, stderr
    assert all(i.get("suppressed") for i in data["articles"][0]["issues"])  # type: ignore[index]
    summary = data["summary"]  # type: ignore[index]
    assert summary["issues"] == 0 and summary["suppressed"] == len(entries) and not any(summary["severities"].values())
    assert "stale_baseline" not in data
    # the CI formats agree: nothing fails, SARIF marks every result suppressed
    junit = run_qa(*CHECK, "--format", "junit", "--baseline", "qa-baseline.yml", article.name, cwd=tmp_path)
    assert junit.returncode == 0 and 'failures="0"' in junit.stdout
    github = run_qa(*CHECK, "--format", "github", "--baseline", "qa-baseline.yml", article.name, cwd=tmp_path)
    assert github.stdout and not any(line.startswith("::error") for line in github.stdout.splitlines())
    sarif = json.loads(run_qa(*CHECK, "--format", "sarif", "--baseline", "qa-baseline.yml", article.name, cwd=tmp_path).stdout)
    assert all(r["suppressions"][0]["kind"] == "external" for r in sarif["runs"][0]["results"])
    # a new error is not in the baseline: the run fails again
    _edit(article, "held talks.", "held talks in a virtual billet.")
    assert _check_json(article, "--baseline", "qa-baseline.yml")[0] == 1


def test_stale_baseline_entries_are_listed(article: Path, tmp_path: Path) -> None:
    result = run_qa(*CHECK, "--format", "json", "-o", "run.json", article.name, cwd=tmp_path)
    assert result.returncode == 1
    assert run_qa("baseline", "create", "--report", "run.json", "-o", "b.yml", cwd=tmp_path).returncode == 0
    _edit(article, "Before the virtual billet,", "Before the virtual summit,")
    code, data, stderr = _check_json(article, "--baseline", "b.yml")
    assert code == 0
    (stale,) = data["stale_baseline"]  # type: ignore[misc]
    assert stale["rule"] == "lexicon.meeting-words" and stale["text"] == "virtual billet"
    assert "stale baseline" in stderr and "virtual billet" in stderr


def test_baseline_from_the_review_database(article: Path, tmp_path: Path) -> None:
    result = run_qa(*CHECK, "--format", "json", "-o", "run.json", article.name, cwd=tmp_path)

    store = Store(tmp_path / "review.sqlite")
    store.import_report(load_report(tmp_path / "run.json"), "run.json")
    run = store.latest_run()
    assert result.returncode == 1 and run is not None
    (item,) = store.queue(run["id"])
    majors = [f for f in store.findings(item.id) if f["severity"] >= 2]
    for f in majors:
        store.decide_finding(f["id"], "dismiss", "house style", "ana")
    made = run_qa("baseline", "create", "--db", "review.sqlite", "-o", "b.yml", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    entries = yaml.safe_load((tmp_path / "b.yml").read_text(encoding="utf-8"))["findings"]
    assert len(entries) == len(majors)
    assert all("house style" in e["reason"] and "ana" in e["reason"] for e in entries)
    assert _check_json(article, "--baseline", "b.yml")[0] == 0


def test_broken_baseline_or_missing_database_is_an_input_error(article: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("findings: [{rule: x}]\n", encoding="utf-8")
    result = run_qa(*CHECK, "--baseline", "bad.yml", article.name, cwd=tmp_path)
    assert result.returncode == 3 and "bad.yml" in result.stderr and "fingerprint" in result.stderr
    result = run_qa(*CHECK, "--suppressions", "missing.sqlite", article.name, cwd=tmp_path)
    assert result.returncode == 3 and "missing.sqlite" in result.stderr
    assert not (tmp_path / "missing.sqlite").exists()


def test_a_dismissal_silences_a_finding_only_for_the_newsroom_that_made_it(tmp_path: Path) -> None:
    """Two newsrooms review the same wire story; one dismisses a finding. Its database, its baseline and its
    table silence nothing in a run that does not name them: the other newsroom still sees the finding."""
    feed = write_articles(tmp_path / "wire.jsonl", [SUMMIT])
    report = make_report([feed])
    stores = {}
    for newsroom in ("north", "south"):
        store = Store(tmp_path / f"{newsroom}.sqlite")
        (item,) = store.queue(store.import_report(report, "wire.jsonl"))
        stores[newsroom] = (store, item.id)
    north, article = stores["north"]
    (finding,) = [f for f in north.findings(article) if f["text"] == "back down against"]
    north.decide_finding(finding["id"], "dismiss", "quoted as said", "ana")

    def suppressed(*args: str) -> list[bool]:
        done = run_qa(*CHECK, "--format", "json", *args, feed.name, cwd=tmp_path)
        issues = json.loads(done.stdout)["articles"][0]["issues"]
        return [bool(i.get("suppressed")) for i in issues if i["text"] == "back down against"]

    assert suppressed("--suppressions", "north.sqlite") == [True]
    assert suppressed("--suppressions", "south.sqlite") == [False] and suppressed() == [False]
    for newsroom in ("north", "south"):
        assert run_qa("baseline", "create", "--db", f"{newsroom}.sqlite", "-o", f"{newsroom}.yml", cwd=tmp_path).returncode == 0
        learned = run_qa("learn", "--from-review", f"{newsroom}.sqlite", "--out", newsroom, "--no-model", cwd=tmp_path)
        assert learned.returncode == 0 and "back down against" not in (tmp_path / newsroom / "substitutions.tsv").read_text()
    assert suppressed("--baseline", "north.yml") == [True] and suppressed("--baseline", "south.yml") == [False]
    (tmp_path / "qa.yml").write_text("learned: {newsroom_table: south/substitutions.tsv}\n", encoding="utf-8")
    assert suppressed("--suppressions", "south.sqlite", "--baseline", "south.yml") == [False]
