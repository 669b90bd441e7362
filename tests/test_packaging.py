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
    assert any(n.endswith("entry_points.txt") for n in names)
