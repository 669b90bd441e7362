"""Malformed and hostile inputs, built from one ``random.Random`` so every case can be replayed from its seed."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

WORDS = ["the", "talks", "minister", "said", "on", "Monday", "China", "Japan", "summit", "officials", "agreed", "virtual", "billet", "very", "hot", "U.S.", "Mr.", "Kim", "Jong-un", "“quoted", "words”", "(Reuters)", "-", "said.", "which", "considers", "itself", "independent", "back", "down", "against", "3.5", "p.m.", "Jan.", "5", "中文。", "naïve", "café", "Ωmega", "עברית", "العربية", "😀", "é", "\u200b", "\u202e"]
HOSTILE = (
    "&#xD800;", "&#0;", "&#x1;", "&#xFFFE;", "&#1114112;", "\x00", "\x07", "\x1b[31m", "\ud800", "\udfff", "\ufeff",
    "&amp;", "&lt;script&gt;", "<![CDATA[x]]>", "<!-- c -->", "]]>", "\u2028", "\u0085", "\r", "\r\n", "\t",
    "<p>", "</p>", "<br>", "<div>", "<script>alert(1)</script>", "\\u0000", "\\ud800", '"', "\\", "{", "[",
)
FLOODS = (". ", "a\n", "said. ", "the very hot talks ", "中文。", "“a ", "(a ", "a.\n\n", "Mr. ", "... ", ",, ", "! ", "?", ".", "“.")
ENCODINGS = ("utf-8", "utf-16", "utf-32", "latin-1", "cp1252", "shift_jis", "koi8-r", "nonsense-enc", "")
FORMATS = ("txt", "html", "rss", "atom", "ninjs", "jsonl")
EXTENSIONS = {"txt": ".txt", "html": ".html", "rss": ".rss", "atom": ".atom", "ninjs": ".json", "jsonl": ".jsonl"}


@dataclass(frozen=True)
class Case:
    """One fuzz case: files to write (relative name → bytes) and what to pass on the command line."""

    seed: int
    shape: str  # "file", "folder" or "stdin"
    files: dict[str, bytes]
    stdin: bytes | None = None


def sentence(r: random.Random) -> str:
    """A news-like sentence, sometimes with hostile pieces inside."""
    words = [r.choice(WORDS) for _ in range(r.randint(1, 14))]
    if r.random() < 0.3:
        words.insert(r.randrange(len(words) + 1), r.choice(HOSTILE))
    return " ".join(words) + r.choice((".", ".", "?", "", "!", " .", ". .", "…"))


def body(r: random.Random) -> str:
    """An article body: paragraphs of sentences, now and then a flood of one short piece."""
    if r.random() < 0.03:
        return r.choice(FLOODS) * r.randint(100, 20_000)
    paragraphs = [" ".join(sentence(r) for _ in range(r.randint(1, 6))) for _ in range(r.randint(1, 6))]
    return r.choice(("\n\n", "\n", "\r\n\r\n", "\n \n")).join(paragraphs)


def _declaration(r: random.Random) -> tuple[str, str]:
    encoding = r.choice(ENCODINGS)
    if not encoding:
        return "", "utf-8"
    real = encoding if encoding != "nonsense-enc" and r.random() < 0.7 else r.choice(("utf-8", "latin-1"))
    return f'<?xml version="1.0" encoding="{encoding}"?>\n', real


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


def document(r: random.Random, fmt: str) -> bytes:
    """A well-formed-ish document of one format (JSON values may have the wrong types on purpose)."""
    title = sentence(r)
    if fmt == "txt":
        return _encode(f"{title}\n\n{body(r)}", r.choice(("utf-8", "utf-8", "latin-1", "utf-16", "cp1252")))
    if fmt == "html":
        decl, enc = _declaration(r) if r.random() < 0.2 else ("", "utf-8")
        text = body(r)
        # many attributes on few paragraphs; a flood of paragraphs each with 2,000 would make a 200 MB page
        attrs = " ".join(f'a{i}="{i}"' for i in range(r.choice((0, 0, 3, 2000)) if len(text) < 5_000 else 0))
        paras = "".join(f"<p {attrs}>{p}</p>" for p in text.split("\n\n"))
        page = f"{decl}<html><head><meta charset=\"{r.choice(ENCODINGS)}\"><title>{title}</title></head><body><article><h1>{title}</h1>{paras}</article></body></html>"
        return _encode(page, enc)
    if fmt in ("rss", "atom"):
        decl, enc = _declaration(r)
        items = []
        for n in range(r.randint(1, 4)):
            text = body(r) if r.random() < 0.5 else f"<![CDATA[<p>{body(r)}</p>]]>"
            if fmt == "rss":
                items.append(f"<item><guid>g{n}</guid><title>{sentence(r)}</title><description>{text}</description></item>")
            else:
                items.append(f"<entry><id>e{n}</id><title>{sentence(r)}</title><content type=\"html\">{text}</content></entry>")
        if fmt == "rss":
            doc = f'{decl}<rss version="2.0"><channel><title>{title}</title>{"".join(items)}</channel></rss>'
        else:
            doc = f'{decl}<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{"".join(items)}</feed>'
        return _encode(doc, enc)
    if fmt == "ninjs":
        item: dict[str, object] = {"uri": _value(r, f"urn:{r.randint(0, 99)}"), "headline": _value(r, title), "body_text": _value(r, body(r))}
        if r.random() < 0.2:
            item["body_html"] = f"<p>{body(r)}</p>"
        data: object = item if r.random() < 0.6 else [item, _value(r, "x")]
        return _json(r, data)
    lines = []
    for n in range(r.randint(1, 5)):
        line = {"id": _value(r, f"id-{n}"), "title": _value(r, sentence(r)), "body": _value(r, body(r))}
        lines.append(_json(r, line).decode("utf-8", errors="surrogatepass"))
    return "\n".join(lines).encode("utf-8", errors="surrogatepass")


def _value(r: random.Random, usual: object) -> object:
    """Usually the value, sometimes one of the wrong type, size or depth."""
    roll = r.random()
    if roll < 0.85:
        return usual
    return r.choice((None, 1, -1.5, True, [], {}, [usual], int("9" * r.randint(1, 80)), {"a": {"b": [1, 2]}}, ""))


def _json(r: random.Random, data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=r.random() < 0.5)
    if r.random() < 0.05:
        depth = r.choice((40, 1_000, 100_000))
        text = "[" * depth + text + "]" * depth
    if r.random() < 0.03:
        text = text.replace("1", "1" + "0" * r.choice((70, 5_000)), 1)
    return text.encode("utf-8", errors="surrogatepass")


def mutate(r: random.Random, data: bytes) -> bytes:
    """A few byte-level mutations: truncation, flips, insertions, duplications, a BOM."""
    out = bytearray(data)
    for _ in range(r.choice((0, 0, 1, 1, 2, 4))):
        kind = r.randrange(6)
        pos = r.randrange(len(out) + 1)
        if kind == 0 and out:
            del out[r.randrange(len(out)) :]
        elif kind == 1 and out:
            out[min(pos, len(out) - 1)] = r.randrange(256)
        elif kind == 2:
            out[pos:pos] = r.choice([b"\x00", b"\xff\xfe", b"\xe2\x80", b"<", b"&#xD800;", b'"', b"\n", r.randbytes(8)])
        elif kind == 3 and out:
            start = r.randrange(len(out))
            out[pos:pos] = out[start : start + r.randint(1, 64)]
        elif kind == 4:
            out[0:0] = r.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
        else:
            out[pos:pos] = r.choice(HOSTILE).encode("utf-8", errors="surrogatepass")
    return bytes(out)


def make_case(seed: int) -> Case:
    """The fuzz case of one seed: a file, a folder of a few files, or stdin."""
    r = random.Random(seed)
    shape = r.choices(("file", "folder", "stdin"), weights=(6, 2, 2))[0]
    count = r.randint(2, 6) if shape == "folder" else 1
    files: dict[str, bytes] = {}
    for n in range(count):
        fmt = r.choice(FORMATS)
        data = document(r, fmt)
        if r.random() < 0.6:
            data = mutate(r, data)
        ext = EXTENSIONS[fmt] if r.random() < 0.85 else r.choice((".dat", ".xml", ".txt", ".json"))
        files[f"in{n}{ext}"] = data
    if shape == "stdin":
        return Case(seed, shape, {}, stdin=next(iter(files.values())))
    return Case(seed, shape, files)
