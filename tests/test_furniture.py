"""qa.furniture: bylines, datelines, credits and links are furniture; news sentences never are."""

from __future__ import annotations

import json
import time

import pytest

from qa.furniture import furniture_prefix, is_furniture
from tests.helpers import shared_data

FURNITURE = [
    # bylines and credits
    "By Jane Doe",
    "By JANE DOE and JOHN ROE, Associated Press",
    "By Jane Doe, Reuters",
    "By Maria de la Cruz | Staff writer",
    "Reporting by Jane Doe in Kyiv; Editing by John Roe",
    "(Additional reporting by Li Wei)",
    "Source: Xinhua",
    "Editor: Li Sufeng",
    "[Responsible editor: Zhang San]",
    "(End)",
    "China News Finance Reporter Xia Bin",
    "Xinhua commentator",
    "- China News Network",
    # dates and stamps
    "Friday, July 21, 2017",
    "July 21, 2017",
    "2023-02-11 13:07:20",
    "Published: 3 July 2023 10:32 BST",
    "Updated 2 hours ago",
    "Last updated on March 3, 2023 at 10:30 a.m. ET",
    "Posted Nov. 30, 2026",
    "5 min read",
    "2023-02-11 13:07:20 [Source: Xinhua] [Editor: Li Sufeng]",
    # photo and video credits
    "Photo: Reuters",
    "Image credit: Getty Images",
    "Photo by John Smith/Getty Images",
    "Picture from Vietnam News Agency",
    "President Biden speaks at the White House on Monday. (AP Photo/Evan Vucci)",
    "Rescuers search the rubble in Kahramanmaras. REUTERS/Umit Bektas",
    "A man holds his rescued cat (Shutterstock)",
    "Supporters gather outside the court via Getty Images",
    # navigation and promotion
    "Read more: Floods kill 12 in the north",
    "READ MORE",
    "Trending on Yahoo News",
    "Related stories",
    "Share this article",
    "Share | Tweet | Email",
    "Follow us on Twitter",
    "Click here to subscribe",
    "Sign up for our daily newsletter",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Continue reading",
    # copyright, tags, contact
    "© 2023 The Associated Press. All rights reserved.",
    "Copyright 2023 Reuters",
    "Tags: politics, economy, China",
    "Filed under: World News",
    "Email: newsdesk@example.com",
    "Tel: +44 20 7946 0958",
    "Contact the desk at tips@example.org",
    # a dateline alone
    "WASHINGTON (AP) —",
]

PROSE = [
    "By the end of the year, prices had risen by 12 percent.",
    "By Monday, the rescue teams had reached the village.",
    "By contrast, exports fell sharply in March.",
    "By 2030 the city plans to plant a million trees.",
    "Published research shows that the drug reduces deaths.",
    "Published in 2019, the report found widespread fraud.",
    "Updated guidance says schools should stay open.",
    "Photo opportunities were limited during the visit.",
    "Photographs of the scene were shared widely online.",
    "The talks ended on Friday, July 21, 2017, without a deal.",
    "On March 3 the ministry announced new rules.",
    "The prime minister said on Tuesday that he would resign.",
    "Share prices rose 3 percent after the announcement.",
    "Shares of the company fell on Monday.",
    "Read the fine print before you sign, the regulator warned.",
    "Follow-up talks are planned for next week.",
    "Copyright law has not kept pace with technology, critics say.",
    "Written by Treasury Secretary Louis McLane, the bill reduced taxes from 45% to 27%.",
    "Reporters were not allowed into the building.",
    "The photographer was detained for several hours.",
    "Getty Images reported a rise in revenue last year.",
    "More than 20,000 people have died in the earthquake.",
    "Sources said the deal could be signed as early as Monday.",
    "Editors at the newspaper rejected the claim.",
    "Click, the camera maker, said sales had doubled.",
    "Advertisements for the product were banned in 2021.",
    "Contact between the two sides has been limited since the war.",
    "Trending topics on social media included the election.",
    "The NATO alliance — founded in 1949 — has 31 members.",
    "EU: reception process bottlenecked, officials say.",
    "What day is it today?",
    "Xinhua reporter Xia Bin said the market had recovered.",
    "Tags and labels must be printed in both languages.",
    "Later that day, the minister met his counterpart.",
    "of.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_is_recognised(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", PROSE)
