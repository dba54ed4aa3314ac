"""Scale-out: the Spark job (``khabar spark``, ``python -m khabar.scale.job``) and the flat tables
it writes. See docs/scale.md. PySpark is an optional extra (``pip install khabar[spark]``); only
``khabar.scale.job`` and ``khabar.scale.cli``'s command body import it.
"""
