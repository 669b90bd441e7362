"""``qa bench``: measure detection quality on annotated MT output, false alarms on clean copy, and speed.

Modules: ``mqm`` reads the WMT MQM side-by-side TSV and builds the benchmark articles,
``metrics`` holds the plain statistics (pairwise accuracy, Kendall τ, AUC), ``quality`` scores
a checker run against the MQM ratings, ``gold``/``clean``/``speed`` the other benchmarks, and
``tables`` renders every result as Markdown.
"""
