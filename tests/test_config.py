"""Config files and rule packs: what they switch, and the errors they give when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Config, find_config, load_config
from qa.engine import check
from qa.errors import ConfigError
from qa.ingest import split_txt
from qa.model import Severity
from qa.registry import build_checkers, configure, is_on, settings_of
from qa.rules import load_pack
from qa.text import Document

GOOD_RULE = """
pack: desk
rules:
  - id: desk.banned
    kind: phrase
    category: style/house
    severity: minor
    message: House style avoids “{match}”.
    phrases: [slammed]
    examples:
      flag: ["The minister slammed the plan."]
      pass: ["The minister criticised the plan."]
"""


def test_extra_pack_and_regrade(tmp_path: Path) -> None:
    (tmp_path / "desk.yml").write_text(GOOD_RULE)
    (tmp_path / "qa.yml").write_text(
        "rules:\n  packs: [desk.yml]\n  severity: {desk.: major}\nthresholds: {review: 2, reject: 8}\n"
    )
    config = load_config(find_config(tmp_path)).switched(embeddings=False, languagetool=False)
    assert config.thresholds.review == 2 and config.thresholds.reject == 8
    report = check([split_txt("Minister slammed plan\n\nThe minister slammed the plan.", "a.txt")], config)
    issues = [i for i in report.issues() if i.rule == "desk.banned"]
    assert [i.field for i in issues] == ["title", "body"]
    assert all(i.severity is Severity.MAJOR for i in issues)
    assert issues[1].message == "House style avoids “slammed”."


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("rules: [{id: x.y, kind: phrase, category: c, severity: huge, message: m, phrases: [a]}]", "rule 'x.y': field 'severity'"),
        ("rules: [{id: x.y, kind: magic, category: c, severity: minor, message: m}]", "rule 'x.y': field 'kind'"),
        ("rules: [{id: x.y, kind: regex, category: c, severity: minor, message: m, pattern: '(', examples: {flag: [a], pass: [b]}}]", "field 'pattern': invalid regular expression"),
        ("rules: [{id: x.y, kind: phrase, category: c, severity: minor, message: m, phrases: [a]}]", "field 'examples'"),
        ("rules: [{id: x.y, kind: phrase, category: c, severity: minor, message: m, phrases: [a], colour: red, examples: {flag: [a], pass: [b]}}]", "field 'colour': unknown field"),
        ("rules: {not: a list}", "field 'rules'"),
        ("rules: [{id: x.y, kind: phrase, category: c, severity: minor, message: 'see {house}', phrases: [a], examples: {flag: [a], pass: [b]}}]", "rule 'x.y': field 'message'"),
        ("rules: [{id: x.y, kind: regex, category: c, severity: minor, message: m, pattern: 'a(b)', group: foo, examples: {flag: [ab], pass: [b]}}]", "rule 'x.y': field 'group'"),
        ("rules: [{id: x.y, kind: regex, category: c, severity: minor, message: m, pattern: 'a(b)', suggestions: ['\\3'], examples: {flag: [ab], pass: [b]}}]", "refers to group 3"),
        ("rules: [{id: x.y, kind: sequence, category: c, severity: minor, message: m, tokens: [{lower: a}], suggestions: ['{t3}'], examples: {flag: [a], pass: [b]}}]", "rule 'x.y': field 'suggestions'"),
        ("rules: [{id: x.y, kind: regex, engine: re, category: c, severity: minor, message: m, pattern: '\\p{L}', examples: {flag: [a], pass: ['1']}}]", "field 'pattern': invalid regular expression for the re engine"),
        ("rules: [{id: x.y, kind: regex, engine: pcre, category: c, severity: minor, message: m, pattern: 'a', examples: {flag: [a], pass: [b]}}]", "field 'engine': must be one of regex, re"),
        ("rules: [oops", "not valid YAML"),
    ],
)
def test_broken_rule_pack_names_file_rule_and_field(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = tmp_path / "broken.yml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as error:
        load_pack(path)
    assert str(path) in str(error.value) and expected in str(error.value)


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("colour: red\n", "field 'colour'"),
        ("rules: {packs: [missing.yml]}\n", "field 'rules.packs'"),
        ("rules: {severity: {lexicon.: awful}}\n", "field 'rules.severity.lexicon.'"),
        ("thresholds: {review: 9, reject: 2}\n", "review must not be above reject"),
        ("- a list\n", "must be a mapping"),
        ("embeddings: {enabled: 'no'}\n", "field 'embeddings.enabled': must be true or false"),
        ("lm: {enabled: 'false'}\n", "field 'lm.enabled'"),
        ("languagetool: {mode: sometimes}\n", "field 'languagetool.mode': must be auto, off, local or an http(s) URL"),
    ],
)
def test_broken_config_names_file_and_field(tmp_path: Path, yaml_text: str, expected: str) -> None:
    path = tmp_path / "qa.yml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError) as error:
        configure(load_config(path))  # the file's settings, then each family's section typed
    assert str(path) in str(error.value) and expected in str(error.value)


def test_severity_prefix_longest_wins() -> None:
    config = Config(severity={"lexicon.": Severity.INFO, "lexicon.meeting": Severity.CRITICAL})
    assert config.severity_for("lexicon.meeting-words", Severity.MINOR) is Severity.CRITICAL
    assert config.severity_for("lexicon.other", Severity.MINOR) is Severity.INFO
    assert config.severity_for("structure.x", Severity.MINOR) is Severity.MINOR


def test_yaml_off_switches_languagetool_off(tmp_path: Path) -> None:
    path = tmp_path / "qa.yml"
    path.write_text("languagetool: {mode: off}\nembeddings: {enabled: false}\n")
    config = load_config(path)
    assert settings_of(config, "languagetool").mode == "off" and not is_on(config, "embeddings")
    assert [c.name for c in build_checkers(config)] == ["rules"]
    path.write_text("languagetool: {url: 'http://lt.newsroom:8081'}\n")
    assert settings_of(load_config(path), "languagetool").mode == "http://lt.newsroom:8081"


def test_regex_rule_runs_on_the_engine_it_names(tmp_path: Path) -> None:
    """The same letters-only pattern on either engine: ``\\p{L}`` for regex, ``[^\\W\\d_]`` for re."""
    common = "kind: regex, category: c, severity: minor, message: m, scope: sentence, examples: {flag: ['the the'], pass: ['1 1']}"
    path = tmp_path / "engines.yml"
    path.write_text(
        "rules:\n"
        f"  - {{id: x.regex, {common}, pattern: '(\\p{{L}}+) \\1'}}\n"
        f"  - {{id: x.re, engine: re, {common}, pattern: '([^\\W\\d_]+) \\1'}}\n"
    )
    by_id = {rule.id: rule for rule in load_pack(path).rules}
    doc = split_txt("Talks\n\nthe the talks lasted 2 2 hours.", "a.txt")
    found = {rid: [(i.start, i.end) for i in rule.run(Document.from_article(doc))] for rid, rule in by_id.items()}
    assert found["x.re"] == found["x.regex"] == [(0, 7)]


@pytest.mark.parametrize(
    ("yaml_text", "where", "message"),
    [
        ("# house style\nthresholds:\n  review: -1\n", ":3", "field 'thresholds.review': must be a number of at least 0"),
        ("thresholds: {reject: yes}\n", ":1", "field 'thresholds.reject': must be a number of at least 0"),
        ("thresholds:\n  review: 9\n  reject: 2\n", ":1", "field 'thresholds': review must not be above reject"),
        ("rules:\n  severity:\n    lexicon.: awful\n", ":3", "field 'rules.severity.lexicon.': unknown severity 'awful'"),
        ("max_article_chars: 10\n\nlanguagetool:\n  timeout: never\n", ":4", "field 'languagetool.timeout'"),
        ("rules:\n  disable: [x\nthresholds: {review: 1}\n", ":3:11", "not valid YAML: did not find expected ',' or ']' (while parsing a flow sequence from line 2)"),
        ("rules: {disable: [x}\n", ":1:20", "not valid YAML:"),
    ],
)
def test_config_errors_name_the_file_line_and_dotted_key(tmp_path: Path, yaml_text: str, where: str, message: str) -> None:
    path = tmp_path / "qa.yml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        configure(load_config(path))  # the file's settings, then each family's section typed
    assert str(error.value).startswith(f"{path}{where}: {message}"), str(error.value)
    assert "<unicode string>" not in str(error.value)


def test_rule_pack_errors_name_the_line_of_the_field(tmp_path: Path) -> None:
    path = tmp_path / "desk.yml"
    path.write_text(
        "rules:\n  - {id: a.one, kind: phrase, category: c, severity: minor, message: m, phrases: [a], examples: {flag: [a], pass: [b]}}\n"
        "  - id: a.two\n    kind: phrase\n    category: c\n    severity: huge\n    message: m\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_pack(path)
    assert str(error.value).startswith(f"{path}:6: rule 'a.two': field 'severity': unknown severity 'huge'")


def test_key_line_follows_mappings_and_lists(tmp_path: Path) -> None:
    from qa.config import key_line

    path = tmp_path / "x.yml"
    path.write_text("a:\n  b.c:\n    d: 1\nlist:\n  - x: 1\n  - x: 2\n    y: 3\n", encoding="utf-8")
    assert [key_line(path, k) for k in ("a", "a.b.c.d", "a.b.c.nope", "list.1.y", "list.9", "nope")] == [1, 3, 2, 7, 4, None]
