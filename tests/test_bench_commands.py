"""Each ``qa bench`` subcommand on a small slice, through the real CLI, so none of them can rot."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli import main

DATA = Path(__file__).parent / "data"
BENCH = DATA / "bench"
RULES_ONLY = ["--no-embeddings", "--languagetool", "off"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bench", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_mqm_on_a_real_slice_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "mqm.json"
    code, text = run("mqm", str(BENCH / "mqm_slice.tsv"), *RULES_ONLY, "--json", str(out))
    assert code == 0
    assert "| segment pairwise accuracy |" in text and "| MQM category |" in text
    data = json.loads(out.read_text())
    metrics = data["metrics"]
    assert (metrics["articles"], metrics["segments"], metrics["systems"]) == (10, 30, 10)
    assert metrics["pairs"] > 0 and 0 <= metrics["pairwise_accuracy"] <= 1
    assert "rules:" in data["signature"]


def test_mqm_tiny_matches_the_hand_computed_value(tmp_path: Path) -> None:
    out = tmp_path / "tiny.json"
    code, _ = run("mqm", str(BENCH / "tiny.tsv"), *RULES_ONLY, "--docs", "1", "--json", str(out))
    assert code == 0
    metrics = json.loads(out.read_text())["metrics"]
    assert metrics["articles"] == 4  # only d1
    assert metrics["pairwise_accuracy"] == 9.5 / 11  # d1/1 5.5 of 6, d1/2 4 of 5 (see test_bench_mqm)


def test_gold_scores_the_seed_spans(tmp_path: Path) -> None:
    out = tmp_path / "gold.json"
    code, text = run("gold", str(DATA / "biden-kishida.txt"), str(DATA / "biden-kishida.gold.json"), *RULES_ONLY, "--json", str(out))
    assert code == 0
    data = json.loads(out.read_text())
    assert data["spans"] == 15 and data["found"] >= 10 and data["strays"] <= 2
    assert "| “backtrack” |" in text


def test_clean_counts_false_alarms_by_rule(tmp_path: Path) -> None:
    out = tmp_path / "clean.json"
    code, text = run("clean", str(BENCH / "clean.jsonl"), *RULES_ONLY, "--json", str(out))
    assert code == 0
    data = json.loads(out.read_text())
    assert (data["articles"], data["findings"], data["pass_share"]) == (2, 1, 0.5)
    assert data["by_rule"]["structure.repeated-word"]["per_1000"] == 1000 * 1 / data["words"]
    assert "| structure.repeated-word |" in text


def test_clean_reports_unreadable_items_and_exits_3(tmp_path: Path) -> None:
    broken = tmp_path / "mixed.jsonl"
    broken.write_text((BENCH / "clean.jsonl").read_text() + '{"id": "x", "title": "no body"}\n', encoding="utf-8")
    code, text = run("clean", str(broken), *RULES_ONLY)
    assert code == 3 and f"{broken}:3" in text and "missing" in text
    assert "| 2 |" in text  # the two good articles are still scored


def test_speed_measures_rules_only_in_a_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "speed.json"
    code, text = run("speed", str(BENCH / "clean.jsonl"), "--modes", "rules", "--json", str(out))
    assert code == 0, text
    (row,) = json.loads(out.read_text())["modes"]
    assert row["status"] == "ok" and row["checkers"] == ["rules"]
    assert row["articles"] == 2 and row["words_per_s"] > 0
    assert 0 < row["startup_s"] < 60 and row["peak_rss_mb"] > 5
    assert row["time_ratio"] == 1.0
    facts = json.loads(out.read_text())
    assert facts["usable_cpus"] >= 1 and isinstance(facts["native_bfloat16"], bool) and facts["load_before"] >= 0
    assert "Machine: " in text and "native bfloat16" in text


def test_speed_rejects_an_unknown_mode() -> None:
    result = CliRunner().invoke(main, ["bench", "speed", str(BENCH / "clean.jsonl"), "--modes", "gpu"])
    assert result.exit_code == 2 and "unknown mode" in result.output


def test_speed_modes_switch_the_learned_tagger_only_in_default() -> None:
    from qa.bench.speed import mode_config
    from qa.config import Config

    from qa.registry import is_on

    assert not is_on(mode_config(Config(), "rules+embeddings", "off"), "learned")
    assert is_on(mode_config(Config(), "default", "off"), "learned")
    assert not is_on(mode_config(Config(), "rules", "off"), "embeddings")


WMT_HEADER = "system\tdoc\tseg\trater\ttarget\terror_starts\terror_ends\tseverities\n"


def test_wmt_spans_on_any_file_scores_spans_and_rules(tmp_path: Path) -> None:
    """One article per system and document; a rule's finding on a marked span and one on an unmarked segment."""
    folder = tmp_path / "wmt-mqm-zhen"
    folder.mkdir()
    rows = [
        # sysA, doc d1: a doubled word the rater marked (characters 9-16: "the the")
        ("sysA", "d1", "1", "r1", "Talks on the the budget ended.", "9", "16", "minor"),
        ("sysA", "d1", "2", "r1", "The ministry said so.", "-1", "-1", "no-error"),
        # sysB, doc d1: the same slip on a segment the rater found clean
        ("sysB", "d1", "1", "r2", "Talks on a a budget ended.", "-1", "-1", "no-error"),
        ("sysB", "d1", "2", "r2", "The ministry said so.", "-1", "-1", "no-error"),
    ]
    (folder / "wmt21-news.train.tsv").write_text(WMT_HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "spans.json"
    code, text = run("wmt-spans", "--data", str(tmp_path), "--file", "wmt21-news.train.tsv", *RULES_ONLY, "--json", str(out))
    assert code == 0, text
    result = json.loads(out.read_text())
    assert (result["segments"], result["error_free_share"]) == (4, 0.75)
    repeated = result["rules"]["structure.repeated-word"]
    assert (repeated["findings"], repeated["on_marked_span"], repeated["on_error_free_segment"]) == (2, 1, 1)
    assert "| structure.repeated-word | 2 |" in text
    assert (result["precision"], result["recall"]) == (0.7, 1.0)  # "the the" (7 characters, all marked) and "a a" (3, unmarked)


def test_wmt_spans_names_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "wmt-mqm-zhen").mkdir()
    result = CliRunner().invoke(main, ["bench", "wmt-spans", "--data", str(tmp_path), "--file", "nope.tsv", *RULES_ONLY])
    assert result.exit_code == 2 and "no file 'nope.tsv'" in result.output
