"""Fuzzing harnesses for khabar (atheris): extraction and the whole pipeline.

    python -m fuzz.run --minutes 5 --target extract     # or --target pipeline

atheris comes with the ``fuzz`` extra (``pip install -e '.[fuzz]'``). Crashes land in
``fuzz/crashes/``; each one fixed becomes a regression test. See docs/security.md.
"""
