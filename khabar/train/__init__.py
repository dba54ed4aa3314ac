"""Build khabar's own language models from the treebanks and NER corpora in ``../shared/data``.

``python -m khabar.train LANG`` rebuilds ``khabar/langs/LANG/model`` from scratch with the recipe
``khabar/train/configs/LANG.json`` (fixed seed) and prints the held-out scores. Modules:
``corpora`` (readers), ``recipe`` (what a language's model is made of), ``vectors`` (our own
PPMI-SVD word vectors), ``build`` (the steps), ``scoring``/``evaluation`` (held-out scores),
``udpipe`` (the UDPipe 1 baseline, optional extra ``train``), ``card`` (model cards),
``features`` (name and title word sets for the vectors' feature columns), ``cli`` (``khabar train``).
"""
from __future__ import annotations

__all__ = ["build", "corpora", "recipe", "scoring", "vectors"]
