"""qa.datasets: the MLQE-PE and MQM readers (detokenised MLQE-PE with its tags, MQM spans as word labels), shared by bench and learned."""

from __future__ import annotations

from pathlib import Path

from qa.datasets.mlqe import detokenize, mlqe_examples
from qa.datasets.mqm_spans import mqm_examples
from qa.datasets.training import examples

TRAIN = Path(__file__).parent / "data" / "train"


def test_detokenize_prints_punctuation_as_copy_and_keeps_token_spans() -> None:
    tokens = 'He said " this is ( a test ) " , and don \'t go ; 5 % ?'.split()
    text, spans = detokenize(tokens)
    assert text == 'He said "this is (a test)", and don\'t go; 5%?'
    assert [text[s:e] for s, e in spans] == tokens


def test_mlqe_rows_become_the_mt_sentence_then_its_post_edit() -> None:
    found = list(mlqe_examples(TRAIN, "ro-en", "train"))
    mt = [e for e in found if e.source == "mlqe/ro-en/mt"]
    pe = [e for e in found if e.source == "mlqe/ro-en/pe"]
    assert len(mt) == 12 and 0 < len(pe) <= 12
    first = mt[0]
    assert first.text.startswith("Only 200 metres later, we arrive")
    bad = [first.text[s:e] for (s, e), label in zip(first.words, first.labels) if label]
    assert bad[:2] == ["Former", "Bandy"] and first.score == 0.24
    assert all(label == 0 for e in pe for label in e.labels) and all(e.score == 0 for e in pe)


def test_mqm_spans_mark_the_words_they_overlap_in_the_unquoted_target() -> None:
    found = list(mqm_examples(TRAIN, "wmt22-news.dev.tsv"))
    quoted = found[3]
    assert quoted.text == 'Officials said the "Overall Plan" would be published soon.'
    assert [quoted.text[s:e] for (s, e), label in zip(quoted.words, quoted.labels) if label] == ["Overall", "Plan"]
    assert quoted.marked == ((20, 32),)
    clean = found[2]
    assert clean.marked == () and not any(clean.labels) and clean.score == 0


def test_every_split_reads_all_pairs_and_mqm_files() -> None:
    train = list(examples(TRAIN, "train"))
    sources = {e.source.rsplit("/", 1)[0] if e.source.startswith("mlqe") else e.source for e in train}
    assert sources == {f"mlqe/{p}" for p in ("et-en", "ne-en", "ro-en", "ru-en", "si-en")} | {"mqm/wmt21-news", "mqm/wmt21-ted"}
    assert all(len(e.words) == len(e.labels) for e in train)
    assert {e.source for e in examples(TRAIN, "dev") if e.source.startswith("mqm")} == {"mqm/wmt22-news"}


def _imports(package: str) -> set[str]:
    """Every ``qa.*`` module that a module of ``qa/<package>/`` imports, at any depth of the code."""
    import ast

    found: set[str] = set()
    for path in (Path(__file__).resolve().parent.parent / "qa" / package).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("qa.")}


def test_bench_and_learned_share_the_readers_and_import_neither_each_other() -> None:
    assert not {m for m in _imports("bench") if m.startswith("qa.learned")}
    assert not {m for m in _imports("learned") if m.startswith("qa.bench")}
    assert not {m for m in _imports("datasets") if m.startswith(("qa.bench", "qa.learned"))}
