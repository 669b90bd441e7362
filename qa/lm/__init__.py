"""Language-model check: wording a small causal language model finds far less predictable than the
rest of the article — a sign of a garbled phrase, to weigh together with the other checks — and the
sentences and articles whose words are less predictable than their everyday frequency explains;
and the words a probe of its hidden states (trained on annotated garbled news) marks as garbled.

Off by default (``--lm`` or ``lm: {enabled: true}``). Importing this package is cheap; torch,
transformers and the model load on the first ``check`` call.
"""
