"""Evaluations against the suites in ../shared: each module exposes ``command`` (a click command)
and plain functions that return the figures."""
