"""Reaching LanguageTool: a server URL, auto (a configured or local server) or a cached local install."""

from __future__ import annotations

from collections.abc import Mapping

from qa.languagetool.checker import LanguageToolChecker, SkippedChecker
from qa.languagetool.client import Client, LanguageToolError
from qa.languagetool.settings import DEFAULT_URL, Settings

HOW_TO = "point qa at a server with --languagetool URL or QA_LANGUAGETOOL (off silences this)"


def build(settings: Settings) -> LanguageToolChecker | SkippedChecker | None:
    """Nothing when the mode is off; else LanguageTool as the mode says, or its one-line skip."""
    return None if settings.mode.lower() == "off" else connect(settings)


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


def connect(settings: Settings, env: Mapping[str, str] | None = None) -> LanguageToolChecker | SkippedChecker:
    """Reach LanguageTool as ``settings.mode`` says (auto, local or a URL), or explain in one line why not.

    The skip line is kept quiet when nobody asked for LanguageTool (auto mode from the defaults).
    """
    mode = settings.mode.lower()
    if mode not in ("auto", "local"):
        client, why = _probe(settings.mode, settings)
        if client is None:
            return SkippedChecker("server not reachable", f"LanguageTool skipped: {why}; {HOW_TO}")
        return LanguageToolChecker(client, settings, "server")
    reasons: list[str] = []
    if mode == "auto":
        url = settings.url or DEFAULT_URL
        client, why = _probe(url, settings)
        if client is not None:
            return LanguageToolChecker(client, settings, "server")
        reasons.append(f"no server at {url}")
    if settings.local or mode == "local":
        checker, why = _start_local(settings, env)
        if checker is not None:
            return checker
        reasons.append(why)
    reason = "no server reachable" if mode == "auto" else "no local LanguageTool"
    quiet = mode == "auto" and not settings.asked
    return SkippedChecker(reason, f"LanguageTool skipped: {'; '.join(reasons)}; {HOW_TO}", quiet)


def _start_local(settings: Settings, env: Mapping[str, str] | None) -> tuple[LanguageToolChecker | None, str]:
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
    return LanguageToolChecker(client, settings, "local", stop), ""
