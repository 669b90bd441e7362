"""The ``qa check`` command end to end: output formats, --fail-on and the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest

from qa.errors import OutputError
from tests.helpers import ROOT, RULES_ONLY, run_qa

SEED = "tests/data/biden-kishida.txt"
CLEAN = "The council met on Monday.\n\nThe council approved the budget after a short debate."


def test_help_documents_exit_codes() -> None:
    result = run_qa("check", "--help")
    assert result.returncode == 0
    assert "Exit codes" in result.stdout and "3  an input or config could not be read" in result.stdout


def test_text_output_lines_have_location_rule_and_suggestion() -> None:
    result = run_qa("check", *RULES_ONLY, SEED)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    billet = next(line for line in lines if "virtual billet" in line)
    assert billet.startswith(f"{SEED}:36:12 major    lexicon.meeting-words ")
    assert billet.endswith("→ virtual summit")
    assert lines[-1].startswith("1 article(s), 676 words: 0 pass, 0 review, 1 reject;")


def test_json_output_matches_schema_and_offsets(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_qa("check", *RULES_ONLY, "--format", "json", "--output", str(out), SEED)
    assert result.returncode == 1 and result.stdout == ""
    report = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text())
    jsonschema.validate(report, schema)
    (article,) = report["articles"]
    assert article["verdict"] == "reject" and article["words"] == 676
    for issue in article["issues"]:
        assert article[issue["field"]][issue["start"] : issue["end"]] == issue["text"]
    assert report["summary"]["verdicts"] == {"pass": 0, "review": 0, "reject": 1}
    assert report["tool"]["signature"].startswith("qa:")


def test_fail_on_sets_exit_code() -> None:
    assert run_qa("check", *RULES_ONLY, "--fail-on", "never", SEED).returncode == 0
    assert run_qa("check", *RULES_ONLY, "--fail-on", "critical", SEED).returncode == 0
    assert run_qa("check", *RULES_ONLY, "--fail-on", "minor", SEED).returncode == 1


def test_clean_article_from_stdin_passes() -> None:
    result = run_qa("check", *RULES_ONLY, "-", stdin=CLEAN)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 pass" in result.stdout and "0 finding(s)" in result.stdout


def test_usage_errors_exit_2() -> None:
    assert run_qa("check", *RULES_ONLY, "--format", "nope", SEED).returncode == 2
    assert run_qa("check", *RULES_ONLY, "--fail-on", "bad", SEED).returncode == 2
    assert run_qa("check").returncode == 2


def test_broken_config_exits_3_naming_file_and_field(tmp_path: Path) -> None:
    config = tmp_path / "qa.yml"
    config.write_text("thresholds: {review: high}\n")
    result = run_qa("check", *RULES_ONLY, "--config", str(config), str(ROOT / SEED))
    assert result.returncode == 3
    assert str(config) in result.stderr and "review" in result.stderr


def test_config_found_upward_switches_rules_off(tmp_path: Path) -> None:
    (tmp_path / "qa.yml").write_text("rules:\n  disable: [lexicon., structure., quotes., consistency.]\n")
    sub = tmp_path / "desk"
    sub.mkdir()
    result = run_qa("check", *RULES_ONLY, "--format", "json", str(ROOT / SEED), cwd=sub)
    rules = {i["rule"] for i in json.loads(result.stdout)["articles"][0]["issues"]}
    assert rules and not any(r.startswith(("lexicon.", "structure.", "quotes.")) for r in rules)


def test_rules_only_run_does_not_import_torch() -> None:
    code = (
        "import sys, qa; from qa.config import Config; from qa.ingest import read_inputs; "
        f"qa.check(read_inputs(['{SEED}']), Config().switched(embeddings=False, languagetool=False)); "
        "print('torch' in sys.modules, 'language_tool_python' in sys.modules)"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False False"


def test_unwritable_output_is_a_usage_error_and_leaves_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "report.json"
    result = run_qa("check", *RULES_ONLY, "--format", "json", "-o", str(missing), SEED)
    assert result.returncode == 2 and f"cannot write {missing}" in result.stderr
    out = tmp_path / "report.json"
    assert run_qa("check", *RULES_ONLY, "--format", "json", "-o", str(out), SEED).returncode == 1
    assert json.loads(out.read_text(encoding="utf-8"))["articles"] and [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_color_option_forces_or_removes_colour() -> None:
    coloured = run_qa("check", *RULES_ONLY, "--color", SEED).stdout
    plain = run_qa("check", *RULES_ONLY, "--no-color", SEED).stdout
    assert "\x1b[" in coloured and "\x1b[" not in plain
    assert plain.splitlines() == [click.unstyle(line) for line in coloured.splitlines()]


def _option_names(command: click.Command) -> set[str]:
    return {name for param in command.params for name in param.opts if name.startswith("--")}


def test_qa_report_takes_every_checker_option_of_qa_check() -> None:
    from qa.commands.check import check
    from qa.commands.report import report

    only_check = {"--format", "--color", "--no-color"}  # report writes HTML, and HTML has its own colours
    assert _option_names(check) - only_check <= _option_names(report)
    assert {"--reference", "--suppressions", "--baseline"} <= _option_names(report)


def test_qa_report_applies_a_baseline(tmp_path: Path) -> None:
    json_report = tmp_path / "run.json"
    run_qa("check", *RULES_ONLY, "--format", "json", "-o", str(json_report), SEED)
    baseline = tmp_path / "baseline.yml"
    made = run_qa("baseline", "create", "--report", str(json_report), "-o", str(baseline))
    assert made.returncode == 0, made.stderr
    html = tmp_path / "r.html"
    result = run_qa("report", *RULES_ONLY, "--baseline", str(baseline), "--fail-on", "major", "-o", str(html), SEED)
    assert result.returncode == 0, result.stderr  # every finding accepted by the baseline: nothing fails the run


def test_languagetool_is_silent_unless_asked_for(tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("A\n\nThe council met on Monday.", encoding="utf-8")
    quiet = run_qa("check", "--no-embeddings", str(story))
    assert quiet.returncode == 0 and "LanguageTool" not in quiet.stderr
    asked = run_qa("check", "--no-embeddings", "--languagetool", "http://127.0.0.1:9/", str(story))
    assert asked.returncode == 0 and "LanguageTool skipped" in asked.stderr


def test_the_loading_notice_shows_only_on_a_terminal_with_embeddings(capsys: Any) -> None:
    from qa.commands.check import loading_notice
    from qa.config import Config

    loading_notice(Config().switched(embeddings=True), terminal=True)
    loading_notice(Config().switched(embeddings=True), terminal=False)
    loading_notice(Config().switched(embeddings=False), terminal=True)
    assert capsys.readouterr().err == "qa: loading the embedding model… (--no-embeddings checks rules only, without it)\n"


def test_unwritable_output_is_found_before_the_run(tmp_path: Path, monkeypatch: Any) -> None:
    from click.testing import CliRunner

    import qa.commands.check
    from qa.cli import main

    def no_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the run started before the output path was checked")

    monkeypatch.setattr(qa.commands.check, "start_run", no_run)
    for where in (tmp_path / "no-such-folder" / "report.json", ROOT / SEED / "report.json"):  # no folder; a file as folder
        for command in ("check", "report"):
            result = CliRunner().invoke(main, [command, *RULES_ONLY, "-o", str(where), SEED])
            assert isinstance(result.exception, OutputError) and f"cannot write {where}" in str(result.exception)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--format", "xml", SEED], "qa: error: invalid value for '--format': 'xml' is not one of 'text', 'json', 'html', 'sarif', 'junit', 'github' (see 'python -m qa check --help')"),
    (["check"], "qa: error: missing argument 'PATHS...' (see 'python -m qa check --help')"),
    (["chek"], "qa: error: no such command 'chek' (see 'python -m qa --help')"),
    (["check", "--jobs", "0", SEED], "qa: error: invalid value for '--jobs' / '-j': 0 is not in the range x>=1 (see 'python -m qa check --help')"),
    (["check", *RULES_ONLY, "-o", "no-such-folder/out.json", SEED], "qa: error: cannot write no-such-folder/out.json: No such file or directory"),
])
def test_usage_errors_are_one_line_in_qas_style(args: list[str], message: str) -> None:
    result = run_qa(*args)
    assert result.returncode == 2 and result.stderr.splitlines() == [message] and result.stdout == ""
