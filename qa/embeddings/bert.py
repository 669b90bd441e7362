"""A BERT sentence encoder in plain torch, for sentence-transformers models of the common shape.

The bundled all-MiniLM-L6-v2 is a BERT encoder, mean pooling and (optionally) normalisation. Run
here with the ``tokenizers`` library and ``safetensors`` weights, it needs neither
``transformers`` nor ``sentence_transformers`` (about 5 s of imports, scipy, sklearn and sympy
among them, before any work). Any other model shape loads through ``SentenceTransformer``.

The same forward pass gives the hidden states of inner layers per token (``token_states``), which
the learned tagger reads; ``KeptStates`` lets it take those of texts the embeddings already encoded
instead of running the model on them a second time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import torch

TRANSFORMER = "sentence_transformers.models.Transformer"
POOLING = "sentence_transformers.models.Pooling"
NORMALIZE = "sentence_transformers.models.Normalize"


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def plain_bert(folder: Path) -> bool:
    """True when a model folder holds a BERT encoder with mean pooling in safetensors (what this module runs)."""
    try:
        modules = [m["type"] for m in _read(folder / "modules.json")]
        config = _read(folder / "config.json")
        pooling = _read(folder / "1_Pooling" / "config.json")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    return (
        modules[:2] == [TRANSFORMER, POOLING]
        and set(modules[2:]) <= {NORMALIZE}
        and config.get("model_type") == "bert"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and config.get("hidden_act") == "gelu"
        and bool(mean_only)
        and (folder / "model.safetensors").is_file()
        and (folder / "tokenizer.json").is_file()
    )


@dataclass(frozen=True)
class TokenStates:
    """One text's tokens: character offsets (``(0, 0)`` for special tokens) and, per token, the
    hidden states of some layers side by side (float32)."""

    offsets: list[tuple[int, int]]
    vectors: torch.Tensor  # (tokens, hidden size × layers)


class KeptStates:
    """Token states that a reader of the same texts asked the encoder to keep as it encodes them.

    The embeddings checker encodes every sentence of a chunk; the learned tagger reads inner layers
    of the same forward pass. It asks in advance (``want``); the encoder keeps the states of each text
    short enough for every reader (no truncation differs) until they are taken (``take``) or dropped
    (``clear``, at the start of the next chunk), so memory holds one chunk at most.
    """

    def __init__(self) -> None:
        self.layers: tuple[int, ...] = ()
        self.max_tokens = 0
        self._kept: dict[str, TokenStates] = {}

    def want(self, layers: Sequence[int], max_tokens: int) -> None:
        """Keep these layers (hidden-state index: 0 is the embeddings, k the output of layer k) of texts up to ``max_tokens`` tokens."""
        self.layers = tuple(sorted(set(self.layers) | set(layers)))
        self.max_tokens = max(self.max_tokens, max_tokens)

    def keep(self, text: str, states: TokenStates) -> None:
        """Hold one text's states (``vectors`` in the order of ``layers``)."""
        self._kept[text] = states

    def take(self, texts: Collection[str], layers: Sequence[int], max_tokens: int) -> dict[str, TokenStates]:
        """The kept states of those ``texts`` no longer than ``max_tokens`` tokens, as ``layers`` side by side; all others are dropped."""
        kept, self._kept = self._kept, {}
        if not kept or not set(layers) <= set(self.layers):
            return {}
        size = next(iter(kept.values())).vectors.shape[-1] // len(self.layers)
        columns = [self.layers.index(k) for k in layers]
        found: dict[str, TokenStates] = {}
        for text in texts:
            states = kept.get(text)
            if states is None or len(states.offsets) > max_tokens:
                continue
            if tuple(layers) != self.layers:
                import torch

                states = TokenStates(states.offsets, torch.cat([states.vectors[:, c * size : (c + 1) * size] for c in columns], dim=-1))
            found[text] = states
        return found

    def clear(self) -> None:
        """Drop every kept state."""
        self._kept = {}

    def __len__(self) -> int:
        return len(self._kept)


