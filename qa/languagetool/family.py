"""The languagetool family: grammar, spelling and punctuation from a LanguageTool server or a cached local install."""

from __future__ import annotations

from qa.languagetool.settings import Settings
from qa.registry import Family, Option, lazy

FAMILY = Family(
    summary="LanguageTool grammar findings where a LanguageTool is reachable.",
    settings=Settings,
    build=lazy("qa.languagetool.service:build"),
    switch=False,  # --languagetool off
    options=(
        Option(
            "--languagetool", "mode", "LanguageTool: a server URL, auto (use one if reachable), local or off. [env: QA_LANGUAGETOOL]",
            metavar="auto|off|local|URL", envvar="QA_LANGUAGETOOL",
        ),
    ),
)
