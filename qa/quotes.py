"""Double quotation marks in findings: spans that take in their partner mark, suggestions that never
carry an unmatched mark, and matched text quoted once (never ``““backtrack””``).

Only double marks are handled: curly “ ” and « » pair up, a straight ``"`` pairs with the next one.
Single marks are left alone, since ’ is also the apostrophe (``Japan’s``).
"""

from __future__ import annotations

from dataclasses import replace

from qa.model import Issue

PAIRS = {"“": "”", "«": "»"}
CLOSERS = {closer: opener for opener, closer in PAIRS.items()}
STRAIGHT = '"'


def unmatched(text: str) -> list[int]:
    """Positions of the double quotation marks in ``text`` that open or close nothing inside it."""
    stack: list[int] = []  # openers waiting for their closer (a straight quote is an opener until the next one)
    lone: list[int] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append(i)
        elif ch in CLOSERS or ch == STRAIGHT:
            opener = CLOSERS.get(ch, STRAIGHT)
            if stack and text[stack[-1]] == opener:
                stack.pop()
            elif ch == STRAIGHT:
                stack.append(i)
            else:
                lone.append(i)
    return sorted(lone + stack)


def widened(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` of ``text`` taking in the partner of an unmatched mark when it stands right beside the span.

    ``agreed to “backtrack” against`` matched as ``backtrack” against`` becomes ``“backtrack” against``.
    """
    lone = unmatched(text[start:end])
    if len(lone) != 1:
        return start, end
    mark = text[start + lone[0]]
    if mark in CLOSERS and start > 0 and text[start - 1] == CLOSERS[mark]:
        return start - 1, end
    if mark in PAIRS and end < len(text) and text[end] == PAIRS[mark]:
        return start, end + 1
    return start, end


def without_unmatched(suggestion: str) -> str:
    """A suggestion with the quotation marks that open or close nothing inside it removed (``push back” against``
    → ``push back against``)."""
    lone = set(unmatched(suggestion))
    return "".join(ch for i, ch in enumerate(suggestion) if i not in lone) if lone else suggestion


def quoted(text: str) -> str:
    """``text`` in “ ” for a message or a list: once only when it is already one whole quotation; quotations
    inside it become ‘ ’ (``“backtrack” against`` → ``“‘backtrack’ against”``)."""
    inner = text[1:-1]
    if len(text) >= 2 and text[0] in PAIRS and text[-1] == PAIRS[text[0]] and not unmatched(inner):
        return text
    if unmatched(text):  # a stray mark: quoting around it would only add to the muddle
        return f"“{text}”"
    return "“" + text.replace("“", "‘").replace("”", "’").replace(STRAIGHT, "'") + "”"


def balanced(issue: Issue, text: str) -> Issue:
    """A finding whose span takes in the partner of a quotation mark it cuts in two, and whose suggestions
    carry no unmatched mark (``text`` is the finding's field)."""
    start, end = widened(text, issue.start, issue.end) if text[issue.start : issue.end] == issue.text else (issue.start, issue.end)
    before, after = text[start : issue.start], text[issue.end : end]
    suggestions = tuple(dict.fromkeys(without_unmatched(before + s + after) for s in issue.suggestions))
    if (start, end) == (issue.start, issue.end) and suggestions == issue.suggestions:
        return issue
    return replace(issue, start=start, end=end, text=text[start:end], suggestions=suggestions)
