"""The tagger's reading of the base model: plain-torch hidden states, shared with the embeddings' forward pass."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from qa.learned.model import Spans
from qa.text import tokenize

GARBLED = "The singer released her third album in spring, and it quickly climbed to the roof of the diagrams."
PLAIN = "The minister said talks would resume on Friday."
# longer than the 128 word pieces the tagger reads: its end is cut off as the tokenizer cuts it
LONG = "Officials said on Tuesday that the virtual billet between the two leaders would go ahead as planned. " * 8

# the shipped weights' word probabilities for GARBLED and PLAIN (rounded), as the transformers-based
# reading of the base model gave them before the tagger read the plain-torch one
SHIPPED = {
    GARBLED: [0.5083, 0.5382, 0.6443, 0.4428, 0.3343, 0.3721, 0.5335, 0.8138, 0.6532, 0.6505,
              0.7474, 0.6994, 0.8801, 0.74, 0.6077, 0.8833, 0.7409, 0.6685, 0.9077, 0.0204],
    PLAIN: [0.0279, 0.0584, 0.0205, 0.0249, 0.0633, 0.0842, 0.0667, 0.099, 0.004],
}


def _items(texts: Sequence[str]) -> list[tuple[str, Spans]]:
    return [(t, [(w.start, w.end) for w in tokenize(t)]) for t in texts]


def _reference(items: Sequence[tuple[str, Spans]]) -> list[list[float]]:
    """Word probabilities with the base model read through ``transformers`` (how the head was trained)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from qa.learned.model import Encoded, _align, shape_features, word_probabilities
    from qa.learned.tagger import Tagger, base_model_path

    tagger = Tagger()
    _, head = tagger._load()
    layers, max_pieces = tagger.config.layers, tagger.config.max_pieces
    tokenizer = AutoTokenizer.from_pretrained(base_model_path())
    model = AutoModel.from_pretrained(base_model_path(), output_hidden_states=True).eval()
    out = []
    for text, spans in items:
        batch = tokenizer([text], return_offsets_mapping=True, truncation=True, max_length=max_pieces, return_tensors="pt")
        offsets = [tuple(o) for o in batch.pop("offset_mapping")[0].tolist()]
        with torch.inference_mode():
            states = model(**batch).hidden_states
        stacked = torch.cat([states[k] for k in layers], dim=-1)[0]
        keep, word_of, first = _align(offsets, spans)
        shapes = torch.tensor(shape_features(text, spans, word_of, first)).reshape(len(keep), -1)
        features = torch.cat([stacked[keep], shapes], dim=-1).clone()
        out += word_probabilities(head, [Encoded(features, word_of, len(spans))])
    return out


def _max_difference(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> float:
    assert [len(x) for x in a] == [len(y) for y in b]
    return max(abs(x - y) for u, v in zip(a, b) for x, y in zip(u, v))


def test_kept_states_are_taken_once_for_the_layers_and_lengths_asked() -> None:
    import torch

    from qa.embeddings.bert import KeptStates, TokenStates

    kept = KeptStates()
    kept.want((6, 3), 4)
    kept.want((3,), 3)
    assert kept.layers == (3, 6) and kept.max_tokens == 4
    short = TokenStates([(0, 0), (0, 2), (0, 0)], torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))  # layer 3 | layer 6
    long = TokenStates([(0, 0), (0, 1), (2, 3), (0, 0)], torch.zeros(4, 2))
    kept.keep("short", short)
    kept.keep("long", long)
    kept.keep("unread", short)
    taken = kept.take({"short", "long", "other"}, (3, 6), 3)
    assert taken.keys() == {"short"} and taken["short"] is short  # "long" has more tokens than asked for
    assert len(kept) == 0  # what was not taken is dropped with it
    kept.keep("short", short)
    assert kept.take(["short"], (6,), 4)["short"].vectors.tolist() == [[2.0], [4.0], [6.0]]
    kept.keep("short", short)
    assert kept.take(["short"], (2,), 4) == {}  # a layer it did not keep
    kept.keep("short", short)
    kept.clear()
    assert kept.take(["short"], (3, 6), 4) == {}


@pytest.mark.slow
def test_shipped_probabilities_are_those_of_the_transformers_reading() -> None:
    from qa.learned.tagger import Tagger

    items = _items([GARBLED, PLAIN, LONG])
    ours = Tagger().probabilities(items)
    assert _max_difference(ours, _reference(items)) < 1e-4
    assert _max_difference(ours[:2], [SHIPPED[GARBLED], SHIPPED[PLAIN]]) < 1e-4
    assert ours[2][-5:] == [0.0] * 5  # words past the 128th piece are not read


@pytest.mark.slow
def test_states_kept_by_the_embeddings_give_the_same_probabilities() -> None:
    from qa.embeddings.model import BaseModel
    from qa.embeddings.model import SentenceEncoder as Embeddings
    from qa.learned.tagger import Tagger

    texts = [GARBLED, PLAIN, LONG, f"{PLAIN} Both sides agreed."]
    items = _items(texts)
    alone = Tagger().probabilities(items)
    base = BaseModel()  # what a run hands both: one copy of the weights, and the states one forward pass keeps
    embeddings = Embeddings(batch_size=2, precision="float32", base=base)
    tagger = Tagger(base=base)  # built after the embeddings: it asks for its layers before they read the texts
    embeddings.forget()
    embeddings.encode(texts)
    shared = tagger.probabilities(items)
    assert tagger._encoder is not None and tagger._encoder.shared == 3  # the long one is read again, cut at 128 pieces
    assert _max_difference(shared, alone) < 1e-5
    again = tagger.probabilities(items)  # taken once: read again now, to the same values
    assert tagger._encoder.shared == 3 and _max_difference(again, alone) < 1e-5
