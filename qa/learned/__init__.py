"""Learned damage tagger: words that real MT output into English got wrong, learned from translators' marks.

A small head over the bundled MiniLM, trained by ``qa train tagger`` on MLQE-PE post-edits and
WMT MQM error spans (``../shared/train``), gives every word a probability of being MT damage. Runs
of likely damaged words become findings; a flagged phrase that translators often replaced gets the
replacement as a suggestion when the tagger finds the rewritten sentence clearly less damaged.
Non-prose lines (bylines, datelines, credits) are not read.

Importing this package is cheap; torch and the model load on the first ``check`` call.
"""
