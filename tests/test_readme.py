"""Every ```python example of the README runs as written, in a fresh process, in a folder with the files it names."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

BLOCKS = re.findall(r"^```python\n(.*?)^```$", (ROOT / "README.md").read_text(encoding="utf-8"), re.S | re.M)
RECORDS = [{"id": f"wire-{n}", "title": "Talks", "body": f"The talks began on day {n}."} for n in range(1, 4)]


def _example(code: str) -> object:
    """A block as a test case: the model-loading ones (embeddings on) are slow."""
    rules_only = "embeddings=False" in code
    return pytest.param(code, marks=() if rules_only else pytest.mark.slow, id=code.split("\n", 1)[0][:40])


def _lay_files(folder: Path) -> None:
    """The inputs the examples name: feed.xml (a small RSS feed) and an archive of JSON Lines."""
    shutil.copy(ROOT / "tests" / "data" / "ingest" / "feed.rss", folder / "feed.xml")
    (folder / "archive").mkdir()
    (folder / "archive" / "2024-01.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")


def test_the_readme_has_its_python_examples() -> None:
    assert len(BLOCKS) >= 2 and all("import qa" in block for block in BLOCKS)


@pytest.mark.parametrize("code", [_example(block) for block in BLOCKS])
def test_a_readme_python_example_runs_as_written(tmp_path: Path, code: str) -> None:
    if "dask" in code:
        pytest.importorskip("dask.bag")
    _lay_files(tmp_path)
    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("QA_LANGUAGETOOL", None)
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    if "read_inputs" in code:  # the feed's three readable items
        assert [line.split()[0] for line in done.stdout.splitlines()] == ["wire-2026-0001", "https://wire.example/world/port-strike", "wire-2026-0004"]
    if "dask" in code:
        assert done.stdout.strip() == f"{len(RECORDS)} articles checked"
