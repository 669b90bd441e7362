"""Property tests over the readers, the text model and the engine (hypothesis; profile ``ci`` unless
HYPOTHESIS_PROFILE says otherwise). Long campaigns: ``python -m tests.fuzz.run --cases 100000``."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.config import Config
from qa.engine import check
from qa.rules.family import RuleChecker
from qa.ingest import READERS, read_data
from qa.model import Article, InputError
from qa.text import Document, tokenize
from tests.fuzz.generate import FLOODS, FORMATS, document, make_case, mutate
from tests.fuzz.invariants import (
    check_items,
    offsets_problems,
    rules_checker,
    run_case,
    schema_validator,
)

# What a reader must never hand on (the ingest promise, written out here rather than imported): lone surrogates,
# NUL and the other C0/C1 controls but tab and line breaks, and the noncharacters U+FFFE/U+FFFF.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
# any code point, lone surrogates and controls included, with the punctuation the splitter cares about
ANY_TEXT = st.text(st.characters(codec=None, categories=None) | st.sampled_from(list(".!?…。“”\"()[]\n \t’'-")), max_size=300)
NEWS_TEXT = st.lists(
    st.text(st.characters(exclude_categories=("Cs",)) | st.sampled_from(list(".!?…“”\"()\n ")), max_size=40) | st.sampled_from(FLOODS),
    max_size=12,
).map("".join)


@pytest.fixture(scope="module")
def checker() -> RuleChecker:
    """The shipped rules, as a rules-only run uses them."""
    return rules_checker()


@pytest.fixture(scope="module")
def validator() -> Any:
    """The JSON report schema."""
    return schema_validator()


@given(ANY_TEXT)
def test_sentences_paragraphs_and_tokens_index_their_field(text: str) -> None:
    doc = Document.from_article(Article("a", "a", text[:40], text))
    for unit in (*doc.sentences, *doc.paragraphs):
        assert unit.text and doc.article.text(unit.field)[unit.start : unit.end] == unit.text
    for name in ("title", "body"):
        spans = [(s.start, s.end) for s in doc.field_sentences(name)]
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # in order, never overlapping
    assert all(text[t.start : t.end] == t.text for t in tokenize(text))


@given(st.sampled_from(FORMATS), st.randoms(use_true_random=False))
def test_readers_never_raise_on_mutated_documents(fmt: str, rnd: random.Random) -> None:
    data = mutate(rnd, document(rnd, fmt))
    for reader_format in (None, *READERS):
        items = list(read_data("x", data, reader_format, 200_000))
        assert not any(isinstance(i, InputError) and i.internal for i in items), items
        for item in items:
            strings = [item.source, item.message] if isinstance(item, InputError) else [item.id, item.title, item.body]
            assert all(isinstance(s, str) and NOT_TEXT.search(s) is None for s in strings), strings


@given(st.binary(max_size=600), st.sampled_from([None, *READERS]))
def test_readers_never_raise_on_any_bytes(data: bytes, fmt: str | None) -> None:
    items = list(read_data("x", data, fmt, 200_000))
    assert not any(isinstance(i, InputError) and i.internal for i in items)


@given(NEWS_TEXT, NEWS_TEXT)
def test_engine_findings_index_their_field_and_the_report_validates(
    checker: RuleChecker, validator: Any, title: str, body: str
) -> None:
    outcome = check_items([Article("p", "p.txt", title, body)], checker, validator)
    assert outcome.kind == "", outcome.problems


@given(ANY_TEXT)
def test_engine_offsets_hold_even_on_unrepaired_text(checker: RuleChecker, text: str) -> None:
    report = check([Article("p", "p", text[:30], text)], Config().switched(embeddings=False, languagetool=False), checkers=[checker])
    assert offsets_problems(report) == [] and not report.input_errors


@given(st.integers(min_value=0, max_value=2**32))
def test_whole_cases_files_folders_and_stdin(checker: RuleChecker, validator: Any, seed: int) -> None:
    outcome = run_case(make_case(seed), checker, validator)
    assert outcome.kind == "", outcome.problems


def test_a_bounded_campaign_slice_passes() -> None:
    from tests.fuzz.run import main

    assert main(["--cases", "150", "--seed", "1000000", "--cli-every", "75", "--quiet"]) == 0
