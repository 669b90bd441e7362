"""Page furniture: lines of a news page that are not prose, so prose checks should leave them alone.

What counts (a whole line or sentence, ``is_furniture``):

* bylines and credits: "By Jane Doe, Reuters", "By JANE DOE and John Roe", "Reporting by …;
  Editing by …", "Source: Xinhua", "Editor: …", "(End)";
* datelines and stamps: a line that is only a date or time ("Friday, July 21, 2017"),
  "Published: 3 July 2023 10:32 BST", "Updated 2 hours ago", "Last updated on …", "5 min read";
* photo and video credits: "Photo: …", "Image credit: …", "(AP Photo/Evan Vucci)" anywhere,
  "REUTERS/Kevin Lamarque", a line ending in "/Getty Images" or "via Getty Images";
* navigation and promotion: "Read more: …", "Trending on …", "Related stories", "Share this
  article", "Follow us on …", "Click here …", "Sign up for our newsletter", "Advertisement",
  "Story continues below";
* copyright lines ("© 2023 …", "Copyright 2023 …", "… All rights reserved."), tag lists
  ("Tags: …", "Topics: …", "Filed under: …"), contact lines ("Email: …", "Tel: …", a short line
  with an email address or a phone number).

A leading dateline (``furniture_prefix``) is skipped the same way: "WASHINGTON (AP) — ",
"LONDON, March 3 (Reuters) - ", "KYIV, Ukraine — ", "Xinhua News Agency, Beijing, February 11th
- ", "[Global Times Special Correspondent Niu Ruifei] ".

Ordinary sentences are never furniture, however they start ("By the end of …", "Published
research shows …", "Photo opportunities …", "Updated guidance says …"): every pattern needs the
shape of furniture (a colon after a label, a name after "By", nothing but date words after
"Updated"). Patterns are compiled once; each is anchored or bounded, so a check is linear in the
line, and lines longer than ``MAX_CHARS`` are only searched for photo credits.
"""

from __future__ import annotations

import re

