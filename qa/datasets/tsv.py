"""Tab-separated files without quoting, read as one mapping per row."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path


def tsv_records(path: Path) -> Iterator[dict[str, str]]:
    """Each row of a headed TSV as column -> cell; a row with the wrong number of cells is skipped."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            return
        for cells in reader:
            if len(cells) == len(header):
                yield dict(zip(header, cells))