def test_news_sentences_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)
    assert furniture_prefix(line) == 0


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        ("WASHINGTON (AP) — President Biden said", "WASHINGTON (AP) — "),
        ("LONDON, March 3 (Reuters) - Oil prices rose", "LONDON, March 3 (Reuters) - "),
        ("BEIJING, Nov. 30 -- The central bank said", "BEIJING, Nov. 30 -- "),
        ("KYIV, Ukraine — Russian forces", "KYIV, Ukraine — "),
        ("Beijing, 11 Feb (Xinhua) -- A forum was held", "Beijing, 11 Feb (Xinhua) -- "),
        ("Xinhua News Agency, Beijing, February 11th - On February 11th, a forum was held", "Xinhua News Agency, Beijing, February 11th - "),
        ("[Global Times Special Correspondent Niu Ruifei] According to AFP", "[Global Times Special Correspondent Niu Ruifei] "),
        ("PARIS — The French government", "PARIS — "),
        ("NATO — the alliance said", ""),
        ("US, China sign a trade deal", ""),
    ],
)
def test_leading_datelines_are_measured(text: str, prefix: str) -> None:
    assert furniture_prefix(text) == len(prefix)
    assert not is_furniture(text)


def test_a_byline_after_a_dateline_is_furniture() -> None:
    assert is_furniture("WASHINGTON (AP) — By Jane Doe")


def _cpu_seconds(line: str, repeat: int) -> float:
    """The best of five CPU times (not wall time: other work on a shared machine does not count) of ``repeat`` rounds
    of both calls."""
    times = []
    for _ in range(5):
        begin = time.process_time()
        for _ in range(repeat):
            is_furniture(line)
            furniture_prefix(line)
        times.append(time.process_time() - begin)
    return min(times)


@pytest.mark.parametrize("unit", ["Abc ", "1 ", "News ", "Photo ", "x@"])
@pytest.mark.parametrize("lead", ["By ", "[", ""])
def test_long_or_hostile_lines_are_checked_in_linear_time(lead: str, unit: str) -> None:
    """One line eight times as long costs about what eight short lines cost (a rescan from the start would cost eight
    times that); the margin of 3 is wide for a busy machine. Absolute speed is for ``qa bench speed``."""
    short, long = lead + unit * 4000, lead + unit * 32000
    assert _cpu_seconds(long, 1) < 3 * _cpu_seconds(short, 8)


CLEAN_NEWS = "clean_news.wikinews.jsonl"  # in ../shared/bench


def test_on_edited_news_only_the_date_lines_are_furniture() -> None:
    from qa.model import Article
    from qa.text import Document

    marked = []
    for line in (shared_data("bench", CLEAN_NEWS) / CLEAN_NEWS).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        doc = Document.from_article(Article(record["id"], "wikinews", record["title"], record["body"]))
        marked += [s.text for s in doc.sentences if is_furniture(s.text)]
    assert marked and all(is_furniture(text) and text.split(",")[0].endswith("day") for text in marked), marked


def test_sentences_know_whether_they_are_prose() -> None:
    from qa.model import Article
    from qa.text import Document

    body = "By Jane Doe, Reuters\n\nThe talks ended on Friday without a deal.\n\nPhoto: Reuters"
    doc = Document.from_article(Article("a", "t", "Talks end", body))
    assert [(s.text, s.prose) for s in doc.field_sentences("body")] == [
        ("By Jane Doe, Reuters", False),
        ("The talks ended on Friday without a deal.", True),
        ("Photo: Reuters", False),
    ]


def test_incoherent_sentence_skips_bylines() -> None:
    import numpy as np

    from qa.embeddings.coherence import RULE, check_coherence
    from qa.embeddings.vectors import DocVectors
    from qa.model import Article
    from qa.text import Document

    story = [
        "Heavy rain flooded the northern districts of the city overnight.",
        "Rescue teams moved hundreds of families to higher ground by morning.",
        "The river rose two metres above its normal level in a few hours.",
        "Officials said the water would take several days to recede.",
        "Schools in the flooded districts will stay closed until next week.",
    ]
    byline = "By Jane Doe and John Roe, Associated Press"
    garbled = "The cat of the bank sang a loan with green tuesdays quickly."
    doc = Document.from_article(Article("a", "t", "", "\n\n".join([story[0], byline, *story[1:3], garbled, *story[3:]])))
    assert [s.text for s in doc.sentences] == [story[0], byline, *story[1:3], garbled, *story[3:]]
    # story sentences close to one another; the byline and the garbled sentence far from everything
    vectors = np.zeros((len(doc.sentences), 8))
    for row, sentence in enumerate(doc.sentences):
        if sentence.text == byline:
            vectors[row, 6] = 1.0
        elif sentence.text == garbled:
            vectors[row, 7] = 1.0
        else:
            vectors[row, 0], vectors[row, 1 + row % 5] = 0.9, 0.44
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = check_coherence(DocVectors(doc, vectors), threshold=0.25, top=3, corroborated=set())
    assert [(issue.rule, issue.text) for issue in found] == [(RULE, garbled)]
