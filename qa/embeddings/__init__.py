"""Embedding checks: what a garbled phrase was meant to say, headline support, coherence,
near-duplicates and reference comparison, judged by a sentence-transformers model.

Importing this package is cheap; torch and the model load on the first ``check`` call.
"""
