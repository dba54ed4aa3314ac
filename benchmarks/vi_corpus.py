"""Run the 300 Dan Tri articles of ../shared/data/text/vi through the default pipeline (issue 11).

The files are read in place (KHABAR_SHARED); none of their text is written anywhere. Each file has
``# doc_id``, ``# url`` and ``# date`` header lines and one sentence per line: the headers are
dropped, the URL is passed as the article's address and the sentences become the text. Reported:
articles, failures (with their one-line errors), stage errors other than a missing model, counts per
article (quotes, dates, amounts, entities, events, claims) and throughput.

Example::

    python benchmarks/vi_corpus.py            # all 300
    python benchmarks/vi_corpus.py --limit 30
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from khabar.errors import KhabarError
from khabar.jobs import process_text
from khabar.pipeline import default_pipeline
from khabar.shared import shared_dir

FOLDER = Path("data") / "text" / "vi" / "CP_Vietnamese-UNC"
COUNTED = ("quotes", "dates", "amounts", "entities", "events", "claims")


def read_article(path: Path) -> tuple[str, str | None]:
    """The text (header lines dropped) and the URL of one corpus file."""
    url, lines = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# url"):
            url = line.split("=", 1)[1].strip() if "=" in line else None
        elif not line.startswith("#"):
            lines.append(line)
    return "\n".join(lines).strip() + "\n", url


def run(files: list[Path]) -> dict[str, object]:
    """Process every file; counts, failures and timing."""
    pipe = default_pipeline()
    per: dict[str, list[int]] = {k: [] for k in COUNTED}
    failures: list[str] = []
    stage_errors: Counter[str] = Counter()
    chars = 0
    t0 = time.perf_counter()
    for path in files:
        text, url = read_article(path)
        chars += len(text)
        try:
            art = process_text(text, url=url if url and url.startswith("http") else None, pipeline=pipe)
        except KhabarError as err:
            failures.append(f"{path.name}: {err.one_line()}")
            continue
        for e in art.errors:
            if "no trained model" not in str(e.get("message", "")):
                stage_errors[f"{e.get('stage')}: {str(e.get('message'))[:80]}"] += 1
        for k in COUNTED:
            per[k].append(len(getattr(art, k)))
    secs = time.perf_counter() - t0
    return {"articles": len(files), "failures": failures, "stage_errors": stage_errors, "per": per,
            "seconds": secs, "chars": chars}


def report(res: dict[str, object]) -> str:
    """A short plain-text report."""
    per: dict[str, list[int]] = res["per"]  # type: ignore[assignment]
    n, secs = int(res["articles"]), float(res["seconds"])  # type: ignore[arg-type]
    lines = [f"articles {n}, failed {len(res['failures'])}, stage errors {sum(res['stage_errors'].values())}"]  # type: ignore[arg-type]
    for k, vals in per.items():
        if vals:
            lines.append(f"{k:9s} mean {statistics.mean(vals):6.2f}  median {statistics.median(vals):5.1f}  "
                         f"total {sum(vals):6d}  articles with any {sum(1 for v in vals if v)}")
    lines.append(f"throughput {n / secs:.2f} articles/s, {res['chars'] / secs / 1000:.1f} kchars/s ({secs:.1f} s)")
    lines += [f"  failure: {f}" for f in res["failures"]][:20]  # type: ignore[attr-defined]
    lines += [f"  stage error x{c}: {m}" for m, c in res["stage_errors"].most_common(10)]  # type: ignore[attr-defined]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the corpus (or its first ``--limit`` files) and print the report; 1 if any failed."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    base = shared_dir()
    folder = (base / FOLDER) if base else None
    if folder is None or not folder.is_dir():
        print("the Dan Tri corpus is not found: set KHABAR_SHARED", file=sys.stderr)
        return 2
    files = sorted(folder.glob("news_*.txt"))
    files = files[: args.limit] if args.limit else files
    res = run(files)
    print(report(res))
    return 1 if res["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
