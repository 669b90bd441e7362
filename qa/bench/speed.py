"""Speed and memory of each checker set, each measured in a fresh subprocess.

Every mode runs as ``python -m qa.bench.speed MODE …`` so that start-up (imports, rule packs,
model loading) and peak resident memory belong to that mode alone. The parent takes the child's
peak RSS from ``os.wait4``; the child reports its own timings on its last stdout line as JSON.
Start-up is launch → the first tiny article checked (lazy model or server start-up included);
throughput is measured on the corpus after that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qa.config import Config
from qa.model import Article, InputError

# each mode switches checker families on or off (qa.registry); the others keep their defaults
MODES: dict[str, dict[str, bool]] = {
    "rules": {"embeddings": False, "languagetool": False, "learned": False},
    "rules+embeddings": {"embeddings": True, "languagetool": False, "learned": False},
    "default": {"languagetool": False},  # what qa check runs without a LanguageTool (the learned tagger too)
    "default+lm": {"languagetool": False, "lm": True},  # the default and the language model (qa check --lm)
    "rules+languagetool": {"embeddings": False, "languagetool": True},
    "all": {"embeddings": True, "languagetool": True},
}
WARM_UP = Article("warm-up", "speed", "Warm-up", "The minister said talks would resume on Friday. Both sides agreed.")


def load_corpus(paths: Sequence[str], max_chars: int = 200_000) -> tuple[list[Article], list[InputError]]:
    """Articles from an MQM TSV (built as the MQM benchmark builds them) or from any input ``qa check`` reads."""
    from qa.ingest import read_inputs

    articles: list[Article] = []
    errors: list[InputError] = []
    for name in paths:
        if name.endswith(".tsv"):
            from qa.bench.mqm import build_articles, build_segments
            from qa.datasets.mqm_ratings import read_tsv

            articles += [a.article for a in build_articles(build_segments(read_tsv(Path(name))))]
            continue
        for item in read_inputs([name], max_chars):
            (errors if isinstance(item, InputError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors


def mode_config(base: Config, mode: str, languagetool: str) -> Config:
    """The config of one mode: its switches, and LanguageTool (where on) at ``languagetool``."""
    config = base.switched(**MODES[mode])
    return config.with_section("languagetool", mode=languagetool) if MODES[mode].get("languagetool") else config


def worker(mode: str, corpus: Sequence[str], languagetool: str, config_file: str | None) -> dict[str, Any]:
    """Run one mode in this process and return its timings (called in the child)."""
    from qa.config import load_config
    from qa.engine import check
    from qa.registry import build_checkers
    from qa.text import Document

    config = mode_config(load_config(Path(config_file) if config_file else None), mode, languagetool)
    checkers = build_checkers(config)
    names = [c.name for c in checkers if c.status.ran]
    check([WARM_UP], config, checkers)
    ready = time.time()
    articles, _ = load_corpus(corpus, config.max_article_chars)
    docs = [Document.from_article(a) for a in articles]  # counted once, outside the timed run
    sentences = sum(len(d.sentences) for d in docs)
    words = sum(d.words for d in docs)
    begin = time.perf_counter()
    report = check(articles, config, checkers)
    seconds = time.perf_counter() - begin
    import resource

    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "checkers": names,
        "ready": ready,
        "seconds": seconds,
        "articles": len(articles),
        "sentences": sentences,
        "words": words,
        "findings": len(report.issues()),
        "notes": list(report.notes),
        "helper_rss_mb": helpers / 1024 if helpers else None,
    }


def run_mode(mode: str, corpus: Sequence[str], languagetool: str, config_file: str | None) -> dict[str, Any]:
    """Measure one mode in a fresh interpreter: start-up, throughput and peak RSS."""
    command = [sys.executable, "-m", "qa.bench.speed", mode, languagetool, config_file or "", *corpus]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_root(), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        launched = time.time()
        child = subprocess.Popen(command, stdout=out_file, stderr=err_file, text=True, env=env)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage: its peak RSS alone
        child.returncode = code = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    result: dict[str, Any] = {"mode": mode}
    lines = out.strip().splitlines()
    if code != 0 or not lines:
        reason = (err.strip().splitlines() or [f"exit code {code}"])[-1]
        return {**result, "status": "failed", "reason": reason}
    data = json.loads(lines[-1])
    if MODES[mode].get("languagetool") and "languagetool" not in data["checkers"]:
        return {**result, "status": "skipped", "reason": "; ".join(data["notes"]) or "LanguageTool not reachable"}
    seconds = max(data["seconds"], 1e-9)
    return {
        **result,
        "status": "ok",
        "checkers": data["checkers"],
        "startup_s": data["ready"] - launched,
        "run_s": data["seconds"],
        "articles": data["articles"],
        "sentences": data["sentences"],
        "words": data["words"],
        "findings": data["findings"],
        "articles_per_s": data["articles"] / seconds,
        "sentences_per_s": data["sentences"] / seconds,
        "words_per_s": data["words"] / seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "helper_rss_mb": data["helper_rss_mb"],
        "notes": data["notes"],
    }


def _root() -> str:
    """The folder that holds the ``qa`` package, so the child imports this same code."""
    return str(Path(__file__).resolve().parent.parent.parent)


def cpu_facts() -> dict[str, Any]:
    """What the numbers depend on: the CPU, its bfloat16 support, the CPUs usable and the load when measured."""
    from qa.process import bfloat16_from_flags, cpu_flags, usable_cpus

    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        info = ""
    names = [line.partition(":")[2].strip() for line in info.splitlines() if line.startswith("model name")]
    flags = cpu_flags(info) or frozenset()
    return {
        "cpu": names[0] if names else "unknown",
        "usable_cpus": usable_cpus(),
        "avx512f": "avx512f" in flags,
        "native_bfloat16": bfloat16_from_flags(flags),
        "load_before": round(os.getloadavg()[0], 2),
    }


def measure(
    modes: Sequence[str], corpus: Sequence[str], languagetool: str, config_file: str | None, progress: bool = False
) -> dict[str, Any]:
    """Run every mode one after another and add each one's ratio to rules-only."""
    facts = cpu_facts()
    rows = []
    for number, mode in enumerate(modes, 1):
        if progress:
            print(f"[{number}/{len(modes)}] {mode} …", file=sys.stderr, flush=True)
        rows.append(run_mode(mode, corpus, languagetool, config_file))
    facts["load_after"] = round(os.getloadavg()[0], 2)
    base = next((r for r in rows if r["mode"] == "rules" and r["status"] == "ok"), None)
    for row in rows:
        if base and row["status"] == "ok":
            row["time_ratio"] = base["words_per_s"] / row["words_per_s"]
            row["startup_ratio"] = row["startup_s"] / base["startup_s"]
            if row["peak_rss_mb"] and base["peak_rss_mb"]:
                row["rss_ratio"] = row["peak_rss_mb"] / base["peak_rss_mb"]
    return {"corpus": list(corpus), "cpus": os.cpu_count(), "python": sys.version.split()[0], **facts, "modes": rows}


def _main(argv: Sequence[str]) -> None:
    from qa.process import configure

    configure()  # a program, measured as the CLI runs: with its process settings
    mode, languagetool, config_file, *corpus = argv
    print(json.dumps(worker(mode, corpus, languagetool, config_file or None)))


if __name__ == "__main__":
    _main(sys.argv[1:])
