"""``qa.simulate``: the thesaurus reader, crude inflection, each damage kind and the seeded, labelled damage."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qa.errors import InputReadError
from qa.simulate.damage import damage
from qa.simulate.inflect import ING, PAST, S, inflect, lemmas
from qa.simulate.kinds import boundary, number, pronoun, spin
from qa.simulate.thesaurus import MYTHES, Thesaurus, parse_mythes, read_mythes

FAKE = """UTF-8
road|1
(noun)|route|Road Map|main road|path (generic term)
flood|2
(verb)|inundate
(noun)|deluge|torrent (similar term)
rose|1
(noun)|blossom
about|1
(adv)|approximately
city|1
(noun)|metropolis|urban center (generic term)
Paris|1
(noun)|capital
"""
ALL = ["spin", "pronoun", "boundary", "number"]


@pytest.fixture
def thesaurus(tmp_path: Path) -> Thesaurus:
    path = tmp_path / "th.dat"
    path.write_text(FAKE, encoding="utf-8")
    return read_mythes(path)


def test_the_reader_keeps_lower_case_single_words_and_drops_marked_ones(thesaurus: Thesaurus) -> None:
    assert [(s.pos, s.synonyms) for s in thesaurus.senses("road")] == [("noun", ("route",))]
    assert [(s.pos, s.synonyms) for s in thesaurus.senses("flood")] == [("verb", ("inundate",)), ("noun", ("deluge",))]
    assert thesaurus.senses("Paris") == () and thesaurus.senses("nothing") == ()
    assert len(thesaurus.sha256) == 64 and thesaurus.source.endswith("th.dat")
    assert parse_mythes(["walk|1", "(verb)|stroll|walk|antonym (antonym)"]).entries["walk"][0].synonyms == ("stroll",)


def test_a_missing_thesaurus_names_the_debian_package(tmp_path: Path) -> None:
    with pytest.raises(InputReadError, match=r"install Debian's mythes-en-us"):
        read_mythes(tmp_path / "none.dat")


@pytest.mark.parametrize(
    ("word", "form", "inflected"),
    [("city", S, "cities"), ("box", S, "boxes"), ("day", S, "days"), ("route", S, "routes"), ("change", PAST, "changed"), ("try", PAST, "tried"),
     ("walk", PAST, "walked"), ("make", ING, "making"), ("die", ING, "dying"), ("see", ING, "seeing"), ("walk", ING, "walking")],
)
def test_crude_inflection(word: str, form: str, inflected: str) -> None:
    assert inflect(word, form) == inflected


def test_lemmas_try_the_word_itself_first() -> None:
    assert list(lemmas("stopped")) == [("base", "stopped"), (PAST, "stopped"[:-2]), (PAST, "stoppe"), (PAST, "stop")]
    assert (S, "city") in list(lemmas("cities")) and (ING, "make") in list(lemmas("making"))


def test_spinning_inflects_like_the_printed_word(thesaurus: Thesaurus) -> None:
    text = "The roads flooded, flooding the city: floods."
    edits = spin(text, random.Random(0), 1.0, thesaurus)
    assert [(text[e.start : e.end], e.printed) for e in edits] == [
        ("roads", "routes"), ("flooded", "inundated"), ("flooding", "inundating"), ("city", "metropolis"), ("floods", edits[-1].printed)
    ]
    assert edits[-1].printed in {"inundates", "deluges"}


def test_names_and_function_words_are_never_spun(thesaurus: Thesaurus) -> None:
    text = "Rose said about 40 people saw the rose in Paris, a well-road city's rose-garden."
    edits = spin(text, random.Random(0), 1.0, thesaurus)
    assert [(text[e.start : e.end], e.printed) for e in edits] == [("rose", "blossom")]


def test_pronoun_flips_keep_case_and_read_her_by_what_follows() -> None:
    text = "He told her the news about her brother. She thanked him; it was his."
    edits = pronoun(text, random.Random(0), 1.0, Thesaurus({}))
    assert [e.printed for e in edits] == ["She", "him", "his", "He", "her", "her"]


def test_boundaries_lose_their_space_or_their_stop_but_abbreviations_stay() -> None:
    text = "The talks ended. Officials left. The U.S. Army and Mr. Smith stayed."
    variants = set()
    for seed in range(20):
        edits = boundary(text, random.Random(seed), 1.0, Thesaurus({}))
        assert [text[e.start : e.end] for e in edits] == ["ended. Officials", "left. The"]
        variants |= {e.printed for e in edits}
    assert variants == {"ended.Officials", "ended Officials", "left.The", "left The"}


def test_grouped_numbers_split_after_one_comma() -> None:
    text = "About 1,200 people and 3,400,000 dollars, not 2024 or 0.5,"
    edits = number(text, random.Random(0), 1.0, Thesaurus({}))
    assert [text[e.start : e.end] for e in edits] == ["1,200", "3,400,000"]
    assert edits[0].printed == "1, 200" and edits[1].printed in {"3, 400,000", "3,400, 000"}


def test_damage_is_seeded_and_its_labels_point_at_the_changed_words(thesaurus: Thesaurus) -> None:
    text = "Rain\n\nThe roads flooded. He said 1,200 people left the city about noon. " * 5
    first, again = damage(text, "k", 1, 0.5, ALL, thesaurus), damage(text, "k", 1, 0.5, ALL, thesaurus)
    assert first == again and first.labels
    assert damage(text, "k", 2, 0.5, ALL, thesaurus) != first and damage(text, "other", 1, 0.5, ALL, thesaurus) != first
    restored, at = [], 0
    for label in first.labels:
        assert first.text[label.start : label.end] == label.printed != label.meant
        restored += [first.text[at : label.start], label.meant]
        at = label.end
    assert "".join(restored) + first.text[at:] == text
    assert {x.category for x in first.labels} == {"spun synonym", "grammar/pronoun", "sentence boundary", "number"}


def test_a_kind_left_out_leaves_the_others_as_they_were(thesaurus: Thesaurus) -> None:
    text = "The roads flooded. He said 1,200 people left the city. " * 5
    every = damage(text, "k", 3, 0.5, ALL, thesaurus).labels
    spun_only = damage(text, "k", 3, 0.5, ["spin"], thesaurus).labels
    assert [x.meant for x in spun_only if x.category == "spun synonym"] and all(x.category == "spun synonym" for x in spun_only)
    assert {(x.printed, x.meant) for x in every if x.category == "spun synonym"} <= {(x.printed, x.meant) for x in spun_only}


def test_the_real_thesaurus_spins_news_words() -> None:
    if not MYTHES.is_file():
        pytest.skip(f"no {MYTHES} (Debian's mythes-en-us is not installed)")
    real = read_mythes()
    assert len(real.entries) > 30_000
    assert {"force", "baron"} <= {w for s in real.senses("power") for w in s.synonyms}
    assert all(w.islower() and w.isalpha() for s in real.senses("bank") for w in s.synonyms)
