"""Run a fuzzing harness for N minutes; collect crashes in ``fuzz/crashes/`` and report figures.

    python -m fuzz.run --minutes 10 --target extract
    python -m fuzz.run --minutes 5 --target pipeline --crashes /tmp/crashes

libFuzzer stops at the first crash, so the harness is restarted (with the corpus it has grown)
until the time is up. Prints one summary line: executions, crashes, new crash files.
Example: python -m fuzz.run --minutes 1 --target extract
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .seeds import write_seeds

HERE = Path(__file__).resolve().parent
_EXECS = re.compile(r"stat::number_of_executed_units:\s*(\d+)")
# crash-, timeout- and oom- units; slow-unit- files are not failures
_ARTIFACT = re.compile(r"Test unit written to (\S+/[a-z]+-(?:crash|timeout|oom|leak)-\S+)")


@dataclass
class Tally:
    """What the runs found."""

    executions: int = 0
    runs: int = 0
    crashes: list[str] = field(default_factory=list)


def one_run(target: str, seconds: int, corpus: Path, crashes: Path, rss_mb: int) -> tuple[int, str | None]:
    """Run the harness once for at most ``seconds``; return (executions, crash file or None)."""
    cmd = [sys.executable, "-m", "fuzz.harness", target, f"-max_total_time={seconds}",
           "-print_final_stats=1", f"-artifact_prefix={crashes}/{target}-", f"-rss_limit_mb={rss_mb}",
           "-timeout=20", "-max_len=20000", str(corpus)]
    proc = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True, errors="replace",
                          timeout=seconds + 180)
    log = proc.stdout + proc.stderr
    execs = sum(int(x) for x in _EXECS.findall(log))
    found = _ARTIFACT.search(log)
    if proc.returncode != 0 and found is None:
        tail = "\n".join(log.splitlines()[-15:])
        raise SystemExit(f"fuzz harness failed without a crash file (exit {proc.returncode}):\n{tail}")
    if found is not None:
        (crashes / f"{Path(found.group(1)).name}.log").write_text(log[-8000:], encoding="utf-8")
    return execs, found.group(1) if found else None


def fuzz(target: str, minutes: float, crashes: Path, rss_mb: int = 3000) -> Tally:
    """Fuzz ``target`` for ``minutes``; crash inputs and their logs go to ``crashes``."""
    crashes.mkdir(parents=True, exist_ok=True)
    corpus = HERE / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    write_seeds(corpus)
    tally = Tally()
    deadline = time.monotonic() + minutes * 60
    while (left := int(deadline - time.monotonic())) >= 5:
        execs, crash = one_run(target, left, corpus, crashes, rss_mb)
        tally.executions += execs
        tally.runs += 1
        if crash is not None:
            tally.crashes.append(crash)
            print(f"crash: {crash}", flush=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m fuzz.run --minutes N --target extract|pipeline``."""
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to fuzz (default 1)")
    parser.add_argument("--target", choices=["extract", "pipeline"], default="extract")
    parser.add_argument("--crashes", type=Path, default=HERE / "crashes", help="where crash inputs go")
    args = parser.parse_args(argv)
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("error: atheris is not installed; pip install -e '.[fuzz]'", file=sys.stderr)
        return 2
    tally = fuzz(args.target, args.minutes, args.crashes)
    print(f"{args.target}: {tally.executions} executions in {args.minutes:g} min over {tally.runs} "
          f"run(s); {len(tally.crashes)} crash(es)" + "".join(f"\n  {c}" for c in tally.crashes))
    return 1 if tally.crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
