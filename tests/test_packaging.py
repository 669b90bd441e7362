"""`pip install .` must carry the rule packs and report templates along with the code."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT


def _declared_packages() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return {p.strip() for p in parser["options"]["packages"].split() if p.strip()}


def test_every_code_package_is_declared() -> None:
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "qa").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk <= _declared_packages(), f"add to setup.cfg packages: {sorted(on_disk - _declared_packages())}"


@pytest.mark.slow
def test_wheel_contains_rules_and_reports(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in (ROOT / "rules").rglob("*.yml"):
        assert "qa/_rules/" + pack.relative_to(ROOT / "rules").as_posix() in names
    for asset in (ROOT / "reports").rglob("*"):
        if asset.is_file() and not asset.name.startswith("."):
            assert "qa/_reports/" + asset.relative_to(ROOT / "reports").as_posix() in names
    for data in ("qa/learned/weights/head.pt", "qa/learned/weights/card.json", "qa/learned/substitutions.tsv", "qa/lm/weights/probe.json"):
        assert data in names  # the shipped models and tables travel with the package
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    registered = zipfile.ZipFile(wheel).read(entry_points).decode()
    for family in ("rules", "embeddings", "languagetool", "lm", "learned"):  # qa's own families, found as a plugin's are
        assert f"{family} = qa.{family}.family:FAMILY" in registered

    # installed from the wheel (not the checkout), qa finds its rule packs and templates
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, capture_output=True, cwd=tmp_path)
    probe = (
        "import qa.resources as r; from qa.config import Config; from qa.rules.family import RuleChecker; "
        "print(r.rules_dir()); print(r.reports_dir()); print(len(RuleChecker(Config()).rules()))"
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    rules, reports, count = out.stdout.split()
    assert rules.startswith(str(target)) and reports.startswith(str(target)) and int(count) > 10
    story = tmp_path / "story.txt"
    story.write_text("Talks end\n\nThe talks ended on Friday .\n", encoding="utf-8")
    html = subprocess.run(
        [sys.executable, "-m", "qa", "check", "--no-embeddings", "--languagetool", "off", "--format", "html", str(story)],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    assert html.returncode == 0, html.stderr
    assert "<html" in html.stdout and "punctuation.space-before" in html.stdout
