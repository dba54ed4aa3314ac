"""``python -m khabar.train LANG``: rebuild a language's model from scratch.

Example::

    nice -n 10 python -m khabar.train ur          # full build into khabar/langs/ur/model
    python -m khabar.train en --smoke --out /tmp/m  # a toy model in seconds (what CI runs)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import KhabarError
from .build import Options, build


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the model, print the held-out scores; 1 on a khabar error."""
    ap = argparse.ArgumentParser(prog="python -m khabar.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lang", help="language code with a recipe in khabar/train/configs (ur, en)")
    ap.add_argument("--smoke", action="store_true", help="train on a few dozen sentences, for tests")
    ap.add_argument("--out", type=Path, help="where to write the model (default: the package)")
    ap.add_argument("--build-dir", type=Path, help="where to write intermediate files (default: build/models)")
    ap.add_argument("--no-baseline", action="store_true", help="skip training the UDPipe baseline")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse components already trained in the build folder (resume after a stop)")
    args = ap.parse_args(argv)
    opts = Options(smoke=args.smoke, out=args.out, build_dir=args.build_dir, baseline=not args.no_baseline,
                   reuse=args.reuse)
    try:
        card = build(args.lang, opts)
    except KhabarError as err:
        print(err.one_line(), file=sys.stderr)
        return 1
    print(f"{card['language']}: UPOS {card['upos']} LAS {card['las']} NER F1 {card['ner_f1']} "
          f"{card['words_per_second']} words/s {card['size_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
