"""The suite in a fresh clone with no ``shared/`` beside or above it: it collects, and data tests skip saying why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, SHARED_ENV

# every test that reads ../shared (tests.helpers.shared_data): skipped in a clone without it
NEEDS_SHARED = (
    "tests/test_learned_mining.py::test_shipped_table_is_what_the_generator_makes_of_the_training_data",
    "tests/test_furniture.py::test_on_edited_news_only_the_date_lines_are_furniture",
)


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def _clone(dest: Path) -> Path:
    """A clone of this checkout with its working tree's edits laid over it (what its next commit would hold)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of qa")
    _git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest))
    for name in _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0"):
        if not name:
            continue
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
        elif (dest / name).is_file():
            (dest / name).unlink()  # deleted in the working tree
    return dest


def _pytest(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in (*SHARED_ENV.values(), "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=clone, env=env, capture_output=True, text=True, timeout=300,
    )


def test_a_clone_without_shared_data_collects_and_skips_the_data_tests(tmp_path: Path) -> None:
    clone = _clone(tmp_path / "repo")
    if any((folder / "shared").exists() for folder in clone.parents):
        pytest.skip(f"a shared/ folder sits above the temporary folder {tmp_path}")
    collected = _pytest(clone, "--collect-only", "-q")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert "error" not in collected.stdout.splitlines()[-1], collected.stdout[-3000:]
    assert all(test in collected.stdout for test in NEEDS_SHARED)

    ran = _pytest(clone, "-q", "-rs", *NEEDS_SHARED)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert f"{len(NEEDS_SHARED)} skipped" in ran.stdout.splitlines()[-1] and "failed" not in ran.stdout
    assert ran.stdout.count("needs the shared ") == len(NEEDS_SHARED), ran.stdout


def test_every_test_module_that_reads_shared_data_is_tried_in_the_clone() -> None:
    readers = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").glob("test_*.py") if p.name != "test_clone.py" and "shared_data(" in p.read_text(encoding="utf-8")}
    assert readers == {test.partition("::")[0] for test in NEEDS_SHARED}
