"""Finding a cached local LanguageTool the way language-tool-python keeps it, without downloading anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.languagetool.checker import SkippedChecker
from qa.languagetool.service import connect
from qa.languagetool.local import Install, find_install
from qa.languagetool.settings import read_settings


def make_install(folder: Path, name: str, jar: str | None = "languagetool-server.jar") -> Path:
    path = folder / name
    path.mkdir(parents=True)
    if jar:
        (path / jar).write_bytes(b"")
    return path


def test_latest_cached_install_with_a_jar_is_found(tmp_path: Path) -> None:
    make_install(tmp_path, "LanguageTool-6.4")
    newest = make_install(tmp_path, "LanguageTool-6.10", jar="LanguageTool.jar")
    make_install(tmp_path, "LanguageTool-7.0", jar=None)  # an interrupted unpack: no jar
    assert find_install({"LTP_PATH": str(tmp_path)}) == Install(newest, "6.10")


def test_jar_dir_variable_wins(tmp_path: Path) -> None:
    jar_dir = make_install(tmp_path, "custom")
    make_install(tmp_path, "LanguageTool-6.4")
    env = {"LTP_JAR_DIR_PATH": str(jar_dir), "LTP_PATH": str(tmp_path)}
    assert find_install(env) == Install(jar_dir, None)
    assert find_install({"LTP_JAR_DIR_PATH": str(tmp_path / "missing")}) is None


def test_no_cache_folder_is_not_created(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "language_tool_python"
    assert find_install({"LTP_PATH": str(cache)}) is None
    assert not cache.exists()


def test_local_mode_without_java_skips_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install = make_install(tmp_path, "LanguageTool-6.4")
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    lt = connect(read_settings({"mode": "local"}, "qa.yml", "languagetool"))
    assert isinstance(lt, SkippedChecker) and lt.describe() == "skipped(no local LanguageTool)"
    assert f"a LanguageTool install is cached at {install} but Java is not on PATH" in lt.notes()[0]


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java on PATH to try starting the broken install")
def test_a_broken_install_fails_fast_and_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_install(tmp_path, "LanguageTool-6.4")  # an empty jar: Java starts and exits at once
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    for host in ("RELEASE", "SNAPSHOT", "ARCHIVE", "NEW_RELEASES"):  # belt and braces: nowhere to download from
        monkeypatch.setenv(f"LTP_DOWNLOAD_HOST_{host}", "http://127.0.0.1:9/")
    lt = connect(read_settings({"mode": "local"}, "qa.yml", "languagetool"))
    assert isinstance(lt, SkippedChecker)
    assert "did not start" in lt.notes()[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["LanguageTool-6.4"]  # nothing was downloaded
