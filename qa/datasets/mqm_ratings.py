"""The WMT MQM side-by-side TSV (e.g. ``mqm_generalMT2023_zhen.dev.tsv``): one row per rater judgement.

Columns (tab separated, no quoting): ``system doc docSegId globalSegId rater source target
category severity``; a ``metadata`` column, as in the full public release, is allowed and
ignored. One row per error a rater marked (the span wrapped in ``<v>…</v>`` in ``target``, or in
``source`` for an omission) or one ``No-error`` row when that rater found the segment clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa.errors import InputReadError

COLUMNS = ("system", "doc", "docSegId", "globalSegId", "rater", "source", "target", "category", "severity")
ALIASES = {"doc_id": "docSegId", "seg_id": "globalSegId"}  # column names of earlier WMT releases


@dataclass(frozen=True)
class MqmRow:
    """One row of the TSV."""

    system: str
    doc: str
    doc_seg_id: int
    global_seg_id: str
    rater: str
    source: str
    target: str
    category: str
    severity: str


def read_tsv(path: Path) -> list[MqmRow]:
    """Read the TSV; a missing file or a wrong header is an input error naming the file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputReadError(f"{path}: cannot read MQM file: {exc}") from None
    if not lines:
        raise InputReadError(f"{path}: empty MQM file")
    header = [ALIASES.get(c, c) for c in lines[0].split("\t")]
    first = 1
    if not set(COLUMNS) & set(header) and len(header) in (len(COLUMNS), len(COLUMNS) + 1):
        header, first = [*COLUMNS, "metadata"][: len(header)], 0  # a release without a header row
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputReadError(f"{path}: not an MQM side-by-side TSV (missing columns: {', '.join(missing)})")
    index = [header.index(c) for c in COLUMNS]
    rows: list[MqmRow] = []
    for number, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise InputReadError(f"{path}:{number}: expected {len(header)} columns, found {len(cells)}")
        values = [cells[i] for i in index]
        try:
            seg_id = int(values[2])
        except ValueError:
            raise InputReadError(f"{path}:{number}: docSegId {values[2]!r} is not a number") from None
        rows.append(MqmRow(values[0], values[1], seg_id, values[3], *values[4:]))
    return rows
