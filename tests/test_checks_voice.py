"""voice.narrator-person: quotations masked across paragraphs and quote styles, one finding per sentence."""

from __future__ import annotations

import pytest

from qa.checks.voice import narration, narrator_person
from qa.ingest import split_txt
from qa.text import Document


def _found(body: str) -> list[str]:
    doc = Document.from_article(split_txt("Talks\n\n" + body, "example"))
    return [doc.article.body[h.start : h.end] for h in narrator_person.find(doc)]


def _outside(text: str, inside: bool = False) -> tuple[list[str], bool]:
    para = Document.from_article(split_txt("Talks\n\n" + text, "example")).paragraphs[-1]
    spans, still = narration(para, inside)
    return [text[a:b] for a, b in spans], still


def test_quotations_of_every_style_are_masked() -> None:
    assert _outside("He said “we go” and «we stay» and ‘we rest’ and ``we eat'' today.") == (
        ["He said ", " and ", " and ", " and ", " today."],
        False,
    )


def test_an_apostrophe_does_not_close_a_single_quotation() -> None:
    assert _outside("‘Japan’s budget is ours,’ she said.") == ([" she said."], False)


def test_a_quotation_left_open_runs_into_the_next_paragraph_until_its_closer() -> None:
    assert _outside("He said: “We will go.") == (["He said: "], True)
    assert _outside("And we will stay,” he added, and we left.", inside=True) == ([" he added, and we left."], False)
    assert _outside("“We stay,” he said.", inside=True) == ([" he said."], False)  # opened again: news style


@pytest.mark.parametrize("text", ["– We gather when we can, Støre says.", "Do you expect a coalition?"])
def test_dialogue_and_interview_questions_are_all_speech(text: str) -> None:
    assert _outside(text) == ([], False)


def test_one_finding_per_article_counting_the_other_sentences_and_us_is_not_a_pronoun() -> None:
    body = "The US said we would go and we would stay. Then you left.\n\nUs Weekly reported it. Our team won."
    assert _found(body) == ["we"]
    doc = Document.from_article(split_txt("Talks\n\n" + body, "example"))
    assert "(and in 2 more sentences)" in str(next(narrator_person.find(doc)).message)


def test_capitalised_forms_only_where_a_sentence_starts() -> None:
    assert _found("It rained. We stayed home.") == ["We"]
    assert _found("They read Your Money magazine.") == []
