"""The docs site: every page is in the navigation, the generated rule reference names every rule, the build is strict."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from qa.checks import CodeCheck, code_checks
from qa.rules import Rule, load_packs
from tests.helpers import ROOT


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_reference_hook", ROOT / "docs" / "hooks" / "reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_pages(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in _nav_pages(item)]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return []


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    on_disk = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert sorted(nav) == on_disk


def test_the_rule_reference_names_every_rule_with_its_severity_and_examples() -> None:
    reference = _hook().rule_reference()
    rules = [rule for pack in load_packs([ROOT / "rules"]) for rule in pack.rules]
    every: list[Rule | CodeCheck] = [*rules, *code_checks()]
    for rule in every:
        section = reference.split(f"### `{rule.id}`\n", 1)[1].split("\n### ", 1)[0]
        assert f"| {rule.severity.label} |" in section, rule.id
        assert all(" ".join(text.split()) in section for text in (*rule.examples.flag, *rule.examples.ok)), rule.id


def test_the_rule_reference_replaces_its_marker_only() -> None:
    hook = _hook()
    assert hook.on_page_markdown("# Other page\n", None, None, []) == "# Other page\n"
    assert "lexicon.meeting-words" in hook.on_page_markdown(f"# Rules\n\n{hook.MARKER}\n", None, None, [])


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is not installed: pip install '.[docs]'")
    pytest.importorskip("material", reason="mkdocs-material is not installed: pip install '.[docs]'")
    pytest.importorskip("mkdocs_click", reason="mkdocs-click is not installed: pip install '.[docs]'")
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "--fail-on" in cli and "qa serve" in cli and "Sentinel" not in cli
    assert "lexicon.meeting-words" in (site / "rule-reference" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(site)
