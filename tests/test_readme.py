"""Every example of README.md and docs/*.md runs as written, in a folder laid out with the files it names.

- ```python blocks run in a fresh process;
- ```yaml blocks are qa.yml files and load through the real config loader;
- each ``qa …`` line of a ```sh block runs (slow unless it says ``--no-embeddings``); a line whose comment
  says ``exit N`` must exit with N, any other with 0 or 1;
- a block that cannot run here carries ``<!-- not-a-test: reason -->`` on the line before it and is
  reported as skipped with that reason (``pytest -rs`` lists them).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from qa.config import Config, load_config
from qa.registry import configure
from qa.rules import load_packs
from tests.helpers import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
NOT_A_TEST = re.compile(r"^<!--\s*not-a-test:\s*(.*?)\s*-->$")
RECORDS = [{"id": f"wire-{n}", "title": "Talks", "body": f"The talks began on day {n}."} for n in range(1, 4)]
README_MAX_BYTES = 12_000
ARTICLE = "examples/biden-kishida.txt"


@dataclass(frozen=True)
class Block:
    """One fenced example: where it stands, its language, its text, and why it is not run (if it is not)."""

    page: str
    line: int
    lang: str
    code: str
    not_a_test: str | None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        before = [line.strip() for line in text[: m.start()].splitlines() if line.strip()]
        marker = NOT_A_TEST.match(before[-1]) if before else None
        line = text.count("\n", 0, m.start()) + 1
        found.append(Block(str(path.relative_to(ROOT)), line, m.group(1), m.group(2), marker.group(1) if marker else None))
    return found


BLOCKS = [block for page in PAGES for block in _blocks(page)]


def _of(lang: str) -> list[Block]:
    return [b for b in BLOCKS if b.lang == lang]


# ---------------------------------------------------------------- the folder the examples run in


def _lay_files(folder: Path) -> None:
    """The inputs the examples name, as relative paths: the example article, a feed, a story, folders, an archive."""
    feed = ROOT / "tests" / "data" / "ingest" / "feed.rss"
    article = ROOT / ARTICLE
    (folder / "examples").mkdir()
    shutil.copy(article, folder / ARTICLE)
    clean = re.sub(r"<item>(?:(?!</item>).)*wire-2026-0003.*?</item>\s*", "", feed.read_text(encoding="utf-8"), flags=re.S)
    (folder / "feed.xml").write_text(clean, encoding="utf-8")  # the test feed without its unreadable item
    shutil.copy(article, folder / "story.txt")
    shutil.copy(article, folder / "wire-original.txt")  # a reference version of the story
    (folder / "incoming").mkdir()
    shutil.copy(folder / "feed.xml", folder / "incoming" / "feed.xml")
    (folder / "articles").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "ingest" / "story.txt", folder / "articles" / "story.txt")
    (folder / "archive").mkdir()
    (folder / "archive" / "2024-01.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    (folder / "newsroom-rules").mkdir()  # the extra rule packs a qa.yml example names
    shutil.copy(ROOT / "rules" / "provenance.yml", folder / "newsroom-rules" / "desk.yml")


def _env(folder: Path) -> dict[str, str]:
    """The examples' environment: ``qa`` on PATH is this checkout's, and no LanguageTool from the caller."""
    bin_dir = folder / ".bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "qa"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m qa "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "NO_COLOR": "1"}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    for name in ("QA_LANGUAGETOOL", "QA_SERVE_TOKEN"):
        env.pop(name, None)
    return env


# ---------------------------------------------------------------- shell lines


@dataclass(frozen=True)
class ShellLine:
    """One ``qa …`` command line of a ```sh block, its comment, and the files it reads."""

    block: Block
    command: str
    comment: str

    @property
    def exit_code(self) -> int | None:
        """The exit code the line's comment states (``exit 1``), if it states one."""
        m = re.search(r"\bexit (\d)\b", self.comment)
        return int(m.group(1)) if m else None

    @property
    def rules_only(self) -> bool:
        return "--no-embeddings" in self.command

    def inputs(self) -> list[str]:
        """The relative file names the command reads (not the ones it writes, not URLs or option words)."""
        lexer = shlex.shlex(self.command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        named, skip_next = [], False
        for token in tokens:
            if skip_next:
                skip_next = False
                continue
            if token in (">", "-o", "--output", "--json"):
                skip_next = True  # what follows is written, not read
            elif token.startswith("-") or "://" in token or re.match(r"^\w+=", token):
                continue
            elif "/" in token or re.search(r"\w\.\w+$", token):
                named.append(token)
        return named


def _split_comment(line: str) -> tuple[str, str]:
    m = re.search(r"\s#\s?(.*)$", line)
    return (line[: m.start()].strip(), m.group(1)) if m else (line.strip(), "")


def _is_qa(command: str) -> bool:
    words = [w for w in command.replace("|", " | ").split() if not re.match(r"^\w+=", w)]
    return bool(words) and (words[0] == "qa" or any(a == "|" and b == "qa" for a, b in zip(words, words[1:])))


def _shell_lines(block: Block) -> list[ShellLine]:
    lines = []
    for raw in block.code.splitlines():
        command, comment = _split_comment(raw)
        if command and not command.startswith("#"):
            lines.append(ShellLine(block, command, comment))
    return lines


SHELL_LINES = [line for block in _of("sh") if block.not_a_test is None for line in _shell_lines(block)]


def _shell_case(line: ShellLine) -> object:
    return pytest.param(line, marks=() if line.rules_only else pytest.mark.slow, id=f"{line.block.where}:{line.command[:50]}")


# ---------------------------------------------------------------- the tests


def test_the_pages_have_their_examples() -> None:
    assert len(_of("python")) >= 3 and all("import qa" in b.code for b in _of("python"))
    assert len(_of("yaml")) >= 5 and len(SHELL_LINES) >= 10


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.not_a_test is not None], ids=lambda b: b.where)
def test_a_block_left_out_says_why(block: Block) -> None:
    """Listed as skips with their reasons (pytest -rs); a marker without a reason fails."""
    assert len(block.not_a_test or "") >= 10, f"{block.where}: say why the block is not run"
    pytest.skip(f"{block.where} ({block.lang}): {block.not_a_test}")


def test_every_line_of_a_run_shell_block_is_a_qa_command() -> None:
    """A ```sh block runs whole or is marked: no line is silently left out."""
    others = [f"{line.block.where}: {line.command}" for line in SHELL_LINES if not _is_qa(line.command)]
    assert not others, "mark these blocks <!-- not-a-test: reason --> or move the lines out:\n" + "\n".join(others)


def _python_case(block: Block) -> object:
    """A block as a test case: the model-loading ones (embeddings on) are slow."""
    rules_only = "embeddings=False" in block.code
    return pytest.param(block, marks=() if rules_only else pytest.mark.slow, id=block.where)


@pytest.mark.parametrize("block", [_python_case(b) for b in _of("python") if b.not_a_test is None])
def test_a_python_example_runs_as_written(tmp_path: Path, block: Block) -> None:
    code = block.code
    if "dask" in code:
        pytest.importorskip("dask.bag")
    _lay_files(tmp_path)
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    if "read_inputs" in code:  # the feed's three readable items
        assert [line.split()[0] for line in done.stdout.splitlines()] == ["wire-2026-0001", "https://wire.example/world/port-strike", "wire-2026-0004"]
    if "dask" in code:
        assert done.stdout.strip() == f"{len(RECORDS)} articles checked"


@pytest.mark.parametrize("block", [b for b in _of("yaml") if b.not_a_test is None], ids=lambda b: b.where)
def test_a_config_example_loads(tmp_path: Path, block: Block) -> None:
    """A qa.yml loads through the config loader; a rule pack (``pack:``) through the pack loader, its examples holding."""
    _lay_files(tmp_path)
    if block.code.startswith("pack:"):
        path = tmp_path / "desk.yml"
        path.write_text(block.code, encoding="utf-8")
        (pack,) = load_packs([path])
        for rule in pack.rules:
            assert all(list(rule.matcher(text)) for text in rule.examples.flag), rule.id
            assert not any(list(rule.matcher(text)) for text in rule.examples.ok), rule.id
        return
    path = tmp_path / "qa.yml"
    path.write_text(block.code, encoding="utf-8")
    assert isinstance(configure(load_config(path)).config, Config)


@pytest.mark.parametrize("line", [_shell_case(line) for line in SHELL_LINES if _is_qa(line.command)])
def test_a_shell_example_runs(tmp_path: Path, line: ShellLine) -> None:
    _lay_files(tmp_path)
    missing = [name for name in line.inputs() if not (tmp_path / name).exists()]
    assert not missing, f"{line.block.where}: lay out {missing} in _lay_files or mark the block <!-- not-a-test: reason -->"
    done = subprocess.run(["sh", "-c", line.command], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=600)
    expected = {line.exit_code} if line.exit_code is not None else {0, 1}
    assert done.returncode in expected, f"{line.command}: exit {done.returncode}\n{done.stderr[-3000:]}"


# ---------------------------------------------------------------- the front page


def test_the_readme_is_a_front_page() -> None:
    assert (ROOT / "README.md").stat().st_size <= README_MAX_BYTES


def test_the_readme_gives_the_two_commands_ci_runs() -> None:
    """``.ci/run`` says it runs the README's two commands: the first block holds both, word for word."""
    first = _blocks(ROOT / "README.md")[0].code
    commands = [line for line in first.splitlines() if line and not line.startswith("#")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert len(commands) == 2
    assert commands[0].removesuffix(" && qa check examples/biden-kishida.txt") + " && qa check examples/biden-kishida.txt" in ci
    assert commands[1] in ci


def test_the_readme_example_output_is_what_qa_prints(tmp_path: Path) -> None:
    """The README's example finding and verdict appear in a rules-only run on the example article."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    output = next(b for b in _blocks(ROOT / "README.md") if b.lang == "").code.strip()
    verdict = re.search(r"\(`(examples/biden-kishida\.txt: \w+ \(penalty[^`]*)`\)", readme)
    assert output.startswith(ARTICLE) and verdict
    _lay_files(tmp_path)
    done = subprocess.run(["qa", "check", ARTICLE, "--no-embeddings"], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert output in done.stdout.splitlines()
    assert verdict.group(1) in done.stdout.splitlines()
