"""A local LanguageTool managed by language-tool-python, used only when Java and a cached install exist.

qa never downloads LanguageTool: it looks (read-only) where language-tool-python keeps its
install — ``$LTP_JAR_DIR_PATH``, else ``$LTP_PATH`` or ``~/.cache/language_tool_python`` — and
starts that one, or reports why it cannot.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

JAR_NAMES = ("languagetool-server.jar", "LanguageTool.jar")


@dataclass(frozen=True)
class Install:
    """A LanguageTool install on disk: its folder and the version name language-tool-python uses."""

    path: Path
    version: str | None


def _has_jar(folder: Path) -> bool:
    return any((folder / name).is_file() for name in JAR_NAMES)


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", folder.name))


def find_install(env: Mapping[str, str] | None = None) -> Install | None:
    """The cached LanguageTool install language-tool-python would use, or None (never creates folders)."""
    env = os.environ if env is None else env
    jar_dir = env.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        return Install(Path(jar_dir), None) if _has_jar(Path(jar_dir)) else None
    base = Path(env.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    if not base.is_dir():
        return None
    found = [d for d in base.glob("LanguageTool-*") if d.is_dir() and _has_jar(d)]
    if not found:
        return None
    latest = max(found, key=_version_key)
    return Install(latest, latest.name.removeprefix("LanguageTool-"))


def find_java() -> str | None:
    """The ``java`` on PATH, or None."""
    return shutil.which("java")


def start(install: Install, language: str, port_tries: int = 2) -> tuple[str, Callable[[], None]]:
    """Start the cached LanguageTool through language-tool-python; its URL and a function that stops it.

    language-tool-python waits up to 15 s for each start and, left alone, retries on every port
    from 8081 to 8999 (minutes when the install is broken); qa lets it try ``port_tries`` ports.
    Every failure is raised for the caller to turn into a skip note.
    """
    if find_install() != install:  # language-tool-python would look elsewhere and might download
        raise RuntimeError("the install is not where language-tool-python looks (LTP_PATH, LTP_JAR_DIR_PATH)")
    import language_tool_python  # local import: only when a local server is really wanted

    class BoundedLanguageTool(language_tool_python.LanguageTool):
        def _start_server_on_free_port(self) -> None:
            ports = getattr(self, "_available_ports", None)
            if isinstance(ports, list):  # language-tool-python 3.x: the ports still to try
                del ports[: max(0, len(ports) - (port_tries - 1))]
            super()._start_server_on_free_port()

    if install.version:
        tool = BoundedLanguageTool(language, language_tool_download_version=install.version)
    else:  # LTP_JAR_DIR_PATH: language-tool-python uses that folder whatever the version
        tool = BoundedLanguageTool(language)
    atexit.register(tool.close)  # the Java process must not outlive qa
    return str(tool.url), tool.close
