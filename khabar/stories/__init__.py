"""Stories: reports of one event grouped across languages, who copied or translated whom, and
how many independent sources a story has.

``reuse`` (text reuse within a language), ``cluster`` (incremental story clustering and the
``assign_story`` hook), ``provenance`` (lineage and independent-source counts), ``cli``.
"""
