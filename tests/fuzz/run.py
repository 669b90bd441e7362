"""Long fuzz campaigns: ``python -m tests.fuzz.run --cases 100000`` (rules only, one case at a time).

Every case is generated from its seed (``--seed`` + its number), so a failure is replayed with
``--seed S --cases 1``; failing inputs are written to ``--save`` for a look. Every ``--cli-every``-th
case also runs the real ``qa check --format json`` in a fresh process, whose exit code must be 0, 1 or
3 and whose stdout must be one whole JSON document.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fuzz.generate import Case, make_case
from tests.fuzz.invariants import (
    ROOT,
    Outcome,
    rules_checker,
    run_case,
    schema_validator,
)


def run_cli(case: Case, timeout: float) -> str | None:
    """Run one case through ``python -m qa check`` in a fresh process; a problem as text, or None."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("QA_LANGUAGETOOL", None)
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in case.files.items():
            Path(tmp, name).write_bytes(data)
        args = ["-"] if case.shape == "stdin" else [tmp] if case.shape == "folder" else [str(Path(tmp, n)) for n in case.files]
        command = [sys.executable, "-m", "qa", "check", "--no-embeddings", "--languagetool", "off", "--format", "json", *args]
        try:
            done = subprocess.run(command, input=case.stdin or b"", capture_output=True, env=env, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return f"qa check ran over {timeout:g} s"
    if done.returncode not in (0, 1, 3):
        return f"exit {done.returncode}: {done.stderr.decode('utf-8', 'replace')[-500:]}"
    try:
        json.loads(done.stdout)
    except ValueError as exc:
        return f"stdout is not one JSON document: {exc}"
    if b"Traceback" in done.stderr:
        return "a traceback on stderr"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run a campaign and print one summary line; exit 1 when any case failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cli-every", type=int, default=500, help="run every Nth case through a real qa process too (0: never)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds one case may take")
    parser.add_argument("--save", type=Path, help="folder for the inputs of failing cases")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    checker, validator = rules_checker(), schema_validator()
    kinds: collections.Counter[str] = collections.Counter()
    shapes: collections.Counter[str] = collections.Counter()
    slowest, slowest_seed, cli_runs, started = 0.0, args.seed, 0, time.monotonic()
    for number in range(args.cases):
        seed = args.seed + number
        case = make_case(seed)
        shapes[case.shape] += 1
        outcome: Outcome = run_case(case, checker, validator, args.timeout)
        if outcome.seconds > slowest:
            slowest, slowest_seed = outcome.seconds, seed
        problem = outcome.kind
        if not problem and args.cli_every and number % args.cli_every == 0:
            cli_runs += 1
            cli = run_cli(case, args.timeout + 20)
            if cli:
                problem, outcome.problems = "cli", [cli]
        if problem:
            kinds[problem] += 1
            print(f"seed {seed} ({case.shape}): {problem}: {outcome.problems[0][:2000]}", flush=True)
            if args.save:
                target = args.save / str(seed)
                target.mkdir(parents=True, exist_ok=True)
                for name, data in case.files.items() or {"stdin": case.stdin or b""}.items():
                    (target / name).write_bytes(data)
        if not args.quiet and (number + 1) % 1000 == 0:
            print(f"… {number + 1} cases, {sum(kinds.values())} failed, {time.monotonic() - started:.0f} s", flush=True)
    elapsed = time.monotonic() - started
    print(
        f"fuzz: {args.cases} cases (seed {args.seed}; {shapes['file']} files, {shapes['folder']} folders, "
        f"{shapes['stdin']} stdin; {cli_runs} also as a qa process) in {elapsed:.0f} s: "
        f"{kinds['internal']} internal errors, {kinds['traceback']} tracebacks, {kinds['slow']} over {args.timeout:g} s, "
        f"{kinds['offsets']} invalid offsets, {kinds['schema']} schema failures, {kinds['cli']} bad qa processes; "
        f"slowest case {slowest:.2f} s (seed {slowest_seed})",
        flush=True,
    )
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
