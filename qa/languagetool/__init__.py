"""LanguageTool findings for news copy: a server (or a cached local install), filtered, with a clean skip.

``make_checker(config)`` is what the engine calls; ``merge_with(issues, others)`` folds
LanguageTool findings that repeat another checker's finding on the same span into that finding.
"""

from __future__ import annotations

from collections.abc import Mapping

from qa.config import Config
from qa.languagetool.checker import LanguageToolChecker, SkippedChecker
from qa.languagetool.client import Client, LanguageToolError
from qa.languagetool.filters import merge_with
from qa.languagetool.settings import DEFAULT_URL, Settings, read_settings

__all__ = ["LanguageToolChecker", "SkippedChecker", "connect", "make_checker", "merge_with"]

HOW_TO = "point qa at a server with --languagetool URL or QA_LANGUAGETOOL (off silences this)"


def make_checker(config: Config) -> LanguageToolChecker | SkippedChecker | None:
    """The LanguageTool checker the config asks for: None when off, a skip stand-in when none is reachable."""
    mode = (config.languagetool or "auto").strip()
    if mode.lower() == "off":
        return None
    section = config.section("languagetool")
    settings = read_settings(mode, section, config.source or "config")
    checker = connect(settings, config)
    if isinstance(checker, SkippedChecker) and mode == "auto" and not ({"mode", "url"} & section.keys()):
        checker.quiet = True  # nobody asked for LanguageTool (``--languagetool``, its env or qa.yml): no skip line
    return checker


def _probe(url: str, settings: Settings) -> tuple[Client | None, str]:
    try:
        client = Client(url, settings.connect_timeout, settings.timeout)
    except ValueError as exc:
        return None, str(exc)
    try:
        client.languages()
    except LanguageToolError as exc:
        return None, str(exc)
    return client, ""


def connect(
    settings: Settings, config: Config, env: Mapping[str, str] | None = None
) -> LanguageToolChecker | SkippedChecker:
    """Reach LanguageTool as ``settings.mode`` says (auto, local or a URL), or explain in one line why not."""
    mode = settings.mode.lower()
    if mode not in ("auto", "local"):
        client, why = _probe(settings.mode, settings)
        if client is None:
            return SkippedChecker("server not reachable", f"LanguageTool skipped: {why}; {HOW_TO}")
        return LanguageToolChecker(client, settings, config, "server")
    reasons: list[str] = []
    if mode == "auto":
        url = settings.url or DEFAULT_URL
        client, why = _probe(url, settings)
        if client is not None:
            return LanguageToolChecker(client, settings, config, "server")
        reasons.append(f"no server at {url}")
    if settings.local or mode == "local":
        checker, why = _start_local(settings, config, env)
        if checker is not None:
            return checker
        reasons.append(why)
    reason = "no server reachable" if mode == "auto" else "no local LanguageTool"
    return SkippedChecker(reason, f"LanguageTool skipped: {'; '.join(reasons)}; {HOW_TO}")


def _start_local(
    settings: Settings, config: Config, env: Mapping[str, str] | None
) -> tuple[LanguageToolChecker | None, str]:
    from qa.languagetool import local

    install = local.find_install(env)
    if install is None:
        return None, "no cached local LanguageTool"
    if local.find_java() is None:
        return None, f"a LanguageTool install is cached at {install.path} but Java is not on PATH"
    try:
        url, stop = local.start(install, settings.language)
    except Exception as exc:  # noqa: BLE001 - any failure to start becomes the skip note
        return None, f"local LanguageTool at {install.path} did not start ({type(exc).__name__}: {exc})"
    client, why = _probe(url, settings)
    if client is None:
        stop()
        return None, f"local LanguageTool at {install.path} does not answer ({why})"
    return LanguageToolChecker(client, settings, config, "local", stop), ""
