"""Checker families: the registry, a third-party family through the entry-point group, and checker settings as usage errors."""

from __future__ import annotations

import configparser
import dataclasses
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import registry
from qa.config import Config
from qa.engine import check
from qa.errors import ConfigError
from qa.ingest import split_txt
from qa.rules import load_pack
from qa.rules.family import FAMILY as RULES
from qa.rules.family import RuleChecker
from qa.shared import Shared
from tests.helpers import ROOT, RULES_ONLY

TOY = Path(__file__).parent / "data" / "toy_family"  # a package and its dist-info: installed, as far as Python can tell
ARTICLE = "Zebra talks\n\nThe giraffe met the zebra on Friday. Both sides agreed.\n"


def run_qa(*args: str, cwd: Path, toy: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m qa ARGS`` with the toy family on the path (or not)."""
    path = os.pathsep.join([str(ROOT), str(TOY)] if toy else [str(ROOT)])
    env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1"}
    env.pop("QA_LANGUAGETOOL", None)
    return subprocess.run([sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def _toy_findings(sarif: str) -> list[str]:
    (run,) = json.loads(sarif)["runs"]
    return [r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] for r in run["results"] if r["ruleId"] == "toy.word"]


def test_the_engine_names_no_family() -> None:
    source = (ROOT / "qa" / "engine.py").read_text(encoding="utf-8")
    for family in (f.name for f in registry.families()):
        if family != "rules":
            assert f"qa.{family}" not in source and f'"{family}"' not in source
    assert "qa.rules" not in source


def test_builtin_families_and_their_defaults() -> None:
    assert [f.name for f in registry.families()] == ["embeddings", "languagetool", "learned", "lm", "rules"]  # by name
    on = {f.name: registry.is_on(Config(), f.name) for f in registry.families()}
    assert on == {"rules": True, "embeddings": True, "languagetool": True, "lm": False, "learned": True}
    assert not registry.is_on(Config().switched(embeddings=False), "learned")  # learned follows the embeddings
    assert registry.is_on(Config().switched(embeddings=False, learned=True), "learned")


def test_a_family_from_an_entry_point_runs_configured_from_the_file_and_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "qa.yml").write_text("toy: {word: giraffe}\n", encoding="utf-8")
    from_file = run_qa("check", *RULES_ONLY, "--format", "sarif", "story.txt", cwd=tmp_path)
    assert from_file.returncode == 1, from_file.stderr  # the toy word is a major finding
    assert _toy_findings(from_file.stdout) == ["giraffe"]
    (run,) = json.loads(from_file.stdout)["runs"]
    (rule,) = [r for r in run["tool"]["driver"]["rules"] if r["id"] == "toy.word"]
    assert rule["fullDescription"]["text"] == "A word the toy family was told to flag." and rule["properties"]["pack"] == "toy"
    assert {r["properties"]["checker"] for r in run["results"] if r["ruleId"] == "toy.word"} == {"toy"}  # its entry point's name

    from_cli = run_qa("check", *RULES_ONLY, "--format", "sarif", "--toy-word", "zebra", "story.txt", cwd=tmp_path)
    assert _toy_findings(from_cli.stdout) == ["zebra"]
    switched_off = run_qa("check", *RULES_ONLY, "--format", "sarif", "--no-toy", "story.txt", cwd=tmp_path)
    assert _toy_findings(switched_off.stdout) == [] and switched_off.returncode == 0

    html = run_qa("report", *RULES_ONLY, "-o", "report.html", "story.txt", cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<th scope="row">toy</th>' in page and "word=giraffe" in page and "toy.word" in page

    bad = run_qa("check", *RULES_ONLY, "--toy-word", "two words", "story.txt", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip() == "qa: error: invalid value for --toy-word: must be one word"
    without = run_qa("check", *RULES_ONLY, "story.txt", cwd=tmp_path, toy=False)  # not installed: its section is unknown
    assert without.returncode == 3 and "field 'toy'" in without.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", ""], "qa: error: invalid value for --model: must be text"),
        (["--languagetool", "bogus"], "qa: error: invalid value for --languagetool: must be auto, off, local or an http(s) URL"),
    ],
)
def test_bad_checker_values_on_the_command_line_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    done = run_qa("check", *args, "x.txt", cwd=tmp_path, toy=False)
    assert done.returncode == 2 and done.stderr.strip() == message and done.stdout == ""


def test_bad_checker_values_in_the_config_file_name_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "qa.yml").write_text("embeddings: {model: ''}\n", encoding="utf-8")
    done = run_qa("check", "x.txt", cwd=tmp_path, toy=False)
    assert done.returncode == 3 and "qa.yml:1: field 'embeddings.model': must be text" in done.stderr


def test_a_rule_kind_rejects_keys_of_another_kind(tmp_path: Path) -> None:
    pack = tmp_path / "desk.yml"
    pack.write_text(
        "rules:\n"
        "  - id: desk.x\n    kind: phrase\n    category: style\n    severity: minor\n    message: m\n"
        "    phrases: [foo]\n    pattern: 'fo+'\n    examples: {flag: [foo], pass: [bar]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_pack(pack)
    assert caught.value.rule == "desk.x" and caught.value.key == "pattern" and "unknown field for a phrase rule" in str(caught.value)
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    done = run_qa("check", *RULES_ONLY, "--rules", str(pack), "x.txt", cwd=tmp_path, toy=False)
    assert done.returncode == 3 and "rule 'desk.x': field 'pattern'" in done.stderr


def _registered(setup_cfg: str) -> dict[str, str]:
    """The ``qa.checkers`` lines of a setup.cfg: entry-point name → ``module:attr``."""
    parser = configparser.ConfigParser()
    parser.read_string(setup_cfg)
    lines = parser["options.entry_points"]["qa.checkers"].strip().splitlines()
    return dict((part.strip() for part in line.split("=")) for line in lines)  # type: ignore[misc]


def test_builtin_families_are_entry_points_and_name_themselves_once() -> None:
    registered = _registered((ROOT / "setup.cfg").read_text(encoding="utf-8"))
    assert registered == {name: f"qa.{name}.family:FAMILY" for name in ("rules", "embeddings", "languagetool", "lm", "learned")}
    config = Config().switched(languagetool=False, lm=True)
    setup = registry.configure(config)
    shared = Shared()
    for name, target in registered.items():
        module, _, attr = target.partition(":")
        assert getattr(importlib.import_module(module), attr).name == ""  # the entry point's name is the family's
        assert registry.family(name).name == name
        checker = next(f for f in setup.families if f.name == name).build(config, shared)
        assert checker is not None and checker.name == name  # its checker and findings go by the same name
    toy = configparser.ConfigParser()
    toy.read(TOY / "toy_qa-0.1.dist-info" / "entry_points.txt", encoding="utf-8")
    assert dict(toy["qa.checkers"]) == {"toy": "toy_qa.family:FAMILY"}  # the toy's one line, where alone its name is written


def test_a_checker_built_by_hand_goes_by_its_familys_name_and_a_built_one_by_its_entry_points(rules_only: Config) -> None:
    by_hand = RuleChecker(rules_only)  # outside the registry: the family whose package holds its class names it
    assert by_hand.name == "rules"
    report = check([split_txt("The the talks began.", "a.txt")], rules_only, checkers=[by_hand])
    assert report.issues() and {i.checker for i in report.issues()} == {"rules"}  # stamped by the checking core
    config = rules_only.switched(house=True)
    built = dataclasses.replace(RULES, name="house").configure(config).build(config, Shared())
    assert built is not None and built.name == "house"  # the same class registered under another name goes by that


def test_a_run_takes_checkers_by_rank_not_by_name() -> None:
    run = registry.configure(Config().switched(languagetool=False, lm=True)).checkers()
    assert [c.name for c in run] == ["rules", "embeddings", "lm", "learned"]
    assert [c.rank for c in run] == sorted(c.rank for c in run)


def test_a_family_that_fails_to_load_is_a_clear_error(tmp_path: Path) -> None:
    info = tmp_path / "broken_qa-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-qa\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[qa.checkers]\nbroken = broken_qa.family:FAMILY\n", encoding="utf-8")
    (tmp_path / "broken_qa").mkdir()
    (tmp_path / "broken_qa" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "broken_qa" / "family.py").write_text("import not_installed_anywhere\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)]), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "qa", "check", *RULES_ONLY, "x.txt"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 3, done.stderr
    assert "entry point qa.checkers:broken" in done.stderr
    assert "cannot load broken_qa.family:FAMILY: ModuleNotFoundError: No module named 'not_installed_anywhere'" in done.stderr
