"""``python -m qa``: the same as the ``qa`` command."""

from qa.cli import run

run()