class BertEncoder:
    """Token ids to mean-pooled sentence vectors, with the weights in the precision asked for."""

    def __init__(self, folder: Path, dtype: torch.dtype):
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        config = _read(folder / "config.json")
        settings = _read(folder / "sentence_bert_config.json") if (folder / "sentence_bert_config.json").is_file() else {}
        self.max_length = int(settings.get("max_seq_length") or config["max_position_embeddings"])
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.normalize = any(m["type"] == NORMALIZE for m in _read(folder / "modules.json"))
        self.dtype = dtype
        weights = load_file(str(folder / "model.safetensors"))
        prefix = "bert." if any(k.startswith("bert.") for k in weights) else ""
        self.w = {k[len(prefix) :]: v.to(dtype) for k, v in weights.items() if v.is_floating_point()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """How many tokens each text becomes (special tokens included, truncated as encoded)."""
        return [len(e.ids) for e in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], kept: KeptStates | None = None) -> np.ndarray:
        """One float32 row per text (unit length when the model normalises), padded to the longest text only;
        the token states another reader asked ``kept`` for are kept there."""
        import torch

        encodings = self.tokenizer.encode_batch(list(texts))
        ids, mask = _batch([e.ids for e in encodings])
        layers = kept.layers if kept is not None else ()
        with torch.inference_mode():
            last, states = self._forward(ids, mask, layers)
            hidden = last.float()
            keep = mask.unsqueeze(-1).float()
            pooled = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
            if self.normalize:
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        if kept is not None and layers:
            stacked = torch.cat([states[k] for k in layers], dim=-1).float()
            for row, (text, e) in enumerate(zip(texts, encodings)):
                if len(e.ids) <= kept.max_tokens:
                    kept.keep(text, TokenStates(list(e.offsets), stacked[row, : len(e.ids)].clone()))
        return pooled.numpy()

    def token_states(self, texts: Sequence[str], layers: Sequence[int], max_tokens: int, batch_size: int = 32) -> list[TokenStates]:
        """Each text's tokens (at most ``max_tokens``, special tokens included) with the hidden states of
        ``layers`` side by side, in float32; texts of similar token counts share a forward pass."""
        import torch

        rows: list[tuple[list[int], list[tuple[int, int]]]] = []
        for e in self.tokenizer.encode_batch(list(texts)):
            ids, offsets = list(e.ids), list(e.offsets)
            if len(ids) > max_tokens:  # as the tokenizer truncates: the first pieces, then the closing special token
                ids, offsets = ids[: max_tokens - 1] + ids[-1:], offsets[: max_tokens - 1] + offsets[-1:]
            rows.append((ids, offsets))
        out: list[TokenStates | None] = [None] * len(rows)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        for at in range(0, len(order), batch_size):
            chunk = order[at : at + batch_size]
            batch, mask = _batch([rows[i][0] for i in chunk])
            with torch.inference_mode():
                _, states = self._forward(batch, mask, layers)
            stacked = torch.cat([states[k] for k in layers], dim=-1).float()
            for row, i in enumerate(chunk):
                out[i] = TokenStates(rows[i][1], stacked[row, : len(rows[i][0])].clone())
        return [s for s in out if s is not None]

    def _forward(self, ids: torch.Tensor, mask: torch.Tensor, layers: Sequence[int] = ()) -> tuple[torch.Tensor, dict[int, torch.Tensor]]:
        """The last hidden state, and those of ``layers`` (0 is the embeddings' output, k the output of layer k)."""
        import torch
        from torch.nn.functional import gelu, layer_norm, linear, scaled_dot_product_attention

        w = self.w
        positions = torch.arange(ids.shape[1])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        size = x.shape[-1]
        x = layer_norm(x, (size,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        states = {0: x} if 0 in layers else {}
        batch, width, per_head = ids.shape[0], ids.shape[1], size // self.heads
        attend = mask[:, None, None, :]
        scale = 1.0 / math.sqrt(per_head)
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def heads(name: str) -> torch.Tensor:
                out = linear(x, w[p + name + ".weight"], w[p + name + ".bias"])
                return out.view(batch, width, self.heads, per_head).transpose(1, 2)

            q, k, v = heads("attention.self.query"), heads("attention.self.key"), heads("attention.self.value")
            context = scaled_dot_product_attention(q, k, v, attn_mask=attend, scale=scale)
            context = context.transpose(1, 2).reshape(batch, width, size)
            attended = linear(context, w[p + "attention.output.dense.weight"], w[p + "attention.output.dense.bias"])
            x = layer_norm(
                attended + x, (size,), w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps
            )
            inner = gelu(linear(x, w[p + "intermediate.dense.weight"], w[p + "intermediate.dense.bias"]))
            out = linear(inner, w[p + "output.dense.weight"], w[p + "output.dense.bias"])
            x = layer_norm(out + x, (size,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
            if n + 1 in layers:
                states[n + 1] = x
        return x, states


def _batch(token_ids: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded to the longest, and the mask of real tokens."""
    import torch

    width = max(len(t) for t in token_ids)
    ids = torch.zeros((len(token_ids), width), dtype=torch.long)
    mask = torch.zeros((len(token_ids), width), dtype=torch.bool)
    for row, t in enumerate(token_ids):
        ids[row, : len(t)] = torch.tensor(t)
        mask[row, : len(t)] = True
    return ids, mask
