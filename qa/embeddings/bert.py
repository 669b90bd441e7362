"""A BERT sentence encoder in plain torch, for sentence-transformers models of the common shape.

The bundled all-MiniLM-L6-v2 is a BERT encoder, mean pooling and (optionally) normalisation. Run
here with the ``tokenizers`` library and ``safetensors`` weights, it needs neither
``transformers`` nor ``sentence_transformers`` (about 5 s of imports, scipy, sklearn and sympy
among them, before any work). Any other model shape loads through ``SentenceTransformer``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One float32 row per text (unit length when the model normalises), padded to the longest text only."""
        import torch

        encodings = self.tokenizer.encode_batch(list(texts))
        width = max(len(e.ids) for e in encodings)
        ids = torch.zeros((len(texts), width), dtype=torch.long)
        mask = torch.zeros((len(texts), width), dtype=torch.bool)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = True
        with torch.inference_mode():
            hidden = self._forward(ids, mask).float()
            keep = mask.unsqueeze(-1).float()
            pooled = (hidden * keep).sum(1) / keep.sum(1).clamp(min=1e-9)
            if self.normalize:
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.numpy()

    def _forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
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
        return x
