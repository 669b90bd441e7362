"""Where the shared data sets live: an environment override, else ``shared/<name>`` beside the checkout or above."""

from __future__ import annotations

import os
from pathlib import Path


def shared_folder(env: str, name: str, marker: str) -> Path | None:
    """``$env``, else ``shared/name`` in the working directory or a parent, whichever first holds ``marker``."""
    folders = [Path(os.environ[env])] if os.environ.get(env) else []
    folders += [p / "shared" / name for p in (Path.cwd(), *Path.cwd().parents)]
    return next((folder for folder in folders if (folder / marker).exists()), None)
