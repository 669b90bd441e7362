"""Benchmark results as Markdown tables (stdout) and JSON (``--json FILE``)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any


def number(value: Any, digits: int = 3) -> str:
    """A table cell: numbers rounded, missing values as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], digits: int = 3) -> str:
    """A Markdown table; numeric columns are right-aligned."""
    cells = [[number(v, digits) for v in row] for row in rows]
    numeric = [bool(rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def mqm_tables(result: Mapping[str, Any]) -> str:
    """The MQM metrics, then recall per MQM category, then what each rule finds."""
    m = result["metrics"]
    main = table(
        ["metric", "value", "no signal"],
        [
            ["segment pairwise accuracy", m["pairwise_accuracy"], "0.500"],
            ["system Kendall τ", m["kendall_tau"], "0.000"],
            ["system Pearson r", m["pearson"], "0.000"],
            ["article triage AUC", m["triage_auc"], "0.500"],
            ["span precision", m["span_precision"], "≈0.42"],
            ["segments with a major error that got a finding", m["major_flagged"], "–"],
            ["findings per 1,000 words on clean segments", m["clean_per_1000"], "0 ideal"],
        ],
    )
    counts = (
        f"{m['articles']} articles, {m['segments']} segments, {m['systems']} systems, {m['words']:,} words, "
        f"{m['findings']} findings; {m['pairs']:,} segment pairs, triage quarters of {m['triage_quarter']}; "
        f"{m['major_segments']} segments with a major error; {m['clean_segments']} clean segments "
        f"({m['clean_words']:,} words, {m['clean_findings']} findings); {result['seconds']:.1f} s"
    )
    categories = table(
        ["MQM category", "segments", "segments with a finding", "marked spans", "spans overlapped"],
        [[k, v["segments"], v["segment_recall"], v["spans"], v["span_recall"]] for k, v in m["by_category"].items()],
    )
    rules = table(
        ["rule", "findings", "on a marked span", "on clean segments", "categories overlapped"],
        [
            [k, v["findings"], v["span_precision"], v["on_clean"], ", ".join(f"{c} {n}" for c, n in sorted(v["categories"].items(), key=lambda cn: (-cn[1], cn[0])))]
            for k, v in m["by_rule"].items()
        ],
    )
    return f"{main}\n\n{counts}\n\n{categories}\n\n{rules}\n"


def gold_table(result: Mapping[str, Any]) -> str:
    """Marked spans found and strays, then each marked span with the rules that found it."""
    head = table(
        ["article", "marked spans", "found", "recall", "findings", "strays"],
        [[result["article"], result["spans"], result["found"], result["recall"], result["findings"], result["strays"]]],
    )
    detail = table(
        ["span", "text", "found by"],
        [[f"{d['start']}–{d['end']}", _cell(d["text"]), ", ".join(d["found_by"]) or "—"] for d in result["detail"]],
    )
    strays = table(["stray rule", "offsets", "text"], [[s["rule"], f"{s['start']}–{s['end']}", _cell(s["text"])] for s in result["stray_findings"]])
    return f"{head}\n\n{detail}\n" + (f"\n{strays}\n" if result["stray_findings"] else "")


def clean_table(result: Mapping[str, Any]) -> str:
    """Findings per 1,000 words overall and by rule, and the share of articles that pass."""
    head = table(
        ["articles", "words", "findings", "per 1,000 words", "share passing"],
        [[result["articles"], result["words"], result["findings"], result["per_1000"], result["pass_share"]]],
    )
    rules = table(["rule", "findings", "per 1,000 words"], [[k, v["findings"], v["per_1000"]] for k, v in result["by_rule"].items()])
    return f"{head}\n\n{rules}\n" if result["by_rule"] else f"{head}\n"


def mlqe_table(result: Mapping[str, Any]) -> str:
    """MLQE-PE dev per language pair."""
    rows = [
        [pair, r["sentences"], r["findings"], r["pearson_hter"], r["word_mcc"], r["word_f1_bad"], r["bad_share"], r["flagged_share"]]
        for pair, r in result["pairs"].items()
    ]
    header = ["pair", "sentences", "findings", "Pearson vs HTER", "word MCC", "word F1 (BAD)", "BAD share", "flagged share"]
    return table(header, rows) + "\n"


def spans_table(result: Mapping[str, Any]) -> str:
    """Character-level span scores on a WMT zh-en MQM file, then one row per rule."""
    row = [result["segments"], result["error_free_share"], result["findings"], result["precision"], result["recall"], result["f1"]]
    overall = table(["segments", "error-free share", "findings", "char precision", "char recall", "char F1"], [row])
    rules = [
        [rule, r["findings"], r["on_marked_span"] / r["findings"], r["error_free_share"]]
        for rule, r in result["rules"].items()
    ]
    return overall + "\n\n" + table(["rule", "findings", "on a marked span", "on error-free segments"], rules) + "\n"


def garbled_tables(result: Mapping[str, Any]) -> str:
    """Garbled news: triage and span metrics, recall per category, then per rule where its findings fall."""
    g, s, wiki = result["metrics"], result["metrics"]["suggestions"], result.get("wikinews")
    rows: list[list[Any]] = [
        ["article triage AUC (penalty, garbled vs clean)", g["auc"], "0.500"],
        ["garbled articles not passed", g["garbled_not_passed"], "–"],
        ["clean articles passed", g["clean_passed"], "1.000 ideal"],
        ["findings per 1,000 words, clean articles", g["clean_per_1000"], "0 ideal"],
    ]
    if wiki is not None:
        rows += [["findings per 1,000 words, Wikinews", wiki["per_1000"], "0 ideal"], ["Wikinews articles passed", wiki["pass_share"], "1.000 ideal"]]
    rows += [
        ["span recall (phrase occurrences overlapped)", g["recall"], "–"],
        ["span recall, pinpointed", g["pinpointed_recall"], "–"],
        ["span recall (SPANS rows, any occurrence)", g["row_recall"], "–"],
        ["span precision (findings on a phrase)", g["precision"], "–"],
        ["suggestion matches meant, top-1", s["top1_share"], "–"],
        ["suggestion matches meant, top-3", s["top3_share"], "–"],
    ]
    main = table(["metric", "value", "no signal"], rows)
    counts = (
        f"{result['split']}: {g['garbled_articles']} garbled and {g['clean_articles']} clean articles; "
        f"{g['rows']} annotated phrases, {g['occurrences']} occurrences, {g['found']} found ({g['pinpointed']} pinpointed), "
        f"{g['rows_found']} phrases found; {g['findings']} findings in garbled articles, {g['on_phrase']} on a phrase; "
        f"clean articles {g['clean_words']:,} words, {g['clean_findings']} findings; "
        f"{s['found_with_meant']} found occurrences with a meaning, {s['with_suggestion']} with a suggestion, "
        f"{s['top1']} top-1 and {s['top3']} top-3 matches"
    )
    if wiki is not None:
        counts += f"; Wikinews {wiki['articles']} articles, {wiki['words']:,} words, {wiki['findings']} findings"
    if result["unfound_rows"]:
        counts += f"; {len(result['unfound_rows'])} SPANS rows not found in their file"
    counts += f"; {result['seconds']:.1f} s"
    categories = table(
        ["category", "occurrences", "found", "recall"],
        [[c, v["occurrences"], v["found"], v["recall"]] for c, v in g["by_category"].items()],
    )
    wiki_rules = wiki["by_rule"] if wiki is not None else {}
    names = [*g["rules"], *(r for r in wiki_rules if r not in g["rules"])]
    header = ["rule", "findings in garbled", "on a phrase", "share on a phrase", "in clean articles"]
    per_rule = []
    for name in names:
        r = g["rules"].get(name, {"garbled": 0, "on_phrase": 0, "clean": 0})
        row = [name, r["garbled"], r["on_phrase"], r["on_phrase"] / r["garbled"] if r["garbled"] else None, r["clean"]]
        per_rule.append(row + ([wiki_rules.get(name, {}).get("findings", 0)] if wiki is not None else []))
    rules = table(header + (["on Wikinews"] if wiki is not None else []), per_rule)
    return f"{main}\n\n{counts}\n\n{categories}\n\n{rules}\n"


def newsroom_table(points: Sequence[Mapping[str, Any]]) -> str:
    """The simulated-review curve: decisions made on the train split → dev detection and clean-copy findings."""
    rows = []
    for p in points:
        g, t, wiki = p["metrics"], p["tally"], p.get("wikinews")
        rows.append([
            p["articles"], p["decisions"], f"{t['confirmed'] + t['fixed']} / {t['dismissed']} / {t['marked']}",
            g["recall"], g["precision"], g["suggestions"]["top3_share"], g["garbled_not_passed"],
            g["clean_per_1000"], wiki["per_1000"] if wiki is not None else None, ", ".join(sorted(p["learned"])) or "–",
        ])
    header = ["train articles reviewed", "decisions", "confirmed / dismissed / marked", "dev span recall", "dev span precision",
              "dev top-3", "dev garbled not passed", "dev clean per 1,000 words", "Wikinews per 1,000 words", "learned"]
    return table(header, rows) + "\n"


def speed_table(result: Mapping[str, Any]) -> str:
    """One row per mode: start-up, throughput, peak memory, and ratios to rules-only."""
    rows = []
    for r in result["modes"]:
        if r["status"] != "ok":
            rows.append([r["mode"], f"{r['status']}: {r['reason']}"] + [None] * 8)
            continue
        rows.append(
            [
                r["mode"],
                "+".join(r["checkers"]),
                r["startup_s"],
                r["articles_per_s"],
                r["sentences_per_s"],
                r["words_per_s"],
                r["peak_rss_mb"],
                r.get("time_ratio"),
                r.get("startup_ratio"),
                r.get("rss_ratio"),
            ]
        )
    header = [
        "mode", "checkers", "start-up s", "articles/s", "sentences/s", "words/s", "peak RSS MB",
        "time × rules", "start-up × rules", "RSS × rules",
    ]
    first = next((r for r in result["modes"] if r["status"] == "ok"), None)
    corpus = f"{first['articles']} articles, {first['sentences']:,} sentences, {first['words']:,} words" if first else ""
    machine = (
        f"{result.get('cpu', '?')}, {result.get('usable_cpus', result['cpus'])} usable CPUs, "
        f"AVX-512 {'yes' if result.get('avx512f') else 'no'}, native bfloat16 {'yes' if result.get('native_bfloat16') else 'no'}, "
        f"load average {result.get('load_before', '?')} before / {result.get('load_after', '?')} after"
    )
    notes = sorted({note for r in result["modes"] for note in r.get("notes", ()) if note.startswith("embeddings:")})
    lines = [f"Corpus: {', '.join(result['corpus'])} ({corpus}); Python {result['python']}", f"Machine: {machine}"]
    lines += [f"Model: {note.removeprefix('embeddings: ')}" for note in notes]
    return table(header, rows, digits=2) + "\n\n" + "\n".join(lines) + "\n"


def _cell(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_json(result: Any, path: Path) -> None:
    """Write a result as indented JSON (nan becomes null)."""
    path.write_text(json.dumps(_clean(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