MAX_CHARS = 300  # furniture is short; a long line is prose (a caption's photo credit aside)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
# a date as datelines write it: "March 3", "Nov. 30, 2026", "3 March 2023", "2023-03-03", "the 9th"
_DATE = (
    rf"(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH}\.?\s+{_ORDINAL}(?:,?\s*\d{{4}})?|{_ORDINAL}\s+{_MONTH}\.?(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}|the\s+{_ORDINAL})"
)
# words a date or time stamp is made of
_STAMP_WORD = (
    rf"(?:\d+(?:[:./-]\d+)*(?:st|nd|rd|th|am|pm|h)?|{_MONTH}|{_WEEKDAY}|[ap]\.?m\.?|(?-i:[A-Z]{{2,4}}T)|UTC|GMT|IST|CET|ET|PT"
    r"|ago|just|now|today|yesterday|an?|at|on|of|the|by|and|(?:hour|hr|minute|min|second|sec|day|week|month|year)s?"
    r"|updated|published|posted|modified|edited|first|last)"
)
# a stamp has a number, a month, a weekday or a relative time in it ("of." alone is not one)
# (the lookahead walks stamp words only, so a prose line fails at its first other word)
_STAMP_TOKEN = rf"(?>{_STAMP_WORD}(?:\b|(?<=\.)))"  # atomic, with its word end inside: "at" is not "a" + "t"
_STAMP_SEP = r"[\s,.;:|/()–—-]*"
_STAMP_LINE = (
    rf"(?=(?:{_STAMP_TOKEN}{_STAMP_SEP})*?(?:\d|(?:{_MONTH}|{_WEEKDAY}|today|yesterday|ago|now)\b))"
    rf"(?:{_STAMP_TOKEN}{_STAMP_SEP})+"
)
_AGENCY = (
    r"(?:AP|AFP|Reuters|REUTERS|Xinhua|UPI|Bloomberg|CNN|BBC|dpa|DPA|IANS|PTI|ANI|Yonhap|Kyodo|TASS|Tass"
    r"|EFE|ANSA|Bernama|Anadolu|CNA|CP|AAP|RIA Novosti|Interfax|Ukrinform|NAN|APA|KUNA|WAM|SPA|MENA|IRNA)"
)
_NAME_WORD = r"(?-i:[A-Z][\w'’.-]*|(?:de|da|van|von|der|den|del|di|la|le|bin|al|el|ibn)\b)"
_NOT_NAME = rf"(?!(?:{_WEEKDAY}|{_MONTH}|Then|Now|Contrast|Comparison|Far|All|Law|Year|Day|Night|Noon|Midnight|Tomorrow|Today|Tonight|Next|Last|This|That|These|Those|Mid|Early|Late|Christmas|Easter|Then)\b)"
_NAME = rf"{_NOT_NAME}{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}"
_ORG_WORD = r"(?-i:[A-Z][\w.'’&/-]*)"
_ORG = rf"(?:the\s+)?{_ORG_WORD}(?:,?\s+(?:{_ORG_WORD}|of|the|and|for|de|in)){{0,7}}"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE = r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}|\(\d{2,4}\)\s?\d{3,4}[\s.-]\d{3,4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b"

_LABELS = (
    r"advertisement|advert|ad|sponsored(?:\s+content)?|promoted(?:\s+stories)?|paid\s+content|partner\s+content"
    r"|recommended(?:\s+(?:stories|for\s+you|reading|videos?))?|related(?:\s+(?:articles?|stories|coverage|news|content|topics|links|videos?))?"
    r"|more(?:\s+(?:stories|news|on\s+this\s+story|from\s+[\w\s]{1,30}))?|most\s+(?:read|popular|viewed|shared)|top\s+stories|latest(?:\s+news)?"
    r"|trending(?:\s+now)?|watch|listen|video|gallery|photos|comments?|skip\s+to\s+(?:main\s+)?content|skip\s+ad|menu|home"
    r"|back\s+to\s+top|next(?:\s+(?:article|story))?|previous(?:\s+(?:article|story))?|continue\s+reading|keep\s+reading"
    r"|story\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad))?|scroll\s+(?:down\s+)?to\s+continue(?:\s+with\s+content)?"
    r"|loading(?:\.{3}|…)?|read\s+(?:the\s+)?full\s+(?:article|story)|see\s+more|show\s+more|load\s+more|subscribe(?:\s+now)?"
    r"|sign\s+(?:in|up)|log\s+in|newsletter|listen\s+to\s+(?:this\s+)?(?:article|story)|print(?:\s+this\s+(?:article|page))?"
    r"|end|the\s+end|-+\s*end\s*-+|full\s+story|editor'?s\s+picks?|you\s+may\s+also\s+like|don'?t\s+miss|in\s+case\s+you\s+missed\s+it"
)
_SOCIAL = r"(?:share|tweet|email|e-mail|print|pin|save|copy|link|facebook|twitter|x|linkedin|whatsapp|pinterest|reddit|telegram|messenger|this|article|story|page|on|via|to)"
_CREDIT_SOURCE = r"(?:Getty\s+Images|Shutterstock|iStock(?:photo)?|Alamy|EPA(?:-EFE)?|AP\s+Photo|Pool\s+Photo|File\s+Photo)"

_WHOLE = re.compile(
    "|".join(
        [
            rf"(?:{_LABELS})\s*[.:!›»>…]*",
            rf"(?:{_SOCIAL}\b[\s|/,•·:]*){{1,12}}",
            # date and time stamps, alone or after a stamp label
            rf"(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified|edited|last\s+updated|date)\s*:?\s*)?{_STAMP_LINE}",
            r"\d{1,3}\s*(?:-\s*)?min(?:ute)?s?\s+read",
            # bylines: "By Jane Doe", "By JANE DOE and John Roe, Reuters", "By Jane Doe | Staff writer"
            rf"by\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*(?:\s*[,|/–—-]\s*(?:{_NAME_WORD}|staff|writer|reporter|correspondent|editor|in|and|of|for|the|at)(?:\s+(?:{_NAME_WORD}|staff|writer|reporter|correspondent|editor|in|and|of|for|the|at)){{0,6}})?\s*\.?",
            # "Reporting by Jane Doe in Kyiv; Editing by John Roe" (names only: "Written by Louis McLane, the bill …" is prose)
            rf"\(?(?:(?:additional\s+)?(?:reporting|writing|editing|compiled|translated|edited|produced|written|photos?|video|graphics|illustrations?|research|fact-checking)"
            rf"\s+by\s+{_ORG}(?:\s*(?:,|and|&)\s*{_ORG})*\s*[;,.]?\s*)+\)?\.?",
            r"\(?end\)?\.?|\(ends\)|\[end\]|【end】|#{3}|\*{3}",
            rf"(?:photo|photograph|image|picture|video|graphic|illustration|file\s+photo|caption|cover\s+photo|main\s+image|top\s+image)s?(?:\s+credits?)?\s*[:|/]\s*.{{0,200}}",
            rf"(?:photo|image|picture|video)s?\s+(?:by|from|courtesy(?:\s+of)?|credit|copyright|source)\s*:?\s+{_ORG}\.?",
            # a source line under a headline: "- China News Network", "-CNN"
            rf"[-–—|]\s*{_ORG}",
            # reporter credits: "China News Finance Reporter Xia Bin", "Xinhua commentator"
            rf"(?:{_ORG_WORD}\s+|(?:and|of|the|financial|business|economic|special|senior|staff|chief|political|foreign|sports|local)\s+){{0,6}}"
            rf"(?:reporter|correspondent|journalist|commentator|photographer|columnist)s?(?:\s+{_ORG})?\.?",
            # "2023-02-11 13:07:20 [Source: Xinhua] [Editor: Li Sufeng]"
            rf"(?:{_STAMP_LINE})?(?:[\[【(]\s*(?:source|sources|editor|edited\s+by|responsible\s+editor|reporter|author|written\s+by|photo)\s*[:：]?[^\]】)]{{1,60}}[\]】)]\s*)+",
            rf"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{{4}}|:)).{{0,200}}",
            r"(?:tags?|topics?|keywords?|filed\s+under|categories|category|related\s+topics|more\s+on)\s*[:：].{0,300}",
            r"(?:e-?mail|tel(?:ephone)?|phone|mobile|fax|contact(?:\s+us)?|call|whatsapp|hotline)\s*[.:：]\s*.{0,200}",
            rf"(?:read\s+more|read\s+also|also\s+read|see\s+also|related|more|watch|listen|must\s+read|recommended|opinion)\s*[:：›»>|]\s*.{{0,250}}",
            r"read\s+more\b(?!\s+than\b).{0,250}",
            r"trending\s+(?:on|in|now)\b.{0,200}",
            r"(?:follow|like|join)\s+(?:us|@\w+|\w+(?:\s+\w+){0,3}\s+on\s+(?:twitter|x|facebook|instagram|linkedin|tiktok|telegram|threads|youtube))\b.{0,200}",
            r"(?:click|tap|press)\s+here\b.{0,200}",
            r"(?:sign\s+up|subscribe|register)\b.{0,150}\b(?:newsletter|alerts?|updates|free|daily|briefing|inbox)\b.{0,100}",
            r"(?:share\s+(?:this|on|via|your)|download\s+(?:the|our)\s+\w+(?:\s+\w+)?\s+app)\b.{0,150}",
            r"\[?【?(?:source|sources|editor|editors|responsible\s+editor|editor[\s-]in[\s-]charge|chief\s+editor|executive\s+editor|reporter|reporters|correspondent|author|writer|proofread(?:ing|er)?|reviewer|translator|photographer|producer|planner|supervisor|typesetting|layout)\s*[:：|].{0,200}",
        ]
    ),
    re.IGNORECASE,
)
# lines that end in a photo credit ("… /Getty Images", "(Shutterstock)") or a rights notice
_TAIL = re.compile(rf"(?:[/(|:]\s*|\bvia\s+){_CREDIT_SOURCE}(?:/[\w .'’-]{{1,60}})?\s*\)?\.?$|\ball\s+rights\s+reserved\.?$", re.IGNORECASE)
_TAIL_HINTS = ("getty", "shutterstock", "istock", "alamy", "epa", "photo", "rights reserved")
_CAPS_SENSITIVE_WHOLE = re.compile(rf"{_EMAIL}|{_PHONE}")  # contact lines (short ones: see _contact)
_PHOTO_ANYWHERE = re.compile(
    rf"\((?:{_AGENCY}|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}})\s+(?:Photo|Images?|Video)\s*(?:/|by\b)|\bREUTERS/[A-Z]|\b(?:AP|AFP|EPA)\s+Photo/[A-Z]"
)
_PREFIX = re.compile(
    "|".join(
        [
            # "WASHINGTON (AP) — ", "KYIV, Ukraine — ", "BEIJING, Nov. 30 -- ", "LONDON, March 3 (Reuters) - "
            rf"[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){{0,3}}(?:,\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,2}}){{0,2}}"
            rf"(?:(?:,\s*|\s+)(?i:{_DATE}))?(?:\s*\((?:{_AGENCY}|[A-Z][\w.'’ -]{{1,30}})\))?\s*(?:--|[-–—:])\s*(?=\S|$)",
            # "Beijing, March 3 (Xinhua) -- ", "Moscow (Reuters) - "
            rf"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,2}}(?:,\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,2}}){{0,2}}"
            rf"(?:,?\s*(?i:{_DATE}))?\s*\({_AGENCY}\)\s*(?:--|[-–—:])\s*(?=\S|$)",
            # "Xinhua News Agency, Beijing, February 11th - ", "China News Network, March 3 -- "
            rf"(?:[A-Z][\w.'’-]*\s*,?\s+){{0,6}}[A-Z][\w.'’-]*,\s*(?i:{_DATE})\s*(?:\([^()]{{1,40}}\)\s*)?(?:--|[-–—:])\s*(?=\S|$)",
            # "[Global Times Special Correspondent Niu Ruifei] ", "【Reporter Li Wei】"
            r"[\[【][^\]】]{0,80}?(?i:correspondent|reporter|editor|staff|news|times|daily|agency|xinhua|network|net|online|wire|report)[^\]】]{0,80}[\]】]\s*",
        ]
    )
)
# a dateline needs more than a word in capitals and a colon or dash ("NATO — the alliance …",
# "EU: talks stall" are prose): an agency, a comma, a date, or a capitalised word after a dash
_PREFIX_SHAPE = re.compile(rf"[(,\[【]|(?i:{_DATE})")
_DASHED = re.compile(r"(?:--|—)\s*$")


def furniture_prefix(text: str) -> int:
    """Length of a leading dateline or bracketed credit ("WASHINGTON (AP) — ") to skip; 0 if none."""
    match = _PREFIX.match(text)
    if match is None:
        return 0
    if _PREFIX_SHAPE.search(match.group()) or (_DASHED.search(match.group()) and text[match.end() : match.end() + 1].isupper()):
        return match.end()
    return 0


def _contact(text: str) -> bool:
    """A short line that carries an email address or a phone number is a contact line."""
    if len(text.split()) > 12 or not ("@" in text or "+" in text or "(" in text or "-" in text or "." in text):
        return False
    return _CAPS_SENSITIVE_WHOLE.search(text) is not None


def is_furniture(text: str) -> bool:
    """True when a whole line or sentence is page furniture (byline, credit, stamp, link, …), not prose."""
    line = text.strip()
    if not line:
        return False
    if ("Photo" in line or "Image" in line or "Video" in line or "REUTERS/" in line) and _PHOTO_ANYWHERE.search(line):
        return True
    if len(line) > MAX_CHARS:
        return False
    if _WHOLE.fullmatch(line) or _contact(line):
        return True
    lower = line.lower()
    if any(hint in lower for hint in _TAIL_HINTS) and _TAIL.search(line):
        return True
    skip = furniture_prefix(line)
    return 0 < skip and (skip >= len(line) or bool(_WHOLE.fullmatch(line[skip:].strip())))
